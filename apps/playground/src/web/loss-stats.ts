/** Summary of a loss curve shown next to the chart (and read by the end-to-end test). */
export interface LossStats {
  /** Steps so far. */
  steps: number;
  /** Loss of the last step. */
  latest: number;
  /** Mean loss of the first `k` steps: the starting level, less noisy than step 1 alone. */
  initial: number;
  /** Mean loss of the last `k` steps. */
  recent: number;
  /** Lowest single-step loss. */
  best: number;
}

/** Summarises `losses` with windows of `k` steps (fewer while the run is shorter); null before the first step. */
export function lossStats(losses: readonly number[], k = 10): LossStats | null {
  const n = losses.length;
  if (n === 0) return null;
  const w = Math.min(k, n);
  let first = 0;
  let last = 0;
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < w; i++) {
    first += losses[i]!;
    last += losses[n - w + i]!;
  }
  for (const l of losses) best = Math.min(best, l);
  return { steps: n, latest: losses[n - 1]!, initial: first / w, recent: last / w, best };
}
