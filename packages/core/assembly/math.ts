// biome-ignore-all lint/correctness/noPrecisionLoss: Cephes and Numerical Recipes publish these constants with more digits than an f32 holds.
// Vectorised float32 elementary functions, four lanes at a time. The polynomials are Cephes' single-precision ones
// (S. L. Moshier, "Methods and Programs for Mathematical Functions", 1989): about 1 ulp in their reduced ranges.
import { madd } from './simd';

const LOG2E = <f32>Math.LOG2E;
// ln 2 split so that n·LN2_HI is exact for |n| < 2^15 (Cody & Waite 1980 argument reduction).
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;
const SQRT1_2 = <f32>Math.SQRT1_2;
const INV_SQRT_2PI: f32 = 0.398942280401432678;
/** 1.5·2^23: adding it rounds a float of magnitude < 2^22 to an integer held in the low mantissa bits. */
const SHIFTER: f32 = 12582912.0;
/** Bit pattern of {@link SHIFTER}. */
const SHIFTER_BITS = 0x4b400000;

function splat(x: f32): v128 {
  return f32x4.splat(x);
}

/** e^x. Overflows to +Inf above ~88.72, underflows through subnormals to 0 below ~-103.97; NaN stays NaN. */
export function expv(x: v128): v128 {
  // Clamping keeps 2^n constructible below. pmax/pmin (one x86 instruction each, unlike max/min) return their
  // first operand when it is NaN, so NaN passes through.
  x = f32x4.pmin(f32x4.pmax(x, splat(-104.0)), splat(89.0));
  // n = round(x·log2 e) by the 1.5·2^23 shifter: the sum's low mantissa bits hold n as an integer.
  const t = madd(x, splat(LOG2E), splat(SHIFTER));
  const n = f32x4.sub(t, splat(SHIFTER));
  let r = madd(n, splat(-LN2_HI), x);
  r = madd(n, splat(-LN2_LO), r); // r in [-ln2/2, ln2/2]
  let p = madd(splat(1.9875691500e-4), r, splat(1.3981999507e-3));
  p = madd(p, r, splat(8.3334519073e-3));
  p = madd(p, r, splat(4.1665795894e-2));
  p = madd(p, r, splat(1.6666665459e-1));
  p = madd(p, r, splat(5.0000001201e-1));
  p = f32x4.add(madd(p, f32x4.mul(r, r), r), splat(1.0));
  // 2^n as two factors 2^(n>>1)·2^(n-(n>>1)), each a normal float for n in [-150, 128].
  const ni = i32x4.sub(t, i32x4.splat(SHIFTER_BITS));
  const n1 = i32x4.shr_s(ni, 1);
  const n2 = i32x4.sub(ni, n1);
  const s1 = i32x4.shl(i32x4.add(n1, i32x4.splat(127)), 23);
  const s2 = i32x4.shl(i32x4.add(n2, i32x4.splat(127)), 23);
  return f32x4.mul(f32x4.mul(p, s1), s2);
}

/** Natural logarithm: -Inf at ±0, NaN below 0 and for NaN, +Inf at +Inf; subnormal inputs are exact-scaled first. */
export function logv(x: v128): v128 {
  const tiny = f32x4.lt(x, splat(1.17549435e-38));
  const xs = v128.bitselect(f32x4.mul(x, splat(8388608.0)), x, tiny); // ·2^23 for subnormals
  // frexp: xs = m·2^e with m in [0.5, 1).
  let e = f32x4.convert_i32x4_s(i32x4.sub(i32x4.shr_u(xs, 23), i32x4.splat(126)));
  e = f32x4.sub(e, v128.and(tiny, splat(23.0)));
  let m = v128.or(v128.and(xs, i32x4.splat(0x007fffff)), i32x4.splat(0x3f000000));
  // Shift m into [√½, √2) so log(m) stays small: m < √½ → 2m - 1 and e - 1, else m - 1.
  const low = f32x4.lt(m, splat(SQRT1_2));
  e = f32x4.sub(e, v128.and(low, splat(1.0)));
  m = f32x4.sub(f32x4.add(m, v128.and(low, m)), splat(1.0));
  const z = f32x4.mul(m, m);
  let p = madd(splat(7.0376836292e-2), m, splat(-1.1514610310e-1));
  p = madd(p, m, splat(1.1676998740e-1));
  p = madd(p, m, splat(-1.2420140846e-1));
  p = madd(p, m, splat(1.4249322787e-1));
  p = madd(p, m, splat(-1.6668057665e-1));
  p = madd(p, m, splat(2.0000714765e-1));
  p = madd(p, m, splat(-2.4999993993e-1));
  p = madd(p, m, splat(3.3333331174e-1));
  let y = f32x4.mul(f32x4.mul(p, m), z);
  y = madd(e, splat(LN2_LO), y);
  y = madd(z, splat(-0.5), y);
  let r = madd(e, splat(LN2_HI), f32x4.add(m, y));
  r = v128.bitselect(splat(f32.NEGATIVE_INFINITY), r, f32x4.eq(x, splat(0.0)));
  r = v128.bitselect(x, r, f32x4.eq(x, splat(f32.POSITIVE_INFINITY)));
  // Not (x >= 0) is x < 0 or NaN.
  return v128.bitselect(r, splat(f32.NaN), f32x4.ge(x, splat(0.0)));
}

/** tanh: Cephes' odd polynomial below |x| = 0.625 (no cancellation near 0), 1 − 2/(e^{2|x|} + 1) above. */
export function tanhv(x: v128): v128 {
  const ax = f32x4.abs(x);
  const s = f32x4.mul(x, x);
  let p = madd(splat(-5.70498872745e-3), s, splat(2.06390887954e-2));
  p = madd(p, s, splat(-5.37397155531e-2));
  p = madd(p, s, splat(1.33314422036e-1));
  p = madd(p, s, splat(-3.33332819422e-1));
  const small = madd(f32x4.mul(p, s), x, x);
  const e = expv(f32x4.add(ax, ax));
  const big = f32x4.sub(splat(1.0), f32x4.div(splat(2.0), f32x4.add(e, splat(1.0))));
  // big >= 0: or-ing in x's sign bit restores the sign.
  const signed = v128.or(big, v128.and(x, i32x4.splat(0x80000000)));
  return v128.bitselect(small, signed, f32x4.lt(ax, splat(0.625)));
}

/** Logistic sigmoid from e = e^{-|x|} so nothing overflows: 1/(1+e) for x ≥ 0, e/(1+e) below. */
export function sigmoidv(x: v128): v128 {
  const e = expv(f32x4.neg(f32x4.abs(x)));
  const r = f32x4.div(splat(1.0), f32x4.add(splat(1.0), e));
  return v128.bitselect(r, f32x4.mul(e, r), f32x4.ge(x, splat(0.0)));
}

/** softplus log(1 + e^x) = max(x, 0) + log1p(e^{-|x|}); log1p(u) = log(w)·u/(w − 1) with w = 1 + u (Goldberg 1991). */
export function softplusv(x: v128): v128 {
  const u = expv(f32x4.neg(f32x4.abs(x)));
  const w = f32x4.add(splat(1.0), u);
  const l = f32x4.div(f32x4.mul(logv(w), u), f32x4.sub(w, splat(1.0)));
  const log1p = v128.bitselect(u, l, f32x4.eq(w, splat(1.0)));
  return f32x4.add(f32x4.max(x, splat(0.0)), log1p);
}

// Φ(−|x|) = ½·erfc(|x|/√2) with Numerical Recipes' erfc (Press et al. 1992, §6.2; fractional error < 1.2e-7):
// erfc(z) = t·exp(−z² + P(t)), t = 1/(1 + z/2). z² = x²/2 is formed exactly from a 12-bit head xh of |x| (xh² is
// exact in f32), so the large exponent carries no rounding error; tails of GELU keep ~1e-6 relative accuracy.

/** Clamp on |x| inside the Gaussian tail: Φ(−20) underflows f32 anyway, and ±Inf must not meet Inf − Inf. */
const TAIL_MAX: f32 = 20.0;

function erfcPoly(t: v128): v128 {
  let p = madd(splat(0.17087277), t, splat(-0.82215223));
  p = madd(p, t, splat(1.48851587));
  p = madd(p, t, splat(-1.13520398));
  p = madd(p, t, splat(0.27886807));
  p = madd(p, t, splat(-0.18628806));
  p = madd(p, t, splat(0.09678418));
  p = madd(p, t, splat(0.37409196));
  p = madd(p, t, splat(1.00002368));
  return madd(p, t, splat(-1.26551223));
}

/** Head of |x| with the low 12 mantissa bits cleared, so that head² is exact. */
function head(ax: v128): v128 {
  return v128.and(ax, i32x4.splat(0xfffff000));
}

/** Exact GELU x·Φ(x) (Hendrycks & Gimpel 2016), PyTorch's approximate='none'. */
export function geluv(x: v128): v128 {
  const ax = f32x4.min(f32x4.abs(x), splat(TAIL_MAX));
  const t = f32x4.div(splat(1.0), madd(ax, splat(0.5 * SQRT1_2), splat(1.0)));
  const h = head(ax);
  const hi = f32x4.mul(f32x4.mul(h, h), splat(0.5));
  const lo = f32x4.mul(f32x4.mul(f32x4.sub(ax, h), f32x4.add(ax, h)), splat(0.5));
  const tail = f32x4.mul(f32x4.mul(f32x4.mul(t, splat(0.5)), expv(f32x4.sub(erfcPoly(t), lo))), expv(f32x4.neg(hi)));
  const cdf = v128.bitselect(tail, f32x4.sub(splat(1.0), tail), f32x4.lt(x, splat(0.0)));
  return f32x4.mul(x, cdf);
}

/** d/dx x·Φ(x) = Φ(x) + x·φ(x), with φ(x) = e^{−x²/2}/√(2π) sharing the exact x²/2 of {@link geluv}. */
export function geluDerivv(x: v128): v128 {
  const ax = f32x4.min(f32x4.abs(x), splat(TAIL_MAX));
  const t = f32x4.div(splat(1.0), madd(ax, splat(0.5 * SQRT1_2), splat(1.0)));
  const h = head(ax);
  const hi = f32x4.mul(f32x4.mul(h, h), splat(0.5));
  const lo = f32x4.mul(f32x4.mul(f32x4.sub(ax, h), f32x4.add(ax, h)), splat(0.5));
  const gauss = f32x4.mul(expv(f32x4.neg(lo)), expv(f32x4.neg(hi))); // e^{−x²/2}
  const tail = f32x4.mul(f32x4.mul(f32x4.mul(t, splat(0.5)), expv(erfcPoly(t))), gauss);
  const cdf = v128.bitselect(tail, f32x4.sub(splat(1.0), tail), f32x4.lt(x, splat(0.0)));
  return madd(x, f32x4.mul(gauss, splat(INV_SQRT_2PI)), cdf);
}
