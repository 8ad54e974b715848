import { listBackends, setBackend } from '../backends/registry.js';

/**
 * Backends a test suite should run against: every registered one (`describe.each(testBackends())`).
 * Set `ELMAN_BACKENDS=js` to restrict.
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
