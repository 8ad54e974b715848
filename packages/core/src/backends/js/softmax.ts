/**
 * Softmax / log-softmax along the middle axis of `[outer, n, inner]`. Subtracting the maximum first keeps exp in
 * range; the sum is taken in float64.
 */
export function softmax(x: Float32Array, outer: number, n: number, inner: number, log: boolean, out: Float32Array): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      let m = Number.NEGATIVE_INFINITY;
      for (let j = 0; j < n; j++) {
        const v = x[base + j * inner]!;
        if (v > m) m = v;
      }
      // A row of all -Infinity (everything masked) yields NaN, as in PyTorch.
      let s = 0;
      for (let j = 0; j < n; j++) s += Math.exp(x[base + j * inner]! - m);
      if (log) {
        const lse = m + Math.log(s);
        for (let j = 0; j < n; j++) out[base + j * inner] = x[base + j * inner]! - lse;
      } else {
        const inv = 1 / s;
        for (let j = 0; j < n; j++) out[base + j * inner] = Math.exp(x[base + j * inner]! - m) * inv;
      }
    }
  }
}
