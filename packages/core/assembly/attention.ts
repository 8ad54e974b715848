// Scaled dot-product attention (Vaswani et al. 2017) for G independent (batch·head) groups, forward and backward,
// as GEMMs around a row softmax. The probabilities P are the op's `weights` output anyway (without dropout), so the
// forward pass writes them once and the backward pass reads them back instead of recomputing the scores.
import { gemm, gemmWorkspace } from './gemm';
import { softmax } from './softmax';

/** Scratch bytes the attention kernels need: the largest of their GEMMs' workspaces. */
export function attentionWorkspace(T: i32, S: i32, D: i32, Dv: i32): i32 {
  return max(
    max(max(gemmWorkspace(T, S, D), gemmWorkspace(T, S, Dv)), max(gemmWorkspace(T, Dv, S), gemmWorkspace(S, Dv, T))),
    max(gemmWorkspace(T, D, S), gemmWorkspace(S, D, T)),
  );
}

/**
 * For each group g: `P = softmax(scale·Q Kᵀ + bias)` `[T, S]` and `C = W·V` `[T, Dv]`, with `q [G, T, D]`,
 * `k [G, S, D]`, `v [G, S, Dv]`. `bias` (0 for none) is `[G, T, S]`, or one `[T, S]` for every group when
 * `biasShared`; −Infinity masks a key. Without dropout W = P; with a dropout `mask` `[G, T, S]` (0 or 1/(1−p),
 * Srivastava et al. 2014) W = P∘mask is written to `w` and P is kept for the backward pass.
 */
export function attentionForward(
  G: i32,
  T: i32,
  S: i32,
  D: i32,
  Dv: i32,
  q: usize,
  k: usize,
  v: usize,
  bias: usize,
  biasShared: i32,
  scale: f32,
  mask: usize,
  p: usize,
  w: usize,
  c: usize,
  work: usize,
): void {
  const ts = <usize>(T * S) << 2;
  for (let g = 0; g < G; g++) {
    const pg = p + <usize>g * ts;
    gemm(0, 1, T, S, D, scale, q + ((<usize>(g * T * D)) << 2), D, k + ((<usize>(g * S * D)) << 2), D, 0, pg, S, work);
    if (bias !== 0) addInPlace(pg, biasShared ? bias : bias + <usize>g * ts, T * S);
    softmax(pg, T, S, 0, pg);
    let wg = pg;
    if (mask !== 0) {
      wg = w + <usize>g * ts;
      mulInto(wg, pg, mask + <usize>g * ts, T * S);
    }
    gemm(0, 0, T, Dv, S, 1, wg, S, v + ((<usize>(g * S * Dv)) << 2), Dv, 0, c + ((<usize>(g * T * Dv)) << 2), Dv, work);
  }
}

/**
 * Backward of {@link attentionForward} from the saved `p`, the weights `w` and dropout `mask` (both 0 without
 * dropout, when W = P) and the upstream `dc` `[G, T, Dv]` (plus `dw` `[G, T, S]`, the gradient reaching the weights
 * output directly, unless 0): dW = dC·Vᵀ + dw, dV = Wᵀ·dC, dP = dW∘mask, dS = P∘(dP − rowsum(dP∘P)),
 * dQ = scale·dS·K, dK = scale·dSᵀ·Q. `ds` `[G, T, S]` receives dS (the bias gradient) unless 0; otherwise one
 * `[T, S]` slot at `ds1` is reused for every group.
 */
export function attentionBackward(
  G: i32,
  T: i32,
  S: i32,
  D: i32,
  Dv: i32,
  q: usize,
  k: usize,
  v: usize,
  p: usize,
  w: usize,
  mask: usize,
  dc: usize,
  dw: usize,
  scale: f32,
  dq: usize,
  dk: usize,
  dv: usize,
  ds: usize,
  ds1: usize,
  work: usize,
): void {
  const ts = <usize>(T * S) << 2;
  for (let g = 0; g < G; g++) {
    const pg = p + <usize>g * ts;
    const qg = q + ((<usize>(g * T * D)) << 2);
    const kg = k + ((<usize>(g * S * D)) << 2);
    const vg = v + ((<usize>(g * S * Dv)) << 2);
    const dcg = dc + ((<usize>(g * T * Dv)) << 2);
    const dsg = ds !== 0 ? ds + <usize>g * ts : ds1;
    if (dw !== 0) memory.copy(dsg, dw + <usize>g * ts, ts);
    gemm(0, 1, T, S, Dv, 1, dcg, Dv, vg, Dv, dw !== 0 ? 1 : 0, dsg, S, work);
    const wg = mask !== 0 ? w + <usize>g * ts : pg;
    gemm(1, 0, S, Dv, T, 1, wg, S, dcg, Dv, 0, dv + ((<usize>(g * S * Dv)) << 2), Dv, work);
    if (mask !== 0) mulInto(dsg, dsg, mask + <usize>g * ts, T * S);
    softmaxGrad(pg, dsg, T, S);
    gemm(0, 0, T, D, S, scale, dsg, S, kg, D, 0, dq + ((<usize>(g * T * D)) << 2), D, work);
    gemm(1, 0, S, D, T, scale, dsg, S, qg, D, 0, dk + ((<usize>(g * S * D)) << 2), D, work);
  }
}

/** `out[i] = x[i]·y[i]` for n floats; `out` may equal `x`. */
function mulInto(out: usize, x: usize, y: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, f32x4.mul(v128.load(x + o), v128.load(y + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, load<f32>(x + o) * load<f32>(y + o));
  }
}

/** `x[i] += y[i]` for n floats. */
function addInPlace(x: usize, y: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(x + o, f32x4.add(v128.load(x + o), v128.load(y + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(x + o, load<f32>(x + o) + load<f32>(y + o));
  }
}

/**
 * Softmax backward in place over `rows` rows of `n`: `d ← p∘(d − Σ d∘p)`. The row sum runs in f32 lanes: its terms
 * are bounded by |d| (the p sum to 1), so it carries no cancellation worse than the subtraction that follows.
 */
function softmaxGrad(p: usize, d: usize, rows: i32, n: i32): void {
  for (let r = 0; r < rows; r++) {
    const pr = p + ((<usize>(r * n)) << 2);
    const dr = d + ((<usize>(r * n)) << 2);
    let acc = f32x4.splat(0);
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const o = <usize>j << 2;
      acc = f32x4.add(acc, f32x4.mul(v128.load(pr + o), v128.load(dr + o)));
    }
    let s = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
    for (let t = j; t < n; t++) s += load<f32>(pr + (<usize>t << 2)) * load<f32>(dr + (<usize>t << 2));
    const vs = f32x4.splat(s);
    for (j = 0; j + 4 <= n; j += 4) {
      const o = <usize>j << 2;
      v128.store(dr + o, f32x4.mul(v128.load(pr + o), f32x4.sub(v128.load(dr + o), vs)));
    }
    for (; j < n; j++) {
      const o = <usize>j << 2;
      store<f32>(dr + o, load<f32>(pr + o) * (load<f32>(dr + o) - s));
    }
  }
}
