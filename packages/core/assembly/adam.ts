// Adam / AdamW update in one pass over a parameter and its moment buffers (Kingma & Ba 2015; AMSGrad: Reddi et al.
// 2018): torch.optim.Adam's rule, as in the js backend's src/backends/js/adam-update.ts, in f32 lanes (the js kernel
// computes in f64; both store f32). Plain multiplies and adds, no relaxed FMA, so both builds round alike everywhere.
import { ld, st } from './recurrent';

/**
 * Updates `n` elements in place: `param`, `m` (exp_avg), `v` (exp_avg_sq) and, unless its pointer is 0, `vmax`
 * (AMSGrad's max_exp_avg_sq); `grad` is read. `b1` = 1 − β₁ and `b2` = 1 − β₂ (formed in f64 by the caller),
 * `stepSize` = lr/(1 − β₁ᵗ), `invBc2` = 1/√(1 − β₂ᵗ); with `decay` 0 the weight-decay terms (`wd`, `shrink`) are
 * skipped, as the js kernel skips them.
 */
export function adamUpdate(
  n: i32,
  param: usize,
  grad: usize,
  m: usize,
  v: usize,
  vmax: usize,
  b1: f32,
  beta2: f32,
  b2: f32,
  eps: f32,
  stepSize: f32,
  invBc2: f32,
  decay: i32,
  wd: f32,
  shrink: f32,
): void {
  const n4 = n & ~3;
  for (let i = 0; i < n4; i += 4) {
    inline.always(adamUnits(param, grad, m, v, vmax, b1, beta2, b2, eps, stepSize, invBc2, decay, wd, shrink, <usize>i << 2, true));
  }
  for (let i = n4; i < n; i++) {
    inline.always(adamUnits(param, grad, m, v, vmax, b1, beta2, b2, eps, stepSize, invBc2, decay, wd, shrink, <usize>i << 2, false));
  }
}

/** The update of elements at byte offset `o`: four lanes, or (at the tail, `vec` false) one. */
function adamUnits(
  param: usize,
  grad: usize,
  m: usize,
  v: usize,
  vmax: usize,
  b1: f32,
  beta2: f32,
  b2: f32,
  eps: f32,
  stepSize: f32,
  invBc2: f32,
  decay: i32,
  wd: f32,
  shrink: f32,
  o: usize,
  vec: bool,
): void {
  let p = ld(param + o, vec);
  let g = ld(grad + o, vec);
  if (decay) {
    p = f32x4.mul(p, f32x4.splat(shrink));
    g = f32x4.add(g, f32x4.mul(f32x4.splat(wd), p));
  }
  const mPrev = ld(m + o, vec);
  const mi = f32x4.add(mPrev, f32x4.mul(f32x4.splat(b1), f32x4.sub(g, mPrev)));
  const vi = f32x4.add(f32x4.mul(f32x4.splat(beta2), ld(v + o, vec)), f32x4.mul(f32x4.mul(f32x4.splat(b2), g), g));
  st(m + o, mi, vec);
  st(v + o, vi, vec);
  let s = vi;
  if (vmax) {
    // max, not pmax: a NaN second moment propagates, as Math.max does in the js kernel.
    s = f32x4.max(ld(vmax + o, vec), vi);
    st(vmax + o, s, vec);
  }
  const denom = f32x4.add(f32x4.mul(f32x4.sqrt(s), f32x4.splat(invBc2)), f32x4.splat(eps));
  st(param + o, f32x4.sub(p, f32x4.div(f32x4.mul(f32x4.splat(stepSize), mi), denom)), vec);
}
