import { beforeAll, describe, expect, it } from 'vitest';
import { Generator } from '../../random.js';
import type { ReduceOp } from '../backend.js';
import { reduce as jsReduce } from '../js/reduce.js';
import { CHUNK } from './elementwise.js';
import { type WasmBackend, createWasmBackend } from './index.js';

// [outer, n, inner] views: rows (inner = 1) of odd lengths, strided axes with odd inner sizes (vector loads run
// across rows), slices bigger than a chunk, and many small slices batched into one chunk.
const VIEWS: Array<[number, number, number]> = [
  [1, 1, 1],
  [3, 5, 1],
  [7, 4, 1],
  [2, 2 * CHUNK + 3, 1],
  [1, 9, 3],
  [4, 5, 6],
  [3, 700, 5],
  [2, 3, CHUNK + 1],
  [1000, 3, 7],
];

describe.each(['simd', 'relaxed-simd'] as const)('wasm reduce kernel (%s)', (variant) => {
  let wasm: WasmBackend;
  beforeAll(async () => {
    wasm = await createWasmBackend({ variant, delegateSmallCalls: false });
  });

  it.each(VIEWS)('agrees with the js kernel on [%i, %i, %i]', (outer, n, inner) => {
    const gen = new Generator(outer * 131 + n * 17 + inner);
    const x = gen.fillNormal(new Float32Array(outer * n * inner), 0, 100);
    for (const op of ['sum', 'max', 'min'] as ReduceOp[]) {
      const want = new Float32Array(outer * inner);
      jsReduce(op, x, outer, n, inner, want);
      const got = new Float32Array(outer * inner);
      wasm.reduce(op, x, outer, n, inner, got);
      let worst = 0;
      for (let i = 0; i < want.length; i++) {
        // Both sum in float64, in different orders: at most one float32 rounding apart; max and min are exact.
        const tol = op === 'sum' ? 2 ** -23 * Math.abs(want[i]!) : 0;
        const err = Math.abs(got[i]! - want[i]!);
        if (err > tol) worst = Math.max(worst, err - tol);
      }
      expect(worst, op).toBe(0);
    }
  });

  it('sums in float64: 2^24 + 1 + 1 + … does not stall at 2^24', () => {
    const x = new Float32Array(1001).fill(1);
    x[0] = 2 ** 24;
    const out = new Float32Array(1);
    wasm.reduce('sum', x, 1, x.length, 1, out);
    expect(out[0]).toBe(2 ** 24 + 1000);
  });

  it('propagates NaN through sum, max and min, in rows and along strided axes', () => {
    const x = new Float32Array(4 * 9).fill(1); // [4, 9] rows, or [1, 4, 9] strided
    x[9 + 5] = Number.NaN;
    for (const op of ['sum', 'max', 'min'] as ReduceOp[]) {
      const rows = new Float32Array(4);
      wasm.reduce(op, x, 4, 9, 1, rows);
      expect(Array.from(rows, Number.isNaN)).toEqual([false, true, false, false]);
      const cols = new Float32Array(9);
      wasm.reduce(op, x, 1, 4, 9, cols);
      expect(Array.from(cols, Number.isNaN).indexOf(true)).toBe(5);
      expect(Array.from(cols, Number.isNaN).lastIndexOf(true)).toBe(5);
    }
  });

  it('leaves int32 data to the js kernel', () => {
    const out = new Int32Array(2);
    wasm.reduce('sum', Int32Array.from([1, 2, 3, 2147483647]), 2, 2, 1, out);
    expect(Array.from(out)).toEqual([3, -2147483646]);
  });
});
