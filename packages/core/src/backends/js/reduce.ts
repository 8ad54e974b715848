import type { AnyArray, ReduceOp } from '../backend.js';

/** Reduces the middle axis of `[outer, n, inner]`; sums accumulate in float64 for accuracy on long axes. */
export function reduce(op: ReduceOp, x: AnyArray, outer: number, n: number, inner: number, out: AnyArray): void {
  if (op === 'sum') {
    if (inner === 1) {
      for (let o = 0; o < outer; o++) {
        let s = 0;
        const base = o * n;
        for (let j = 0; j < n; j++) s += x[base + j]!;
        out[o] = s;
      }
      return;
    }
    const acc = new Float64Array(inner);
    for (let o = 0; o < outer; o++) {
      acc.fill(0);
      const base = o * n * inner;
      for (let j = 0; j < n; j++) {
        const row = base + j * inner;
        for (let i = 0; i < inner; i++) acc[i]! += x[row + i]!;
      }
      for (let i = 0; i < inner; i++) out[o * inner + i] = acc[i]!;
    }
    return;
  }
  const isMax = op === 'max';
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      let best = isMax ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
      for (let j = 0; j < n; j++) {
        const v = x[base + j * inner]!;
        // NaN propagates, as in PyTorch.
        if (Number.isNaN(v)) {
          best = v;
          break;
        }
        if (isMax ? v > best : v < best) best = v;
      }
      out[o * inner + i] = best;
    }
  }
}

/** First index of the maximum (minimum) along the middle axis; a NaN counts as the extreme, like PyTorch. */
export function argReduce(
  op: 'argmax' | 'argmin',
  x: AnyArray,
  outer: number,
  n: number,
  inner: number,
  out: Int32Array,
): void {
  const isMax = op === 'argmax';
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      let best = x[base]!;
      let bi = 0;
      if (!Number.isNaN(best)) {
        for (let j = 1; j < n; j++) {
          const v = x[base + j * inner]!;
          if (Number.isNaN(v)) {
            bi = j;
            break;
          }
          if (isMax ? v > best : v < best) {
            best = v;
            bi = j;
          }
        }
      }
      out[o * inner + i] = bi;
    }
  }
}
