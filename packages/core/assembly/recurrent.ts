// Shared pieces of the fused whole-sequence kernels (lstm-sequence.ts, gru-sequence.ts, rnn-sequence.ts). The whole
// time loop runs here: the recurrent weights are packed once per call (gemm.ts packB), each step runs one packed
// GEMM and then the gate nonlinearities and state update over its [B, G·H] result while it is still in cache.
// Slabs are batch-first [B, T, ·]; processing step s of sequence b works on time step s (or len − 1 − s when
// reversed) while s < len, and leaves the state frozen after (PyTorch packed-sequence semantics).
import { gemm, gemmPacked, gemmWorkspace } from './gemm';
import { madd } from './simd';

/** Byte offset of row `b·T + t` worked on by sequence b at processing step s, or −1 once the sequence has ended. */
export function rowAt(lengths: usize, T: i32, reverse: i32, b: i32, s: i32): i32 {
  const len = load<i32>(lengths + (<usize>b << 2));
  if (s >= len) return -1;
  return b * T + (reverse ? len - 1 - s : s);
}

/** The longest valid length. */
export function maxLength(lengths: usize, B: i32): i32 {
  let m = 0;
  for (let b = 0; b < B; b++) m = max(m, load<i32>(lengths + (<usize>b << 2)));
  return m;
}

/** The shortest valid length: every sequence is still running at processing steps below it. */
export function minLength(lengths: usize, B: i32): i32 {
  let m = i32.MAX_VALUE;
  for (let b = 0; b < B; b++) m = min(m, load<i32>(lengths + (<usize>b << 2)));
  return B > 0 ? m : 0;
}

/**
 * ∂L/∂h_{t−1} of processing step s: `dh [B, H] = dA_s [B, G·H] · W_hh` (`pw` = W_hh packed by `packB(0, …)`).
 * While every sequence is still running (s < minLen) the GEMM writes `dh` directly; after that, rows of sequences
 * that have ended hold stale values in `dA_s` and keep their ∂L/∂h: the product goes to `tmp` and only running rows
 * are copied. An unpadded batch never copies.
 */
export function carryBack(B: i32, H: i32, GH: i32, s: i32, minLen: i32, lengths: usize, dAs: usize, pw: usize, dh: usize, tmp: usize, work: usize): void {
  if (s < minLen) {
    gemmPacked(B, H, GH, dAs, GH, pw, dh, H, work);
    return;
  }
  gemmPacked(B, H, GH, dAs, GH, pw, tmp, H, work);
  const Hb = <usize>H << 2;
  for (let b = 0; b < B; b++) {
    if (s >= load<i32>(lengths + (<usize>b << 2))) continue;
    memory.copy(dh + <usize>b * Hb, tmp + <usize>b * Hb, Hb);
  }
}

/** Whether the `n` floats at `p` are all zero (±0): a call starting from the zero state, the default one. */
export function allZero(p: usize, n: i32): bool {
  for (let i = 0; i < n; i++) if (load<f32>(p + (<usize>i << 2)) !== 0) return false;
  return true;
}

/**
 * One step's recurrent product `R [B, N] = h [B, K] · op(W)` (W packed by `packB`, R with leading dimension ldr).
 * At the first step of a call from the zero state (`zero`; the default initial state) the product is 0: R is
 * cleared and the GEMM skipped.
 */
export function recurrentProduct(B: i32, N: i32, K: i32, h: usize, pw: usize, R: usize, ldr: i32, work: usize, zero: bool): void {
  if (!zero) {
    gemmPacked(B, N, K, h, K, pw, R, ldr, work);
    return;
  }
  for (let b = 0; b < B; b++) memory.fill(R + (<usize>(b * ldr) << 2), 0, <usize>N << 2);
}

/** Loads 4 lanes, or (at a row's tail, `vec` false) one float splatted, so tails share the vector code. */
export function ld(p: usize, vec: bool): v128 {
  return vec ? v128.load(p) : f32x4.splat(load<f32>(p));
}

/** Stores 4 lanes, or lane 0 only at a row's tail. */
export function st(p: usize, v: v128, vec: bool): void {
  if (vec) v128.store(p, v);
  else store<f32>(p, f32x4.extract_lane(v, 0));
}

/**
 * Zeroes the padded rows (t ≥ len) of every sequence in a `[B, T, width]` slab; valid rows, forward or reversed,
 * are t < len, so each sequence's padding is one contiguous run.
 */
export function zeroPadding(m: usize, lengths: usize, B: i32, T: i32, width: i32): void {
  const rowBytes = <usize>width << 2;
  for (let b = 0; b < B; b++) {
    const len = load<i32>(lengths + (<usize>b << 2));
    if (len < T) memory.fill(m + <usize>(b * T + len) * rowBytes, 0, <usize>(T - len) * rowBytes);
  }
}

/** `p` rounded up to 16 bytes: every slab of a kernel's workspace starts on a vector boundary. */
export function align(p: usize): usize {
  return (p + 15) & ~(<usize>15);
}

/** f32x4 splat shorthand. */
export function sp(x: f32): v128 {
  return f32x4.splat(x);
}

/** The input projection of every step: `P [B·T, G·H] = x [B·T, X] · W_ihᵀ`, one GEMM. */
export function projectInputs(rows: i32, X: i32, GH: i32, x: usize, wih: usize, p: usize, work: usize): void {
  gemm(0, 1, rows, GH, X, 1, x, X, wih, X, 0, p, GH, work);
}

/** Scratch bytes of the all-rows GEMMs of a call (projection and weight/input gradients), the largest of them. */
export function bigGemmWorkspace(rows: i32, X: i32, H: i32, GH: i32): i32 {
  return max(max(gemmWorkspace(rows, GH, X), gemmWorkspace(GH, X, rows)), max(gemmWorkspace(GH, H, rows), gemmWorkspace(rows, X, GH)));
}

/**
 * The input-side gradients from the pre-activation gradients `dG [rows, G·H]` (padded rows 0): dx = dG·W_ih,
 * dW_ih = dGᵀ·x (GEMMs over all rows) and db = Σ_rows dG (f64 accumulation), each skipped when its pointer is 0.
 */
export function inputSideGrads(
  rows: i32,
  X: i32,
  GH: i32,
  x: usize,
  wih: usize,
  dG: usize,
  dx: usize,
  dWih: usize,
  db: usize,
  work: usize,
): void {
  if (dx) gemm(0, 0, rows, X, GH, 1, dG, GH, wih, X, 0, dx, X, work);
  if (dWih) gemm(1, 0, GH, X, rows, 1, dG, GH, x, X, 0, dWih, X, work);
  if (db) columnSums(dG, rows, GH, GH, db);
}

/**
 * `out[j] = Σ_r m[r·ld + j]` for j < n, accumulated in f64 (the bias gradients sum B·T rows). Sixteen columns at a
 * time in eight f64x2 register accumulators, rows inside: no accumulator traffic through memory, and enough
 * independent add chains to hide the f64 add latency over the long row loop; then eight, then single columns.
 */
export function columnSums(m: usize, rows: i32, n: i32, ld: i32, out: usize): void {
  const ldb = <usize>ld << 2;
  let j = 0;
  for (; j + 16 <= n; j += 16) {
    let a0 = f64x2.splat(0);
    let a1 = f64x2.splat(0);
    let a2 = f64x2.splat(0);
    let a3 = f64x2.splat(0);
    let a4 = f64x2.splat(0);
    let a5 = f64x2.splat(0);
    let a6 = f64x2.splat(0);
    let a7 = f64x2.splat(0);
    let p = m + (<usize>j << 2);
    for (let r = 0; r < rows; r++, p += ldb) {
      const v0 = v128.load(p);
      const v1 = v128.load(p, 16);
      const v2 = v128.load(p, 32);
      const v3 = v128.load(p, 48);
      a0 = f64x2.add(a0, f64x2.promote_low_f32x4(v0));
      a1 = f64x2.add(a1, f64x2.promote_low_f32x4(i64x2.shuffle(v0, v0, 1, 0)));
      a2 = f64x2.add(a2, f64x2.promote_low_f32x4(v1));
      a3 = f64x2.add(a3, f64x2.promote_low_f32x4(i64x2.shuffle(v1, v1, 1, 0)));
      a4 = f64x2.add(a4, f64x2.promote_low_f32x4(v2));
      a5 = f64x2.add(a5, f64x2.promote_low_f32x4(i64x2.shuffle(v2, v2, 1, 0)));
      a6 = f64x2.add(a6, f64x2.promote_low_f32x4(v3));
      a7 = f64x2.add(a7, f64x2.promote_low_f32x4(i64x2.shuffle(v3, v3, 1, 0)));
    }
    const o = out + (<usize>j << 2);
    v128.store(o, demote4(a0, a1));
    v128.store(o, demote4(a2, a3), 16);
    v128.store(o, demote4(a4, a5), 32);
    v128.store(o, demote4(a6, a7), 48);
  }
  for (; j + 8 <= n; j += 8) {
    let a0 = f64x2.splat(0);
    let a1 = f64x2.splat(0);
    let a2 = f64x2.splat(0);
    let a3 = f64x2.splat(0);
    let p = m + (<usize>j << 2);
    for (let r = 0; r < rows; r++, p += ldb) {
      const v0 = v128.load(p);
      const v1 = v128.load(p, 16);
      a0 = f64x2.add(a0, f64x2.promote_low_f32x4(v0));
      a1 = f64x2.add(a1, f64x2.promote_low_f32x4(i64x2.shuffle(v0, v0, 1, 0)));
      a2 = f64x2.add(a2, f64x2.promote_low_f32x4(v1));
      a3 = f64x2.add(a3, f64x2.promote_low_f32x4(i64x2.shuffle(v1, v1, 1, 0)));
    }
    const o = out + (<usize>j << 2);
    v128.store(o, demote4(a0, a1));
    v128.store(o, demote4(a2, a3), 16);
  }
  for (; j < n; j++) {
    let t: f64 = 0;
    let p = m + (<usize>j << 2);
    for (let r = 0; r < rows; r++, p += ldb) t += <f64>load<f32>(p);
    store<f32>(out + (<usize>j << 2), <f32>t);
  }
}

/** Four f32 lanes from two f64x2 vectors (lo's two lanes first). */
function demote4(lo: v128, hi: v128): v128 {
  return i64x2.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 2);
}

/** Σ of the four lanes of `v` squared, in f64. */
export function sumSquares(v: v128, vec: bool): f64 {
  const q = f32x4.mul(v, v);
  if (!vec) return <f64>f32x4.extract_lane(q, 0);
  return <f64>f32x4.extract_lane(q, 0) + <f64>f32x4.extract_lane(q, 1) + <f64>f32x4.extract_lane(q, 2) + <f64>f32x4.extract_lane(q, 3);
}

// Gate activations of the fused kernels: a 13/6 rational tanh (the coefficients of Eigen's generic_fast_tanh_float,
// clamped at ±7.905 where it reaches 1 in f32) instead of math.ts's exp-based tanhv/sigmoidv (~1 ulp): about half
// the instructions, and inlined (inline.always at every call) into the gate loops, where five activations per hidden
// unit per step were most of the non-GEMM time. Checked in f32 against float64 over ±40: ≤ 4e-7 absolute error,
// ≤ 3e-7 relative near 0, |tanh| ≤ 1, NaN propagates; σ(x) = ½·tanh(x/2) + ½ is within 2.3e-7 and inside [0, 1].
const TANH_CLAMP: f32 = 7.905311107635498;

/** tanh for the gate loops (≤ 4e-7 absolute error; odd rational p(x²)·x / q(x²) of degrees 13/6). */
export function tanhGate(x: v128): v128 {
  const xc = f32x4.pmax(f32x4.pmin(x, sp(TANH_CLAMP)), sp(-TANH_CLAMP));
  const x2 = f32x4.mul(xc, xc);
  let p = madd(x2, sp(-2.76076847742355e-16), sp(2.00018790482477e-13));
  p = madd(x2, p, sp(-8.60467152213735e-11));
  p = madd(x2, p, sp(5.12229709037114e-8));
  p = madd(x2, p, sp(1.48572235717979e-5));
  p = madd(x2, p, sp(6.37261928875436e-4));
  p = madd(x2, p, sp(4.89352455891786e-3));
  let q = madd(x2, sp(1.19825839466702e-6), sp(1.18534705686654e-4));
  q = madd(x2, q, sp(2.26843463243900e-3));
  q = madd(x2, q, sp(4.89352518554385e-3));
  return f32x4.div(f32x4.mul(xc, p), q);
}

/** Logistic σ for the gate loops: ½·tanh(x/2) + ½. */
export function sigmoidGate(x: v128): v128 {
  return madd(inline.always(tanhGate(f32x4.mul(x, sp(0.5)))), sp(0.5), sp(0.5));
}
