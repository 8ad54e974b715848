import { ValueError } from '@elman/core';

/** What {@link pca} returns. */
export interface PcaResult {
  /** Principal axes `[k, D]`, row-major unit vectors, by decreasing variance (each axis' sign is arbitrary). */
  components: Float64Array;
  /** Variance along each axis (sample variance, n − 1 denominator). */
  variances: Float64Array;
  /** The rows projected on the axes `[n, k]`, after centring. */
  projections: Float64Array;
  /** Mean row `[D]` that was subtracted. */
  mean: Float64Array;
}

/**
 * Principal component analysis of `n` rows of `D` values (row-major): centres the rows, forms the covariance
 * matrix and extracts the top `k` eigenvectors by power iteration with deflation (Hotelling 1933), in float64.
 * Enough for projecting word vectors to 2-D; not meant for large D.
 */
export function pca(rows: ArrayLike<number>, n: number, D: number, k = 2, iterations = 500): PcaResult {
  if (!(Number.isInteger(n) && n >= 2 && Number.isInteger(D) && D >= 1)) throw new ValueError(`pca: needs n >= 2 rows of D >= 1 values, got n = ${n}, D = ${D}`);
  if (rows.length !== n * D) throw new ValueError(`pca: rows has ${rows.length} values, expected n · D = ${n} · ${D}`);
  if (!(Number.isInteger(k) && k >= 1 && k <= D)) throw new ValueError(`pca: k must be an integer in [1, ${D}], got ${k}`);
  const mean = new Float64Array(D);
  for (let i = 0; i < n; i++) for (let d = 0; d < D; d++) mean[d]! += rows[i * D + d]! / n;
  const centred = new Float64Array(n * D);
  for (let i = 0; i < n; i++) for (let d = 0; d < D; d++) centred[i * D + d] = rows[i * D + d]! - mean[d]!;
  const cov = new Float64Array(D * D); // [D, D]
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < D; a++) {
      const xa = centred[i * D + a]!;
      if (xa === 0) continue;
      for (let b = 0; b < D; b++) cov[a * D + b]! += (xa * centred[i * D + b]!) / (n - 1);
    }
  }
  const components = new Float64Array(k * D);
  const variances = new Float64Array(k);
  const v = new Float64Array(D);
  const w = new Float64Array(D);
  for (let c = 0; c < k; c++) {
    // A fixed, generic start vector (not orthogonal to any axis in practice) keeps the result deterministic.
    for (let d = 0; d < D; d++) v[d] = 1 + 0.1 * Math.sin(d + 1 + c);
    let lambda = 0;
    for (let it = 0; it < iterations; it++) {
      for (let a = 0; a < D; a++) {
        let s = 0;
        for (let b = 0; b < D; b++) s += cov[a * D + b]! * v[b]!;
        w[a] = s;
      }
      let norm = 0;
      for (let d = 0; d < D; d++) norm += w[d]! * w[d]!;
      norm = Math.sqrt(norm);
      if (norm === 0) break; // the remaining variance is zero: any unit vector orthogonal to the others will do
      let change = 0;
      for (let d = 0; d < D; d++) {
        const next = w[d]! / norm;
        change = Math.max(change, Math.abs(next - v[d]!));
        v[d] = next;
      }
      lambda = norm;
      if (change < 1e-12) break;
    }
    components.set(v, c * D);
    variances[c] = lambda;
    // Deflation: remove the found axis so the next power iteration converges to the following one.
    for (let a = 0; a < D; a++) for (let b = 0; b < D; b++) cov[a * D + b]! -= lambda * v[a]! * v[b]!;
  }
  const projections = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let d = 0; d < D; d++) s += centred[i * D + d]! * components[c * D + d]!;
      projections[i * k + c] = s;
    }
  }
  return { components, variances, projections, mean };
}
