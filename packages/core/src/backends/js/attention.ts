import { gemm } from './parallel-gemm.js';
import { softmax } from './softmax.js';

/**
 * Scaled dot-product attention (Vaswani et al. 2017) for `G` independent (batch·head) groups: per group
 * `P = softmax(scale·Q Kᵀ + bias)` and `C = W·V`, with `q [G, T, D]`, `k [G, S, D]`, `v [G, S, Dv]`, `bias`
 * `[G, T, S]` or one `[T, S]` shared by every group (`biasShared`), or null. Writes `p [G, T, S]`, `c [G, T, Dv]`;
 * with a dropout `mask` `[G, T, S]` (0 or 1/(1−p)) also `w = p∘mask` (else W = P and `w` is unused).
 */
export function attentionForward(
  G: number,
  T: number,
  S: number,
  D: number,
  Dv: number,
  q: Float32Array,
  k: Float32Array,
  v: Float32Array,
  bias: Float32Array | null,
  biasShared: boolean,
  scale: number,
  mask: Float32Array | null,
  p: Float32Array,
  w: Float32Array | null,
  c: Float32Array,
): void {
  const ts = T * S;
  for (let g = 0; g < G; g++) {
    const pOff = g * ts;
    gemm(false, true, T, S, D, scale, q, g * T * D, D, k, g * S * D, D, 0, p, pOff, S);
    if (bias) {
      const bOff = biasShared ? 0 : pOff;
      for (let i = 0; i < ts; i++) p[pOff + i]! += bias[bOff + i]!;
    }
    const pg = p.subarray(pOff, pOff + ts);
    softmax(pg, T, S, 1, false, pg);
    let weights = p;
    if (mask && w) {
      for (let i = pOff; i < pOff + ts; i++) w[i] = p[i]! * mask[i]!;
      weights = w;
    }
    gemm(false, false, T, Dv, S, 1, weights, pOff, S, v, g * S * Dv, Dv, 0, c, g * T * Dv, Dv);
  }
}

/**
 * Backward of {@link attentionForward} from the saved probabilities `p`, weights `w` and dropout `mask` (null
 * without dropout, when W = P) and the upstream gradients `dc` `[G, T, Dv]` and `dw` `[G, T, S]` (reaching the
 * weights output directly; null if none): dW = dC·Vᵀ + dw, dV = Wᵀ·dC, dP = dW∘mask, dS = P∘(dP − rowsum(dP∘P)),
 * dQ = scale·dS·K, dK = scale·dSᵀ·Q. `ds` `[G, T, S]` receives dS (the gradient of the bias) when given.
 */
export function attentionBackward(
  G: number,
  T: number,
  S: number,
  D: number,
  Dv: number,
  q: Float32Array,
  k: Float32Array,
  v: Float32Array,
  p: Float32Array,
  w: Float32Array | null,
  mask: Float32Array | null,
  dc: Float32Array,
  dw: Float32Array | null,
  scale: number,
  dq: Float32Array,
  dk: Float32Array,
  dv: Float32Array,
  ds: Float32Array | null,
): void {
  const ts = T * S;
  const buf = ds ?? new Float32Array(ts); // one [T, S] slot reused by every group when dS is not wanted
  for (let g = 0; g < G; g++) {
    const pOff = g * ts;
    const sOff = ds ? pOff : 0;
    if (dw) buf.set(dw.subarray(pOff, pOff + ts), sOff);
    gemm(false, true, T, S, Dv, 1, dc, g * T * Dv, Dv, v, g * S * Dv, Dv, dw ? 1 : 0, buf, sOff, S);
    gemm(true, false, S, Dv, T, 1, mask && w ? w : p, pOff, S, dc, g * T * Dv, Dv, 0, dv, g * S * Dv, Dv);
    if (mask) for (let i = 0; i < ts; i++) buf[sOff + i]! *= mask[pOff + i]!;
    for (let t = 0; t < T; t++) {
      const pr = pOff + t * S;
      const dr = sOff + t * S;
      let s = 0;
      for (let j = 0; j < S; j++) s += p[pr + j]! * buf[dr + j]!;
      for (let j = 0; j < S; j++) buf[dr + j] = p[pr + j]! * (buf[dr + j]! - s);
    }
    gemm(false, false, T, D, S, scale, buf, sOff, S, k, g * S * D, D, 0, dq, g * T * D, D);
    gemm(true, false, S, D, T, scale, buf, sOff, S, q, g * T * D, D, 0, dk, g * S * D, D);
  }
}
