import { beforeAll, describe, expect, it } from 'vitest';
import { Generator } from '../../random.js';
import { crossEntropyBackward as jsBackward, crossEntropyForward as jsForward } from '../js/cross-entropy.js';
import { CHUNK } from './elementwise.js';
import { type WasmBackend, createWasmBackend } from './index.js';

function maxRelErr(got: Float32Array, want: Float32Array, floor: number): number {
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / (Math.abs(want[i]!) + floor));
  return worst;
}

describe.each(['simd', 'relaxed-simd'] as const)('wasm cross-entropy kernels (%s)', (variant) => {
  let wasm: WasmBackend;
  beforeAll(async () => {
    wasm = await createWasmBackend({ variant, delegateSmallCalls: false });
  });

  it.each([
    [1, 1, 0],
    [3, 5, 0],
    [8, 4, 0.1],
    [2, 7, 0.2],
    [300, 101, 0],
    [5, 1003, 0.1],
    [2, CHUNK + 9, 0.05],
  ])('agrees with the js kernels on %i rows of %i classes, smoothing %f, with ignored rows', (rows, n, eps) => {
    const gen = new Generator(rows * 131 + n);
    const x = gen.fillNormal(new Float32Array(rows * n), 0, 4);
    const target = new Int32Array(rows);
    for (let r = 0; r < rows; r++) target[r] = r % 4 === 3 ? -100 : gen.randint(n);
    const g = gen.fillNormal(new Float32Array(rows), 0, 1);
    const want = { loss: new Float32Array(rows), lse: new Float32Array(rows), dx: new Float32Array(rows * n) };
    jsForward(x, rows, n, 1, target, -100, eps, want.loss, want.lse);
    jsBackward(x, rows, n, 1, target, -100, eps, want.lse, g, want.dx);
    const got = { loss: new Float32Array(rows), lse: new Float32Array(rows), dx: new Float32Array(rows * n).fill(7) };
    wasm.crossEntropyForward(x, rows, n, 1, target, -100, eps, got.loss, got.lse);
    wasm.crossEntropyBackward(x, rows, n, 1, target, -100, eps, got.lse, g, got.dx);
    // Loss and lse: a few ulp of exp and log on values of order log n + |x|; the gradient: probabilities within a
    // few ulp relative, against an absolute floor of the largest gradient's rounding.
    expect(maxRelErr(got.lse, want.lse, 1e-6)).toBeLessThan(1e-6);
    expect(maxRelErr(got.loss, want.loss, 1e-5)).toBeLessThan(1e-5);
    expect(maxRelErr(got.dx, want.dx, 1e-7)).toBeLessThan(1e-4);
    for (let r = 3; r < rows; r += 4) {
      expect(got.loss[r]).toBe(0);
      expect(got.dx.subarray(r * n, (r + 1) * n).every((v) => v === 0)).toBe(true);
    }
  });

  it('gives the exact loss of a hand-derived case and handles −Infinity (masked) logits', () => {
    const inf = Number.NEGATIVE_INFINITY;
    // [2, 4]: loss of row 0 is log(1 + 3e^0)... all equal logits → log 4; row 1 has two masked classes.
    const x = Float32Array.from([0, 0, 0, 0, 1, inf, inf, 1]);
    const target = Int32Array.from([2, 3]);
    const loss = new Float32Array(2);
    const lse = new Float32Array(2);
    wasm.crossEntropyForward(x, 2, 4, 1, target, -100, 0, loss, lse);
    expect(loss[0]).toBeCloseTo(Math.log(4), 6);
    expect(loss[1]).toBeCloseTo(Math.log(2), 6);
    const dx = new Float32Array(8);
    wasm.crossEntropyBackward(x, 2, 4, 1, target, -100, 0, lse, Float32Array.from([1, 2]), dx);
    expect(Array.from(dx)).toEqual([0.25, 0.25, -0.75, 0.25, 1, 0, 0, -1]);
  });

  it('uses the js kernels when the classes are not the last axis', () => {
    const gen = new Generator(3);
    const x = gen.fillNormal(new Float32Array(2 * 5 * 3), 0, 1); // [N=2, C=5, d=3]
    const target = Int32Array.from([0, 4, -100, 2, 2, 1]);
    const want = new Float32Array(6);
    const got = new Float32Array(6);
    jsForward(x, 2, 5, 3, target, -100, 0.1, want, new Float32Array(6));
    wasm.crossEntropyForward(x, 2, 5, 3, target, -100, 0.1, got, new Float32Array(6));
    expect(Array.from(got)).toEqual(Array.from(want));
  });
});
