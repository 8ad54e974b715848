import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { defaultGenerator } from '../random.js';
import type { Tensor } from '../tensor.js';
import { type InitOptions, fillInPlace } from './fill.js';

/** Options of {@link orthogonal_}. */
export interface OrthogonalOptions extends InitOptions {
  /** Scale factor. Default 1. */
  gain?: number;
}

/**
 * Fills `t` (viewed as `[rows, rest]`) in place with a (semi-)orthogonal matrix and returns it: orthonormal rows
 * when rows ≤ rest, orthonormal columns otherwise (Saxe et al. 2014). As PyTorch's `orthogonal_`: the Q factor of
 * the QR decomposition of a Gaussian matrix, with each column multiplied by the sign of R's diagonal so that Q is
 * uniformly (Haar) distributed. The QR runs in float64 by Householder reflections.
 *
 * @example
 * ```ts run
 * import { orthogonal_ } from '@elman/core';
 * import { RNN } from '@elman/cells';
 *
 * // Orthogonal recurrent weights keep ‖W_hh h‖ = ‖h‖ at initialisation (Saxe et al. 2014).
 * const rnn = new RNN({ inputSize: 8, hiddenSize: 32 });
 * const w = orthogonal_(rnn.weightHh); // [32, 32], filled in place
 * const wwT = w.matmul(w.transpose()); // the identity, up to rounding
 * console.log(wwT.data[0], wwT.data[1]); // ≈ 1, ≈ 0
 * ```
 */
export function orthogonal_(t: Tensor, options: OrthogonalOptions = {}): Tensor {
  if (t.rank < 2) throw new ShapeError(`orthogonal_: only tensors with 2 or more dimensions are supported, got ${fmtShape(t.shape)}`);
  const gain = options.gain ?? 1;
  if (!Number.isFinite(gain)) throw new ValueError(`orthogonal_: gain must be finite, got ${gain}`);
  if (t.size === 0) return t;
  const rows = t.shape[0]!;
  const cols = t.size / rows;
  const gen = options.generator ?? defaultGenerator;
  // Factor the tall orientation: A is m×n with m ≥ n (the Gaussian matrix, transposed when rows < cols).
  const tall = rows >= cols;
  const m = tall ? rows : cols;
  const n = tall ? cols : rows;
  const a = new Float64Array(m * n);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) a[tall ? i * n + j : j * n + i] = gen.normal();
  }
  const q = householderQ(a, m, n);
  return fillInPlace('orthogonal_', t, (d) => {
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) d[i * cols + j] = gain * q[tall ? i * n + j : j * n + i]!;
    }
  });
}

/**
 * The m×n Q factor (m ≥ n, row-major) of A = QR with R's diagonal made non-negative, so Q is unique. `a` is
 * overwritten with R in its upper triangle. Householder QR (Golub & Van Loan, Algorithm 5.2.1) with Q accumulated
 * backwards from the reflectors.
 */
function householderQ(a: Float64Array, m: number, n: number): Float64Array {
  const v = new Float64Array(m * n); // reflector k lives in column k, rows k..m−1
  const beta = new Float64Array(n);
  const sign = new Float64Array(n);
  const w = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let norm = 0;
    for (let i = k; i < m; i++) norm += a[i * n + k]! * a[i * n + k]!;
    norm = Math.sqrt(norm);
    // Reflect x onto −sign(x₀)·‖x‖·e₁ so that v = x − αe₁ does not cancel.
    const alpha = a[k * n + k]! >= 0 ? -norm : norm;
    let vv = 0;
    for (let i = k; i < m; i++) {
      const vi = a[i * n + k]! - (i === k ? alpha : 0);
      v[i * n + k] = vi;
      vv += vi * vi;
    }
    beta[k] = vv > 0 ? 2 / vv : 0;
    applyReflector(a, v, beta[k]!, w, m, n, k);
    sign[k] = a[k * n + k]! < 0 ? -1 : 1;
  }
  const q = new Float64Array(m * n);
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  for (let k = n - 1; k >= 0; k--) applyReflector(q, v, beta[k]!, w, m, n, k);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) q[i * n + j]! *= sign[j]!;
  }
  return q;
}

/** x[k:, k:] ← (I − β·v vᵀ)·x[k:, k:] with v the k-th reflector; `w` is scratch of length n. */
function applyReflector(x: Float64Array, v: Float64Array, beta: number, w: Float64Array, m: number, n: number, k: number): void {
  if (beta === 0) return;
  w.fill(0, k, n);
  for (let i = k; i < m; i++) {
    const vi = v[i * n + k]!;
    for (let j = k; j < n; j++) w[j]! += vi * x[i * n + j]!;
  }
  for (let i = k; i < m; i++) {
    const f = beta * v[i * n + k]!;
    for (let j = k; j < n; j++) x[i * n + j]! -= f * w[j]!;
  }
}
