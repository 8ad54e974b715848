import { beforeAll, describe, expect, it } from 'vitest';
import { Generator } from '../../random.js';
import { softmax as jsSoftmax } from '../js/softmax.js';
import { CHUNK } from './elementwise.js';
import { type WasmBackend, createWasmBackend } from './index.js';

function rowMaxes(x: Float32Array, rows: number, n: number): number[] {
  const m = new Array<number>(rows).fill(Number.NEGATIVE_INFINITY);
  for (let i = 0; i < rows * n; i++) m[Math.floor(i / n)] = Math.max(m[Math.floor(i / n)]!, x[i]!);
  return m;
}

describe.each(['simd', 'relaxed-simd'] as const)('wasm softmax kernel (%s)', (variant) => {
  let wasm: WasmBackend;
  beforeAll(async () => {
    wasm = await createWasmBackend({ variant, delegateSmallCalls: false });
  });

  it.each([
    [1, 1],
    [3, 5],
    [8, 4],
    [2, 7],
    [300, 101],
    [2, CHUNK + 9],
  ])('agrees with the js kernel on %i rows of %i, softmax and log-softmax', (rows, n) => {
    const gen = new Generator(rows * 977 + n);
    const x = gen.fillNormal(new Float32Array(rows * n), 0, 8);
    const maxes = rowMaxes(x, rows, n);
    for (const log of [false, true]) {
      const want = new Float32Array(x.length);
      jsSoftmax(x, rows, n, 1, log, want);
      const got = new Float32Array(x.length);
      wasm.softmax(x, rows, n, 1, log, got);
      let worst = 0;
      for (let i = 0; i < x.length; i++) {
        // x − max is rounded to float32 before exp, as in PyTorch's float32 softmax (the js kernel keeps it in
        // float64): a relative error of up to |x − max|·2^-24 on the probability, and the same absolute error on
        // the log-probability, plus a few ulp of exp and of the normaliser.
        const d = Math.abs(x[i]! - maxes[Math.floor(i / n)]!);
        const tol = log ? 2 ** -23 * (d + Math.abs(want[i]!)) + 1e-6 : (2 ** -23 * d + 1e-6) * want[i]! + 1e-37;
        worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / tol);
      }
      expect(worst, log ? 'log-softmax' : 'softmax').toBeLessThanOrEqual(1);
    }
  });

  it('handles masked entries, fully masked rows and huge logits like the js kernel', () => {
    const inf = Number.POSITIVE_INFINITY;
    // [4, 5]: one masked entry; a fully masked row (NaN, as in PyTorch); logits near float32's maximum; a NaN.
    const x = Float32Array.from([1, 2, -inf, 4, 5, -inf, -inf, -inf, -inf, -inf, 3e38, 3e38, -3e38, 0, 1, 0, Number.NaN, 1, 2, 3]);
    for (const log of [false, true]) {
      const want = new Float32Array(x.length);
      jsSoftmax(x, 4, 5, 1, log, want);
      const got = new Float32Array(x.length);
      wasm.softmax(x, 4, 5, 1, log, got);
      for (let i = 0; i < x.length; i++) {
        if (!Number.isFinite(want[i]!)) expect(got[i], `element ${i}`).toBe(want[i]);
        else expect(got[i]).toBeCloseTo(want[i]!, 6);
      }
    }
  });

  it('normalises in place when x and out are the same array', () => {
    const x = new Generator(3).fillNormal(new Float32Array(64 * 33));
    const want = new Float32Array(x.length);
    jsSoftmax(x, 64, 33, 1, false, want);
    wasm.softmax(x, 64, 33, 1, false, x);
    let worst = 0;
    for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i]! - want[i]!) / (1e-5 * want[i]!));
    expect(worst).toBeLessThanOrEqual(1);
  });

  it('leaves softmax over a strided axis (inner > 1) to the js kernel, with the same result', () => {
    const x = new Generator(4).fillNormal(new Float32Array(2 * 30 * 3));
    const want = new Float32Array(x.length);
    jsSoftmax(x, 2, 30, 3, true, want);
    const got = new Float32Array(x.length);
    wasm.softmax(x, 2, 30, 3, true, got);
    expect(got).toEqual(want);
  });
});
