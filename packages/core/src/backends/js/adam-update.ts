import type { AdamUpdateArgs } from '../backend.js';

/**
 * The js backend's Adam / AdamW update ({@link AdamUpdateArgs}): one pass over the elements in float64 arithmetic,
 * rounded to float32 on store. Kingma & Ba 2015; AMSGrad: Reddi et al. 2018.
 */
export function adamUpdate(args: AdamUpdateArgs): void {
  const { param, grad, expAvg: m, expAvgSq: v, maxExpAvgSq: vmax, beta2, eps, stepSize, invBiasCorrection2Sqrt } = args;
  const { weightDecay: wd, shrink } = args;
  const n = param.length;
  const b1 = 1 - args.beta1;
  const b2 = 1 - beta2;
  if (!vmax && wd === 0 && shrink === 1) {
    // The common case (torch defaults) without the per-element decay and AMSGrad terms.
    for (let i = 0; i < n; i++) {
      const g = grad[i]!;
      const mPrev = m[i]!;
      const mi = mPrev + b1 * (g - mPrev);
      const vi = beta2 * v[i]! + b2 * g * g;
      m[i] = mi;
      v[i] = vi;
      param[i] = param[i]! - (stepSize * mi) / (Math.sqrt(vi) * invBiasCorrection2Sqrt + eps);
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const p = param[i]! * shrink;
    const g = grad[i]! + wd * p;
    const mi = m[i]! + b1 * (g - m[i]!);
    const vi = beta2 * v[i]! + b2 * g * g;
    m[i] = mi;
    v[i] = vi;
    let s = vi;
    if (vmax) s = vmax[i] = Math.max(vmax[i]!, vi);
    param[i] = p - (stepSize * mi) / (Math.sqrt(s) * invBiasCorrection2Sqrt + eps);
  }
}
