import { Tensor, ValueError, slice } from '@elman/core';
import { datasetSize } from './batch-iterator.js';
import { type TensorDataset, isTensorDataset } from './dataset.js';

/** Options of {@link chronologicalSplit}. */
export interface ChronologicalSplitOptions {
  /** Fraction of the items (from the start) for training, in (0, 1]. */
  train: number;
  /** Fraction right after the training part for validation, in [0, 1); the test part gets the rest. Default 0. */
  validation?: number;
  /**
   * Items of the preceding part to repeat at the start of the validation and test parts (default 0). Split a raw
   * series with `overlap = window` so that {@link slidingWindows} of each part can predict from the first step
   * after the boundary, without any target leaking across it.
   */
  overlap?: number;
}

/** The three consecutive parts of {@link chronologicalSplit}. */
export interface ChronologicalSplit<D> {
  /** The earliest items. */
  train: D;
  /** The items after `train`. */
  validation: D;
  /** The latest items. */
  test: D;
}

/** What {@link chronologicalSplit} can cut: a tensor (along axis 0), a {@link TensorDataset}, or an array. */
export type Splittable = Tensor | TensorDataset | readonly unknown[];

/**
 * Splits time-ordered data into train, validation and test parts without shuffling, so that the model is always
 * evaluated on data later than anything it trained on. Sizes are `⌊N·train⌋`, `⌊N·validation⌋` and the rest.
 *
 * @example
 * ```ts run
 * import { arange } from '@elman/core';
 * import { chronologicalSplit } from '@elman/trainer';
 *
 * const series = arange(100); // [100], oldest first
 * const { train, validation, test } = chronologicalSplit(series, { train: 0.7, validation: 0.15 });
 * console.log(train.shape, validation.shape, test.shape); // [70] [15] [15]: never shuffled
 * ```
 */
export function chronologicalSplit<D extends Splittable>(data: D, options: ChronologicalSplitOptions): ChronologicalSplit<D> {
  const { train, validation = 0, overlap = 0 } = options;
  if (!(train > 0 && train <= 1)) throw new ValueError(`chronologicalSplit: train must be in (0, 1], got ${train}`);
  if (!(validation >= 0 && validation < 1)) {
    throw new ValueError(`chronologicalSplit: validation must be in [0, 1), got ${validation}`);
  }
  if (train + validation > 1 + 1e-12) {
    throw new ValueError(`chronologicalSplit: train + validation must be <= 1, got ${train} + ${validation}`);
  }
  if (!Number.isInteger(overlap) || overlap < 0) {
    throw new ValueError(`chronologicalSplit: overlap must be an integer >= 0, got ${overlap}`);
  }
  const n = lengthOf(data);
  const nTrain = Math.floor(n * train);
  const nVal = Math.floor(n * validation);
  const cut = (start: number, end: number): D => sliceOf(data, Math.max(0, start), end);
  return {
    train: cut(0, nTrain),
    validation: cut(nTrain - overlap, nTrain + nVal),
    test: cut(nTrain + nVal - overlap, n),
  };
}

function lengthOf(data: Splittable): number {
  if (data instanceof Tensor) {
    if (data.rank === 0) throw new ValueError('chronologicalSplit: cannot split a scalar tensor');
    return data.shape[0]!;
  }
  if (isTensorDataset(data)) return datasetSize('chronologicalSplit', data);
  return (data as readonly unknown[]).length;
}

function sliceOf<D extends Splittable>(data: D, start: number, end: number): D {
  if (data instanceof Tensor) return slice(data, 0, start, end) as D;
  if (isTensorDataset(data)) {
    const { inputs, targets, lengths } = data;
    return {
      inputs: slice(inputs, 0, start, end),
      targets: slice(targets, 0, start, end),
      ...(lengths ? { lengths: Int32Array.from(lengths).slice(start, end) } : {}),
    } as D;
  }
  return (data as readonly unknown[]).slice(start, end) as unknown as D;
}
