// Shared pieces of the fused whole-sequence kernels (lstm-sequence.ts, gru-sequence.ts, rnn-sequence.ts). The whole
// time loop runs here: the recurrent weights are packed once per call (gemm.ts packB), each step runs one packed
// GEMM and then the gate nonlinearities and state update over its [B, G·H] result while it is still in cache.
// Slabs are batch-first [B, T, ·]; processing step s of sequence b works on time step s (or len − 1 − s when
// reversed) while s < len, and leaves the state frozen after (PyTorch packed-sequence semantics).
import { gemm, gemmWorkspace } from './gemm';

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
  acc: usize,
  work: usize,
): void {
  if (dx) gemm(0, 0, rows, X, GH, 1, dG, GH, wih, X, 0, dx, X, work);
  if (dWih) gemm(1, 0, GH, X, rows, 1, dG, GH, x, X, 0, dWih, X, work);
  if (db) columnSums(dG, rows, GH, GH, db, acc);
}

/** `out[j] = Σ_r m[r·ld + j]` for j < n, accumulated in f64 in `acc` (8·n bytes, rounded up to vectors). */
export function columnSums(m: usize, rows: i32, n: i32, ld: i32, out: usize, acc: usize): void {
  memory.fill(acc, 0, <usize>(n + 1) << 3);
  for (let r = 0; r < rows; r++) {
    const row = m + (<usize>(r * ld) << 2);
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const a = acc + (<usize>j << 3);
      v128.store(a, f64x2.add(v128.load(a), f64x2.promote_low_f32x4(v128.load64_zero(row + (<usize>j << 2)))));
    }
    for (; j < n; j++) {
      const a = acc + (<usize>j << 3);
      store<f64>(a, load<f64>(a) + <f64>load<f32>(row + (<usize>j << 2)));
    }
  }
  for (let j = 0; j < n; j++) store<f32>(out + (<usize>j << 2), <f32>load<f64>(acc + (<usize>j << 3)));
}

/** Σ of the four lanes of `v` squared, in f64. */
export function sumSquares(v: v128, vec: bool): f64 {
  const q = f32x4.mul(v, v);
  if (!vec) return <f64>f32x4.extract_lane(q, 0);
  return <f64>f32x4.extract_lane(q, 0) + <f64>f32x4.extract_lane(q, 1) + <f64>f32x4.extract_lane(q, 2) + <f64>f32x4.extract_lane(q, 3);
}
