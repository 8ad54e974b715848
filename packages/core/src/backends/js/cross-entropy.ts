/**
 * Fused softmax + cross-entropy with class indices (Bridle 1990; label smoothing: Szegedy et al. 2016) over the
 * middle axis of `[outer, n, inner]` logits. Position `(o, i)` has target `target[o·inner + i]`. Writes the loss
 * `lse − (1−ε)·x_t − ε·mean_c x_c` (0 where the target is `ignore`) and the log-sum-exp `lse` the backward pass
 * recomputes the probabilities from. Sums run in float64.
 */
export function crossEntropyForward(
  x: Float32Array,
  outer: number,
  n: number,
  inner: number,
  target: Int32Array,
  ignore: number,
  eps: number,
  loss: Float32Array,
  lse: Float32Array,
): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      const r = o * inner + i;
      let m = Number.NEGATIVE_INFINITY;
      for (let j = 0; j < n; j++) {
        const v = x[base + j * inner]!;
        if (v > m) m = v;
      }
      let s = 0;
      let sx = 0;
      for (let j = 0; j < n; j++) {
        const v = x[base + j * inner]!;
        s += Math.exp(v - m);
        sx += v;
      }
      const l = m + Math.log(s);
      lse[r] = l;
      const t = target[r]!;
      loss[r] = t === ignore ? 0 : l - (1 - eps) * x[base + t * inner]! - (eps * sx) / n;
    }
  }
}

/**
 * Gradient of {@link crossEntropyForward} for the per-position upstream gradient `g` `[outer·inner]`:
 * `dx = g·(softmax(x) − (1−ε)·onehot(t) − ε/n)`, zero where the target is `ignore`.
 */
export function crossEntropyBackward(
  x: Float32Array,
  outer: number,
  n: number,
  inner: number,
  target: Int32Array,
  ignore: number,
  eps: number,
  lse: Float32Array,
  g: Float32Array,
  dx: Float32Array,
): void {
  const floor = eps / n;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      const r = o * inner + i;
      const t = target[r]!;
      if (t === ignore) {
        for (let j = 0; j < n; j++) dx[base + j * inner] = 0;
        continue;
      }
      const gr = g[r]!;
      const l = lse[r]!;
      for (let j = 0; j < n; j++) dx[base + j * inner] = (Math.exp(x[base + j * inner]! - l) - floor) * gr;
      dx[base + t * inner]! -= (1 - eps) * gr;
    }
  }
}
