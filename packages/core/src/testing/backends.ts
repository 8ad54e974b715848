import { listBackends, setBackend } from '../backends/registry.js';

/**
 * Backends a test suite should run against: every registered one (`describe.each(testBackends())`).
 * Set `ELMAN_BACKENDS=js` to restrict.
 *
 * @example
 * ```ts
 * import { type Tensor, tensor } from '@elman/core';
 * import { assertGradcheck, testBackends, useBackend } from '@elman/core/testing';
 * import { beforeAll, describe, expect, it } from 'vitest';
 *
 * // A test file for your own op: the same suite on js and wasm (ELMAN_BACKENDS=js restricts it).
 * describe.each(testBackends())('softsign (%s)', (backend) => {
 *   beforeAll(() => useBackend(backend));
 *   const softsign = (x: Tensor): Tensor => x.div(x.abs().add(1));
 *   it('computes x / (1 + |x|)', () => {
 *     expect(softsign(tensor([1, -3])).toArray()).toEqual([0.5, -0.75]);
 *   });
 *   it('has the right gradient', () => {
 *     assertGradcheck(softsign, [tensor([0.3, -1.2, 2.5])]);
 *   });
 * });
 * ```
 */
export function testBackends(): string[] {
  const only = typeof process !== 'undefined' ? process.env.ELMAN_BACKENDS : undefined;
  const all = listBackends();
  return only ? all.filter((b) => only.split(',').includes(b)) : all;
}

/** Activates a backend for the current suite (call in `beforeAll`). */
export async function useBackend(name: string): Promise<void> {
  await setBackend(name);
}
