import type { Tensor } from '@elman/core';

/** One training example: an input and its target, without a batch axis. */
export interface Example {
  /** The model input, e.g. `[T, X]` for a sequence or `[X]` for a feature vector. */
  input: Tensor;
  /** What the model should produce for `input`. */
  target: Tensor;
}

/** A mini-batch: inputs and targets with the batch axis first. */
export interface Batch {
  /** `[B, ...]` inputs, e.g. `[B, T, X]` sequences. */
  input: Tensor;
  /** `[B, ...]` targets. */
  target: Tensor;
  /** Valid length of each sequence of a right-padded batch (`[B]`); passed to the model as `{lengths}`. */
  lengths?: Int32Array;
}

/**
 * An in-memory dataset as tensors whose first axis indexes the examples (`N`): the trainer shuffles and batches it.
 * Built by hand, by {@link slidingWindows}, or from arrays with `tensor(...)`.
 */
export interface TensorDataset {
  /** `[N, ...]` inputs. */
  inputs: Tensor;
  /** `[N, ...]` targets. */
  targets: Tensor;
  /** Optional valid lengths of right-padded sequences (`N` entries, see {@link padSequences}). */
  lengths?: Int32Array | readonly number[];
}

/**
 * A dataset that produces its own batches, a fresh sequence for every epoch (e.g. {@link bucketByLength}, which
 * reshuffles its buckets per epoch). The trainer's `batchSize` and `shuffle` do not apply to it.
 */
export interface BatchedDataset {
  /** The batches of epoch `epoch` (0-based). */
  batches(epoch: number): Iterable<Batch> | AsyncIterable<Batch>;
  /** Batches per epoch when known (for the progress bar's total and ETA). */
  readonly numBatches?: number;
}

/**
 * Everything `Trainer.fit`, `evaluate` and `predict` accept as data:
 * - a {@link TensorDataset} or an array of {@link Example}s (in memory: shuffled and batched by the trainer; an
 *   array is stacked into tensors once per trainer, so do not change it afterwards);
 * - an iterable or async iterable of examples, read in order and batched (a stream, e.g. `lineDataset` from
 *   `@elman/trainer/node`); it is iterated once per epoch, so it must start over each time it is iterated
 *   (a generator object cannot);
 * - a {@link BatchedDataset}.
 */
export type Dataset = TensorDataset | readonly Example[] | Iterable<Example> | AsyncIterable<Example> | BatchedDataset;

/** True for a {@link TensorDataset}. */
export function isTensorDataset(data: unknown): data is TensorDataset {
  return typeof data === 'object' && data !== null && 'inputs' in data && 'targets' in data;
}

/** True for a {@link BatchedDataset}. */
export function isBatchedDataset(data: unknown): data is BatchedDataset {
  return typeof data === 'object' && data !== null && typeof (data as BatchedDataset).batches === 'function';
}
