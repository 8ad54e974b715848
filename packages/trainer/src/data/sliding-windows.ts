import { ShapeError, Tensor, ValueError, fmtShape } from '@elman/core';
import type { TensorDataset } from './dataset.js';

/** Options of {@link slidingWindows}. */
export interface SlidingWindowOptions {
  /** Time steps per input window (the look-back). */
  window: number;
  /** Time steps to predict after each window. Default 1. */
  horizon?: number;
  /** Time steps between the starts of consecutive windows. Default 1. */
  stride?: number;
}

/**
 * Cuts a time series into supervised (window → next values) pairs, the seeds' `create_sequences`: window `i` is
 * `series[i·stride, i·stride + window)` and its target the `horizon` values right after it. A series `[T]` gives
 * inputs `[N, window]` and targets `[N, horizon]`; a multivariate series `[T, F]` gives `[N, window, F]` and
 * `[N, horizon, F]`, where `N = ⌊(T − window − horizon) / stride⌋ + 1`. The result is a {@link TensorDataset}.
 *
 * @example
 * ```ts run
 * import { slidingWindows } from '@elman/trainer';
 *
 * const { inputs, targets } = slidingWindows([1, 2, 3, 4, 5, 6, 7], { window: 3, horizon: 2 });
 * console.log(inputs.toArray()); // [[1, 2, 3], [2, 3, 4], [3, 4, 5]]
 * console.log(targets.toArray()); // [[4, 5], [5, 6], [6, 7]]: the next 2 values
 * ```
 */
export function slidingWindows(series: Tensor | Float32Array | readonly number[], options: SlidingWindowOptions): TensorDataset {
  const { window, horizon = 1, stride = 1 } = options;
  for (const [name, v] of [['window', window], ['horizon', horizon], ['stride', stride]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new ValueError(`slidingWindows: ${name} must be an integer >= 1, got ${v}`);
  }
  const t = series instanceof Tensor ? series : new Tensor(Float32Array.from(series), [series.length]);
  if (t.dtype !== 'float32') throw new ValueError(`slidingWindows: series must be float32, got ${t.dtype}`);
  if (t.rank !== 1 && t.rank !== 2) {
    throw new ShapeError(`slidingWindows: series must be [T] or [T, F], got ${fmtShape(t.shape)}`);
  }
  const steps = t.shape[0]!;
  const features = t.rank === 2 ? t.shape[1]! : 1;
  if (steps < window + horizon) {
    throw new ValueError(
      `slidingWindows: a series of ${steps} steps is shorter than window + horizon = ${window} + ${horizon}`,
    );
  }
  const n = Math.floor((steps - window - horizon) / stride) + 1;
  const src = t.data as Float32Array;
  const xs = new Float32Array(n * window * features);
  const ys = new Float32Array(n * horizon * features);
  for (let i = 0; i < n; i++) {
    const start = i * stride * features;
    xs.set(src.subarray(start, start + window * features), i * window * features);
    const tStart = start + window * features;
    ys.set(src.subarray(tStart, tStart + horizon * features), i * horizon * features);
  }
  const tail = t.rank === 2 ? [features] : [];
  return {
    inputs: new Tensor(xs, [n, window, ...tail]), // [N, window] or [N, window, F]
    targets: new Tensor(ys, [n, horizon, ...tail]), // [N, horizon] or [N, horizon, F]
  };
}
