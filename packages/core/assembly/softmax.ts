// Softmax and log-softmax over rows (Bridle 1990), numerically stable: the row maximum is subtracted before exp.
import { expv } from './math';
import { extremeRow } from './reduce';
import { addPromoted, hsum64 } from './simd';

const MAX = 1;

/** e^x of one scalar through the vector routine, so row tails round exactly like the vector body. */
function exp1(x: f32): f32 {
  return f32x4.extract_lane(expv(f32x4.splat(x)), 0);
}

/**
 * Softmax (or log-softmax when `log` is set) of each of `rows` contiguous rows of `n` floats; `out` may equal `x`.
 * The normaliser is summed in f64. A row of all −Infinity (fully masked) gives NaN, as in PyTorch.
 */
export function softmax(x: usize, rows: i32, n: i32, log: i32, out: usize): void {
  const n4 = n & ~3;
  for (let r = 0; r < rows; r++) {
    const xr = x + ((<usize>(r * n)) << 2);
    const orow = out + ((<usize>(r * n)) << 2);
    const m = extremeRow(MAX, xr, n);
    const vm = f32x4.splat(m);
    let acc = f64x2.splat(0);
    let tail: f64 = 0;
    for (let j = 0; j < n4; j += 4) {
      const o = <usize>j << 2;
      const e = expv(f32x4.sub(v128.load(xr + o), vm));
      acc = addPromoted(acc, e);
      if (!log) v128.store(orow + o, e);
    }
    for (let j = n4; j < n; j++) {
      const o = <usize>j << 2;
      const e = exp1(load<f32>(xr + o) - m);
      tail += e;
      if (!log) store<f32>(orow + o, e);
    }
    const s = hsum64(acc) + tail;
    if (log) {
      const lse = f32x4.splat(<f32>(<f64>m + Math.log(s)));
      for (let j = 0; j < n4; j += 4) {
        const o = <usize>j << 2;
        v128.store(orow + o, f32x4.sub(v128.load(xr + o), lse));
      }
      const l = f32x4.extract_lane(lse, 0);
      for (let j = n4; j < n; j++) store<f32>(orow + (<usize>j << 2), load<f32>(xr + (<usize>j << 2)) - l);
    } else {
      const inv = <f32>(1.0 / s);
      const vinv = f32x4.splat(inv);
      for (let j = 0; j < n4; j += 4) {
        const o = <usize>j << 2;
        v128.store(orow + o, f32x4.mul(v128.load(orow + o), vinv));
      }
      for (let j = n4; j < n; j++) store<f32>(orow + (<usize>j << 2), load<f32>(orow + (<usize>j << 2)) * inv);
    }
  }
}
