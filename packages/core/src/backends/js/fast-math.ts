// Rational tanh and sigmoid for the js backend's recurrent gate loops.
//
// Math.tanh and Math.exp are calls into V8's C library (fdlibm ports): ~14 ns and ~9 ns per element on the bench
// machine, a few percent of an S2 training step (one tanh per element and step for the RNN, two sigmoids and a tanh for
// the GRU, three and two for the LSTM). The odd rational approximation below runs inline in ~3 ns and its error
// (< 5e-11 absolute and relative on [−9.1, 9.1], fitted by packages/core/fixtures/fast-math-fit.py) is far below
// float32's half ulp, so the float32 results match Math.tanh's except when the exact value lies within 5e-11 of a
// rounding boundary (then they differ by one ulp: measured 0.04 % of a fine grid over [−12, 12]).

/** Beyond this |x|, tanh(x) rounds to ±1 in float32 (1 − tanh(9.1) ≈ 2.5e-8 < 2⁻²⁵); the fit covers [0, 9.1]. */
const CLAMP = 9.1;

// tanh(x) ≈ x·P(x²)/Q(x²) on [−9.1, 9.1]; P(0) = Q(0) = 1 so tanh(x) = x exactly near 0 (relative error, not only
// absolute, stays < 1e-10). Degree 5/5 in x², weighted least squares on Chebyshev nodes.
const P1 = 0.14093938402812808;
const P2 = 0.004418929334793398;
const P3 = 4.209330009365283e-5;
const P4 = 1.1014639943898031e-7;
const P5 = 3.610848945946793e-11;
const Q1 = 0.47427271688658684;
const Q2 = 0.029176502540476212;
const Q3 = 0.0004994851373124282;
const Q4 = 2.5871325591392008e-6;
const Q5 = 2.9131868799503035e-9;

/**
 * Hyperbolic tangent by an odd rational approximation: error < 5e-11 against `Math.tanh` for |x| ≤ 9.1; beyond,
 * exactly ±1 (within 2.5e-8, and what float32 rounds tanh to there). Odd (tanh(−0) = −0), NaN for NaN. For float32
 * gate loops, where `Math.tanh`'s library call would dominate.
 */
export function fastTanh(x: number): number {
  if (x > CLAMP) return 1;
  if (x < -CLAMP) return -1;
  const s = x * x;
  const p = 1 + s * (P1 + s * (P2 + s * (P3 + s * (P4 + s * P5))));
  const q = 1 + s * (Q1 + s * (Q2 + s * (Q3 + s * (Q4 + s * Q5))));
  return (x * p) / q;
}

/**
 * Logistic sigmoid 1 / (1 + e^−x) as 0.5 + 0.5·tanh(x/2) through {@link fastTanh}: absolute error < 3e-11 for
 * |x| ≤ 18.2; beyond, exactly 0 or 1 (the true value is within 1.3e-8 of them). NaN for NaN.
 */
export function fastSigmoid(x: number): number {
  return 0.5 + 0.5 * fastTanh(0.5 * x);
}
