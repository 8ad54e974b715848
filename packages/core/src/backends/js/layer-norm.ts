/**
 * Layer normalisation forward (Ba et al. 2016): per row, biased variance as in PyTorch; mean and 1/σ are written
 * out so the backward pass need not recompute them. Statistics are accumulated in float64.
 */
export function layerNorm(
  x: Float32Array,
  weight: Float32Array | null,
  bias: Float32Array | null,
  rows: number,
  cols: number,
  eps: number,
  out: Float32Array,
  mean: Float32Array,
  rstd: Float32Array,
): void {
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let s = 0;
    for (let c = 0; c < cols; c++) s += x[base + c]!;
    const mu = s / cols;
    let v = 0;
    for (let c = 0; c < cols; c++) {
      const d = x[base + c]! - mu;
      v += d * d;
    }
    const rs = 1 / Math.sqrt(v / cols + eps);
    mean[r] = mu;
    rstd[r] = rs;
    for (let c = 0; c < cols; c++) {
      let y = (x[base + c]! - mu) * rs;
      if (weight) y *= weight[c]!;
      if (bias) y += bias[c]!;
      out[base + c] = y;
    }
  }
}
