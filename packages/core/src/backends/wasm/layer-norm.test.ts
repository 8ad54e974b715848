import { beforeAll, describe, expect, it } from 'vitest';
import { Generator } from '../../random.js';
import { layerNorm as jsLayerNorm } from '../js/layer-norm.js';
import { CHUNK } from './elementwise.js';
import { type WasmBackend, createWasmBackend } from './index.js';

describe.each(['simd', 'relaxed-simd'] as const)('wasm layerNorm kernel (%s)', (variant) => {
  let wasm: WasmBackend;
  beforeAll(async () => {
    wasm = await createWasmBackend({ variant, delegateSmallCalls: false });
  });

  it.each([
    [1, 1],
    [3, 5],
    [4, 8],
    [257, 67],
    [2, CHUNK + 3],
  ])('agrees with the js kernel on %i rows of %i, with and without affine parameters', (rows, cols) => {
    const gen = new Generator(rows * 31 + cols);
    // An offset mean and a large spread: the variance must not lose digits to the mean.
    const x = gen.fillNormal(new Float32Array(rows * cols), 50, 3);
    const w = gen.fillNormal(new Float32Array(cols));
    const b = gen.fillNormal(new Float32Array(cols));
    for (const [weight, bias] of [[w, b], [null, null], [w, null], [null, b]] as const) {
      const want = { out: new Float32Array(x.length), mean: new Float32Array(rows), rstd: new Float32Array(rows) };
      jsLayerNorm(x, weight, bias, rows, cols, 1e-5, want.out, want.mean, want.rstd);
      const got = { out: new Float32Array(x.length), mean: new Float32Array(rows), rstd: new Float32Array(rows) };
      wasm.layerNorm(x, weight, bias, rows, cols, 1e-5, got.out, got.mean, got.rstd);
      for (let r = 0; r < rows; r++) {
        expect(Math.abs(got.mean[r]! - want.mean[r]!)).toBeLessThanOrEqual(1e-7 * Math.abs(want.mean[r]!));
        expect(Math.abs(got.rstd[r]! - want.rstd[r]!)).toBeLessThanOrEqual(1e-6 * want.rstd[r]!);
      }
      let worst = 0;
      for (let i = 0; i < x.length; i++) {
        // (x − mean)·rstd in float32: x and the mean each carry a float32 rounding of ~50, scaled by rstd ≈ 1/3.
        const scale = (weight ? Math.abs(weight[i % cols]!) : 1) * want.rstd[0]!;
        const tol = 2 ** -23 * 100 * scale + 1e-6 * Math.abs(want.out[i]!);
        worst = Math.max(worst, Math.abs(got.out[i]! - want.out[i]!) / tol);
      }
      expect(worst).toBeLessThanOrEqual(1);
    }
  });

  it('gives 0 output and rstd = 1/√eps for a constant row', () => {
    const x = new Float32Array(40).fill(3);
    const out = new Float32Array(40);
    const mean = new Float32Array(1);
    const rstd = new Float32Array(1);
    wasm.layerNorm(x, null, null, 1, 40, 1e-5, out, mean, rstd);
    expect(Array.from(new Set(out))).toEqual([0]);
    expect(mean[0]).toBe(3);
    expect(rstd[0]).toBeCloseTo(1 / Math.sqrt(1e-5), 2);
  });
});
