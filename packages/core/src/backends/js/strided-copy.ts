import type { AnyArray } from '../backend.js';

/**
 * `dst[dstOffset + Σ i_k·dstStrides_k] (+)= src[srcOffset + Σ i_k·srcStrides_k]` over every index of `shape`.
 * The innermost axis is a tight loop; outer axes advance like an odometer, so nothing is allocated per element.
 */
export function stridedCopy(
  src: AnyArray,
  srcOffset: number,
  srcStrides: readonly number[],
  dst: AnyArray,
  dstOffset: number,
  dstStrides: readonly number[],
  shape: readonly number[],
  accumulate: boolean,
): void {
  const rank = shape.length;
  let total = 1;
  for (const d of shape) total *= d;
  if (total === 0) return;
  if (rank === 0) {
    dst[dstOffset] = accumulate ? dst[dstOffset]! + src[srcOffset]! : src[srcOffset]!;
    return;
  }
  const last = rank - 1;
  const inner = shape[last]!;
  const ss = srcStrides[last]!;
  const ds = dstStrides[last]!;
  const idx = new Array<number>(rank).fill(0);
  let so = srcOffset;
  let dOff = dstOffset;
  const rows = total / inner;
  for (let r = 0; r < rows; r++) {
    if (accumulate) {
      for (let j = 0, s = so, d = dOff; j < inner; j++, s += ss, d += ds) dst[d] = dst[d]! + src[s]!;
    } else if (ss === 1 && ds === 1) {
      for (let j = 0; j < inner; j++) dst[dOff + j] = src[so + j]!;
    } else {
      for (let j = 0, s = so, d = dOff; j < inner; j++, s += ss, d += ds) dst[d] = src[s]!;
    }
    for (let ax = last - 1; ax >= 0; ax--) {
      idx[ax]!++;
      so += srcStrides[ax]!;
      dOff += dstStrides[ax]!;
      if (idx[ax]! < shape[ax]!) break;
      so -= srcStrides[ax]! * shape[ax]!;
      dOff -= dstStrides[ax]! * shape[ax]!;
      idx[ax] = 0;
    }
  }
}
