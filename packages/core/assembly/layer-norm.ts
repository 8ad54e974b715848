// Layer normalisation forward (Ba, Kiros & Hinton 2016) over rows, with PyTorch's biased variance. Mean and variance
// accumulate in f64 like the js backend; the normalised output is formed in f32.
import { hsum64 } from './simd';
import { sumRow } from './reduce';

/**
 * Normalises each of `rows` rows of `cols` floats: `out = (x − mean)·rstd·w + b`; writes the row means and
 * reciprocal standard deviations (f32) for the backward pass. `hasW`/`hasB` = 0 means no weight / bias.
 */
export function layerNorm(
  x: usize,
  w: usize,
  hasW: i32,
  b: usize,
  hasB: i32,
  rows: i32,
  cols: i32,
  eps: f64,
  out: usize,
  mean: usize,
  rstd: usize,
): void {
  const c4 = cols & ~3;
  for (let r = 0; r < rows; r++) {
    const xr = x + ((<usize>(r * cols)) << 2);
    const orow = out + ((<usize>(r * cols)) << 2);
    const mu = sumRow(xr, cols) / <f64>cols;
    const vmu = f64x2.splat(mu);
    let acc = f64x2.splat(0);
    let tail: f64 = 0;
    for (let j = 0; j < c4; j += 4) {
      const v = v128.load(xr + (<usize>j << 2));
      const lo = f64x2.sub(f64x2.promote_low_f32x4(v), vmu);
      const hi = f64x2.sub(f64x2.promote_low_f32x4(i64x2.shuffle(v, v, 1, 0)), vmu);
      acc = f64x2.add(acc, f64x2.add(f64x2.mul(lo, lo), f64x2.mul(hi, hi)));
    }
    for (let j = c4; j < cols; j++) {
      const d = <f64>load<f32>(xr + (<usize>j << 2)) - mu;
      tail += d * d;
    }
    const rs = 1.0 / Math.sqrt((hsum64(acc) + tail) / <f64>cols + eps);
    store<f32>(mean + (<usize>r << 2), <f32>mu);
    store<f32>(rstd + (<usize>r << 2), <f32>rs);
    const m32 = <f32>mu;
    const r32 = <f32>rs;
    const vm = f32x4.splat(m32);
    const vr = f32x4.splat(r32);
    for (let j = 0; j < c4; j += 4) {
      const o = <usize>j << 2;
      let y = f32x4.mul(f32x4.sub(v128.load(xr + o), vm), vr);
      if (hasW) y = f32x4.mul(y, v128.load(w + o));
      if (hasB) y = f32x4.add(y, v128.load(b + o));
      v128.store(orow + o, y);
    }
    for (let j = c4; j < cols; j++) {
      const o = <usize>j << 2;
      let y = (load<f32>(xr + o) - m32) * r32;
      if (hasW) y *= load<f32>(w + o);
      if (hasB) y += load<f32>(b + o);
      store<f32>(orow + o, y);
    }
  }
}
