// Fused softmax + cross-entropy over rows of logits (Bridle 1990; label smoothing: Szegedy et al. 2016). The forward
// pass keeps one log-sum-exp per row instead of the probabilities: the backward pass recomputes exp(x − lse) while it
// writes the gradient, so neither pass writes a probability matrix as large as the logits.
import { expv } from './math';
import { extremeRow, sumRow } from './reduce';
import { addPromoted, hsum64 } from './simd';

const MAX = 1;

/** e^x of one scalar through the vector routine, so row tails round exactly like the vector body. */
function exp1(x: f32): f32 {
  return f32x4.extract_lane(expv(f32x4.splat(x)), 0);
}

/**
 * Per-row loss `lse − (1−ε)·x[t] − ε·mean(x)` (0 where `target[r] = ignore`) and the row's log-sum-exp
 * `lse = log Σ exp(x)` for `rows` contiguous rows of `n` logits. `target` points at int32 class indices, already
 * range-checked by the op. Sums run in f64.
 */
export function crossEntropyForward(
  x: usize,
  rows: i32,
  n: i32,
  target: usize,
  ignore: i32,
  eps: f32,
  loss: usize,
  lse: usize,
): void {
  const n4 = n & ~3;
  for (let r = 0; r < rows; r++) {
    const xr = x + ((<usize>(r * n)) << 2);
    const m = extremeRow(MAX, xr, n);
    const vm = f32x4.splat(m);
    let acc = f64x2.splat(0);
    let tail: f64 = 0;
    for (let j = 0; j < n4; j += 4) acc = addPromoted(acc, expv(f32x4.sub(v128.load(xr + (<usize>j << 2)), vm)));
    for (let j = n4; j < n; j++) tail += exp1(load<f32>(xr + (<usize>j << 2)) - m);
    const l = <f64>m + Math.log(hsum64(acc) + tail);
    store<f32>(lse + ((<usize>r) << 2), <f32>l);
    const t = load<i32>(target + ((<usize>r) << 2));
    let v: f64 = 0;
    if (t !== ignore) {
      v = l - (1 - <f64>eps) * <f64>load<f32>(xr + (<usize>t << 2));
      if (eps > 0) v -= (<f64>eps * sumRow(xr, n)) / <f64>n;
    }
    store<f32>(loss + ((<usize>r) << 2), <f32>v);
  }
}

/**
 * Gradient of {@link crossEntropyForward} for per-row upstream gradients `g`: `dx[r, c] = g[r]·(exp(x − lse) − ε/n)`
 * minus `g[r]·(1−ε)` at the target, zero rows where ignored. `dx` may equal `x`.
 */
export function crossEntropyBackward(
  x: usize,
  rows: i32,
  n: i32,
  target: usize,
  ignore: i32,
  eps: f32,
  lse: usize,
  g: usize,
  dx: usize,
): void {
  const n4 = n & ~3;
  const floor = eps / <f32>n;
  for (let r = 0; r < rows; r++) {
    const xr = x + ((<usize>(r * n)) << 2);
    const dr = dx + ((<usize>(r * n)) << 2);
    const t = load<i32>(target + ((<usize>r) << 2));
    if (t === ignore) {
      memory.fill(dr, 0, <usize>n << 2);
      continue;
    }
    const gr = load<f32>(g + ((<usize>r) << 2));
    const l = load<f32>(lse + ((<usize>r) << 2));
    const vl = f32x4.splat(l);
    const vf = f32x4.splat(floor);
    const vg = f32x4.splat(gr);
    for (let j = 0; j < n4; j += 4) {
      const o = <usize>j << 2;
      v128.store(dr + o, f32x4.mul(f32x4.sub(expv(f32x4.sub(v128.load(xr + o), vl)), vf), vg));
    }
    for (let j = n4; j < n; j++) {
      const o = <usize>j << 2;
      store<f32>(dr + o, (exp1(load<f32>(xr + o) - l) - floor) * gr);
    }
    const pt = dr + (<usize>t << 2);
    store<f32>(pt, load<f32>(pt) - (1 - eps) * gr);
  }
}
