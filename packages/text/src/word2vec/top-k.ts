/**
 * Indices of the `k` largest `scores[offset + i]` for `i ∈ [0, count)` not `skip`ped, best first (ties: lower index
 * first). Insertion into a sorted buffer of size k: O(count · log k) comparisons for the usual small k.
 */
export function topK(scores: Float32Array, offset: number, count: number, k: number, skip: (i: number) => boolean): number[] {
  const best: number[] = [];
  if (k === 0) return best;
  for (let i = 0; i < count; i++) {
    const s = scores[offset + i]!;
    if (best.length === k && !(s > scores[offset + best[k - 1]!]!)) continue;
    if (skip(i)) continue;
    let lo = 0;
    let hi = best.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (scores[offset + best[mid]!]! >= s) lo = mid + 1;
      else hi = mid;
    }
    best.splice(lo, 0, i);
    if (best.length > k) best.pop();
  }
  return best;
}
