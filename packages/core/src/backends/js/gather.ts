import type { AnyArray } from '../backend.js';

/** Rows at least this long are copied with `TypedArray.set` (a memcpy); shorter ones by a loop, which avoids the subarray. */
const ROW_SET_MIN = 32;

/** Gather along the middle axis of `[outer, n, inner]`; indices were range-checked by the op. */
export function gather(
  x: AnyArray,
  outer: number,
  n: number,
  inner: number,
  index: Int32Array,
  k: number,
  indexShared: boolean,
  out: AnyArray,
): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < k; j++) {
      const dst = (o * k + j) * inner;
      if (indexShared) {
        // index-select / embedding lookup: whole rows move at once, long rows as one memcpy-backed `set`.
        const src = (o * n + index[j]!) * inner;
        if (inner >= ROW_SET_MIN) out.set(x.subarray(src, src + inner), dst);
        else for (let i = 0; i < inner; i++) out[dst + i] = x[src + i]!;
      } else {
        for (let i = 0; i < inner; i++) out[dst + i] = x[(o * n + index[dst + i]!) * inner + i]!;
      }
    }
  }
}

/** Adjoint of {@link gather}: scatter-add `src` `[outer, k, inner]` into `out` `[outer, n, inner]`. */
export function scatterAdd(
  src: Float32Array,
  outer: number,
  n: number,
  inner: number,
  index: Int32Array,
  k: number,
  indexShared: boolean,
  out: Float32Array,
): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < k; j++) {
      const s = (o * k + j) * inner;
      if (indexShared) {
        const d = (o * n + index[j]!) * inner;
        for (let i = 0; i < inner; i++) out[d + i]! += src[s + i]!;
      } else {
        for (let i = 0; i < inner; i++) out[(o * n + index[s + i]!) * inner + i]! += src[s + i]!;
      }
    }
  }
}
