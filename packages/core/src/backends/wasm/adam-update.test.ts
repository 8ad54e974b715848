import { beforeAll, describe, expect, it } from 'vitest';
import { Generator } from '../../random.js';
import type { AdamUpdateArgs } from '../backend.js';
import { adamUpdate as jsAdamUpdate } from '../js/adam-update.js';
import { type WasmBackend, createWasmBackend } from './index.js';

/** A parameter with its gradient and moment buffers after a few earlier steps (v ≥ 0, vmax ≥ v). */
function state(n: number, seed: number, amsgrad: boolean): Pick<AdamUpdateArgs, 'param' | 'grad' | 'expAvg' | 'expAvgSq' | 'maxExpAvgSq'> {
  const gen = new Generator(seed);
  const expAvgSq = gen.fillNormal(new Float32Array(n), 0, 1).map((x) => x * x * 1e-2);
  return {
    param: gen.fillNormal(new Float32Array(n), 0, 1),
    grad: gen.fillNormal(new Float32Array(n), 0, 1),
    expAvg: gen.fillNormal(new Float32Array(n), 0, 0.1),
    expAvgSq,
    maxExpAvgSq: amsgrad ? expAvgSq.map((x, i) => (i % 2 === 0 ? x * 1.5 : x)) : null,
  };
}

function copy(s: ReturnType<typeof state>): ReturnType<typeof state> {
  return {
    param: s.param.slice(),
    grad: s.grad.slice(),
    expAvg: s.expAvg.slice(),
    expAvgSq: s.expAvgSq.slice(),
    maxExpAvgSq: s.maxExpAvgSq?.slice() ?? null,
  };
}

/**
 * Largest |a − b| / max(|b|, scale): the float32 lanes against the js kernel's float64 arithmetic, relative to the
 * value or, where a sum cancels (m ← m + (1 − β₁)(g − m) near 0), to the size of its terms.
 */
function maxRel(a: Float32Array, b: Float32Array, scale: number): number {
  let worst = 0;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(Math.abs(b[i]!), scale));
  return worst;
}

describe.each(['simd', 'relaxed-simd'] as const)('wasm Adam update (%s)', (variant) => {
  let wasm: WasmBackend;
  beforeAll(async () => {
    wasm = await createWasmBackend({ variant, delegateSmallCalls: false });
  });

  const hyper = { beta1: 0.9, beta2: 0.999, eps: 1e-8, stepSize: 1e-2 / (1 - 0.9 ** 3), invBiasCorrection2Sqrt: 1 / Math.sqrt(1 - 0.999 ** 3) };
  it.each([
    ['Adam', 1027, { weightDecay: 0, shrink: 1 }, false], // vectors and a three-element tail
    ['Adam, L2 weight decay, AMSGrad', 1030, { weightDecay: 0.1, shrink: 1 }, true],
    ['AdamW (decoupled decay)', 5, { weightDecay: 0, shrink: 1 - 1e-2 * 0.05 }, false],
    ['AdamW with AMSGrad', 4096, { weightDecay: 0, shrink: 1 - 1e-2 * 0.05 }, true],
  ] as const)('%s over %i elements matches the js kernel within float32 rounding', (_name, n, decay, amsgrad) => {
    const start = state(n, n, amsgrad);
    const want = copy(start);
    const got = copy(start);
    jsAdamUpdate({ ...want, ...hyper, ...decay });
    wasm.adamUpdate({ ...got, ...hyper, ...decay });
    // Each quantity is a handful of float32 operations away from the float64 result: a few ulps (6e-8 each).
    // m's terms are ~0.1; v and vmax are sums of positive terms; parameters are O(1) (as in the optimizer tests).
    expect(maxRel(got.expAvg, want.expAvg, 0.1)).toBeLessThan(1e-6);
    expect(maxRel(got.expAvgSq, want.expAvgSq, 0)).toBeLessThan(1e-6);
    if (amsgrad) expect(maxRel(got.maxExpAvgSq!, want.maxExpAvgSq!, 0)).toBeLessThan(1e-6);
    expect(maxRel(got.param, want.param, 1)).toBeLessThan(1e-6);
    // The update moved every parameter (not a no-op kernel) and never touched the gradient.
    for (let i = 0; i < n; i++) expect(got.param[i]).not.toBe(start.param[i]);
    expect(Array.from(got.grad)).toEqual(Array.from(start.grad));
  });

  it('keeps the running maximum under AMSGrad and propagates a NaN gradient like the js kernel', () => {
    const n = 8;
    const start = state(n, 3, true);
    start.grad[5] = Number.NaN;
    const want = copy(start);
    const got = copy(start);
    jsAdamUpdate({ ...want, ...hyper, weightDecay: 0, shrink: 1 });
    wasm.adamUpdate({ ...got, ...hyper, weightDecay: 0, shrink: 1 });
    for (let i = 0; i < n; i++) {
      expect(Number.isNaN(got.param[i]!)).toBe(Number.isNaN(want.param[i]!));
      if (i !== 5) expect(got.maxExpAvgSq![i]).toBeGreaterThanOrEqual(start.maxExpAvgSq![i]!);
    }
    expect(Number.isNaN(got.param[5]!)).toBe(true);
  });
});
