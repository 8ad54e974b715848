// Reductions along the middle axis of `[outer, n, inner]`. Sums accumulate in f64 (as the js backend does), so long
// axes lose no accuracy; max/min use wasm's f32x4.max/min, which propagate NaN like the js backend.
import { addPromoted, hsum64 } from './simd';

// Reduce op codes (sum 0, max 1, min 2); src/backends/wasm/codes.ts mirrors them. Any code but these two is min.
const SUM = 0;
const MAX = 1;

/**
 * `out[o, i] = reduce_j x[o, j, i]`. `acc` is scratch of `8·ceil(inner/4)·4` bytes used by sums over a strided axis.
 * `out` (padded to whole vectors) must not alias `x`.
 */
export function reduce(op: i32, x: usize, outer: i32, n: i32, inner: i32, out: usize, acc: usize): void {
  if (inner === 1) {
    for (let o = 0; o < outer; o++) {
      const row = x + ((<usize>(o * n)) << 2);
      store<f32>(out + (<usize>o << 2), op === SUM ? <f32>sumRow(row, n) : extremeRow(op, row, n));
    }
    return;
  }
  const vecs = (inner + 3) >> 2;
  const sliceBytes = <usize>(n * inner) << 2;
  const rowBytes = <usize>inner << 2;
  for (let o = 0; o < outer; o++) {
    const slice = x + <usize>o * sliceBytes;
    const dst = out + <usize>o * rowBytes;
    // Rows are not padded, so a row's last vector reads into the next one; those lanes land past this output row and
    // are overwritten by the next one (or fall into padding).
    if (op === SUM) {
      memory.fill(acc, 0, <usize>vecs << 5);
      for (let j = 0; j < n; j++) {
        const row = slice + <usize>j * rowBytes;
        for (let v = 0; v < vecs; v++) {
          const a = acc + (<usize>v << 5);
          const x4 = v128.load(row + (<usize>v << 4));
          v128.store(a, f64x2.add(v128.load(a), f64x2.promote_low_f32x4(x4)));
          v128.store(a, f64x2.add(v128.load(a, 16), f64x2.promote_low_f32x4(i64x2.shuffle(x4, x4, 1, 0))), 16);
        }
      }
      for (let v = 0; v < vecs; v++) {
        const a = acc + (<usize>v << 5);
        const lo = f32x4.demote_f64x2_zero(v128.load(a));
        const hi = f32x4.demote_f64x2_zero(v128.load(a, 16));
        v128.store(dst + (<usize>v << 4), i64x2.shuffle(lo, hi, 0, 2));
      }
    } else {
      const init = f32x4.splat(op === MAX ? f32.NEGATIVE_INFINITY : f32.POSITIVE_INFINITY);
      for (let v = 0; v < vecs; v++) v128.store(dst + (<usize>v << 4), init);
      for (let j = 0; j < n; j++) {
        const row = slice + <usize>j * rowBytes;
        for (let v = 0; v < vecs; v++) {
          const d = dst + (<usize>v << 4);
          const x4 = v128.load(row + (<usize>v << 4));
          v128.store(d, op === MAX ? f32x4.max(v128.load(d), x4) : f32x4.min(v128.load(d), x4));
        }
      }
    }
  }
}

/** Σ row[0..n) in f64 with four independent accumulators. */
export function sumRow(row: usize, n: i32): f64 {
  let a0 = f64x2.splat(0);
  let a1 = f64x2.splat(0);
  let j = 0;
  for (; j + 8 <= n; j += 8) {
    const p = row + (<usize>j << 2);
    a0 = addPromoted(a0, v128.load(p));
    a1 = addPromoted(a1, v128.load(p, 16));
  }
  for (; j + 4 <= n; j += 4) a0 = addPromoted(a0, v128.load(row + (<usize>j << 2)));
  let s = hsum64(f64x2.add(a0, a1));
  for (; j < n; j++) s += <f64>load<f32>(row + (<usize>j << 2));
  return s;
}

/** max (or min) of row[0..n), NaN if any element is NaN; ∓Infinity for an empty row. */
export function extremeRow(op: i32, row: usize, n: i32): f32 {
  const isMax = op === MAX;
  let m = f32x4.splat(isMax ? f32.NEGATIVE_INFINITY : f32.POSITIVE_INFINITY);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const v = v128.load(row + (<usize>j << 2));
    m = isMax ? f32x4.max(m, v) : f32x4.min(m, v);
  }
  let r = isMax
    ? max(max(f32x4.extract_lane(m, 0), f32x4.extract_lane(m, 1)), max(f32x4.extract_lane(m, 2), f32x4.extract_lane(m, 3)))
    : min(min(f32x4.extract_lane(m, 0), f32x4.extract_lane(m, 1)), min(f32x4.extract_lane(m, 2), f32x4.extract_lane(m, 3)));
  for (; j < n; j++) {
    const v = load<f32>(row + (<usize>j << 2));
    r = isMax ? max(r, v) : min(r, v);
  }
  return r;
}
