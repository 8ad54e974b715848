/**
 * Times `run` the way every Elman benchmark is timed: warm up (JIT tiers, caches, allocator), then time single
 * repetitions until both `minTimeMs` of timed work and `minReps` repetitions are done, and report the median.
 * The median ignores the occasional GC pause or scheduler hiccup that would drag a mean.
 *
 * @param {() => void} run one repetition of the measured work (synchronous)
 * @param {{warmupMs?: number, minWarmupReps?: number, minTimeMs?: number, minReps?: number, maxReps?: number}} [opts]
 * @returns {{medianMs: number, minMs: number, maxMs: number, reps: number}}
 */
export function measure(run, opts = {}) {
  const { warmupMs = 250, minWarmupReps = 2, minTimeMs = 1000, minReps = 5, maxReps = 100_000 } = opts;
  let warm = 0;
  const warmStart = performance.now();
  while (warm < minWarmupReps || performance.now() - warmStart < warmupMs) {
    run();
    warm++;
  }
  const samples = [];
  let total = 0;
  while ((total < minTimeMs || samples.length < minReps) && samples.length < maxReps) {
    const t0 = performance.now();
    run();
    const dt = performance.now() - t0;
    samples.push(dt);
    total += dt;
  }
  return summarize(samples);
}

/**
 * {@link measure} for repetitions that return a promise (work on worker threads): the same schedule, awaiting each
 * repetition inside its timing.
 *
 * @param {() => Promise<void>} run one repetition of the measured work
 * @param {{warmupMs?: number, minWarmupReps?: number, minTimeMs?: number, minReps?: number, maxReps?: number}} [opts]
 * @returns {Promise<{medianMs: number, minMs: number, maxMs: number, reps: number}>}
 */
export async function measureAsync(run, opts = {}) {
  const { warmupMs = 250, minWarmupReps = 2, minTimeMs = 1000, minReps = 5, maxReps = 100_000 } = opts;
  let warm = 0;
  const warmStart = performance.now();
  while (warm < minWarmupReps || performance.now() - warmStart < warmupMs) {
    await run();
    warm++;
  }
  const samples = [];
  let total = 0;
  while ((total < minTimeMs || samples.length < minReps) && samples.length < maxReps) {
    const t0 = performance.now();
    await run();
    const dt = performance.now() - t0;
    samples.push(dt);
    total += dt;
  }
  return summarize(samples);
}

/** Median, minimum and maximum of the timed repetitions. */
function summarize(samples) {
  samples.sort((a, b) => a - b);
  const mid = samples.length >> 1;
  const medianMs = samples.length % 2 === 1 ? samples[mid] : (samples[mid - 1] + samples[mid]) / 2;
  return { medianMs, minMs: samples[0], maxMs: samples[samples.length - 1], reps: samples.length };
}
