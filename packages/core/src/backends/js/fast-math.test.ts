import { describe, expect, it } from 'vitest';
import { fastSigmoid, fastTanh } from './fast-math.js';

/** Largest |f(x) − ref(x)| over an even grid of `n` points on [lo, hi]. */
function maxError(f: (x: number) => number, ref: (x: number) => number, lo: number, hi: number, n: number): number {
  let worst = 0;
  for (let i = 0; i <= n; i++) {
    const x = lo + ((hi - lo) * i) / n;
    worst = Math.max(worst, Math.abs(f(x) - ref(x)));
  }
  return worst;
}

describe('fastTanh', () => {
  it('agrees with Math.tanh within 5e-11 on the fitted range and 2.5e-8 beyond', () => {
    expect(maxError(fastTanh, Math.tanh, -9.1, 9.1, 400_001)).toBeLessThan(5e-11);
    expect(maxError(fastTanh, Math.tanh, -40, 40, 400_001)).toBeLessThan(2.5e-8);
  });

  it('keeps small arguments to relative accuracy (tanh x ≈ x)', () => {
    for (const x of [1e-30, 1e-12, 3e-8, 1e-4, 0.01]) {
      expect(Math.abs(fastTanh(x) / Math.tanh(x) - 1)).toBeLessThan(1e-10);
      expect(fastTanh(-x)).toBe(-fastTanh(x));
    }
  });

  it('rounds to the same float32 as Math.tanh almost everywhere, and by one ulp at most', () => {
    const f32 = new Float32Array(2);
    let mismatches = 0;
    const n = 200_000;
    for (let i = 0; i <= n; i++) {
      const x = -12 + (24 * i) / n;
      f32[0] = fastTanh(x);
      f32[1] = Math.tanh(x);
      if (f32[0] !== f32[1]) {
        mismatches++;
        // One float32 ulp at |y| is at most |y|·2⁻²³.
        expect(Math.abs(f32[0]! - f32[1]!)).toBeLessThanOrEqual(Math.abs(f32[1]!) * 2 ** -23);
      }
    }
    expect(mismatches / n).toBeLessThan(0.002);
  });

  it('saturates to exactly ±1, keeps −0 and propagates NaN', () => {
    expect(fastTanh(9.2)).toBe(1);
    expect(fastTanh(-1e6)).toBe(-1);
    expect(fastTanh(Number.POSITIVE_INFINITY)).toBe(1);
    expect(fastTanh(Number.NEGATIVE_INFINITY)).toBe(-1);
    expect(Object.is(fastTanh(-0), -0)).toBe(true);
    expect(fastTanh(Number.NaN)).toBeNaN();
    expect(Math.abs(fastTanh(9.1))).toBeLessThan(1);
  });
});

describe('fastSigmoid', () => {
  const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

  it('agrees with 1 / (1 + e^−x) within 3e-11 up to |x| = 18.2 and 1.3e-8 beyond', () => {
    expect(maxError(fastSigmoid, sigmoid, -18.2, 18.2, 400_001)).toBeLessThan(3e-11);
    expect(maxError(fastSigmoid, sigmoid, -60, 60, 400_001)).toBeLessThan(1.3e-8);
  });

  it('saturates to exactly 0 and 1, is exactly 0.5 at 0, and propagates NaN', () => {
    expect(fastSigmoid(0)).toBe(0.5);
    expect(fastSigmoid(40)).toBe(1);
    expect(fastSigmoid(-40)).toBe(0);
    expect(fastSigmoid(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(fastSigmoid(Number.NaN)).toBeNaN();
  });
});
