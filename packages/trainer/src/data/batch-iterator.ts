import { type Generator, ShapeError, ValueError, fmtShape, indexSelect, slice, tensor } from '@elman/core';
import type { Batch, TensorDataset } from './dataset.js';

/** Options of {@link batchIterator}. */
export interface BatchIteratorOptions {
  /** Examples per batch (the last batch may be smaller unless `dropLast`). */
  batchSize: number;
  /** Visit the examples in a random order (Fisher–Yates with `generator`). Default false. */
  shuffle?: boolean;
  /** Random stream of the shuffle; required when `shuffle` is true, so that the order is reproducible. */
  generator?: Generator;
  /** Skip a final batch smaller than `batchSize`. Default false. */
  dropLast?: boolean;
}

/**
 * Checks that a {@link TensorDataset} is consistent (same number of inputs, targets and lengths) and returns its
 * number of examples. Errors name `op`.
 */
export function datasetSize(op: string, data: TensorDataset): number {
  const { inputs, targets, lengths } = data;
  if (inputs.rank === 0 || targets.rank === 0) {
    throw new ShapeError(`${op}: inputs and targets need a leading example axis, got ${fmtShape(inputs.shape)} and ${fmtShape(targets.shape)}`);
  }
  const n = inputs.shape[0]!;
  if (targets.shape[0] !== n) {
    throw new ShapeError(
      `${op}: inputs have ${n} examples (${fmtShape(inputs.shape)}) but targets have ${targets.shape[0]} (${fmtShape(targets.shape)})`,
    );
  }
  if (lengths && lengths.length !== n) {
    throw new ShapeError(`${op}: inputs have ${n} examples but lengths has ${lengths.length} entries`);
  }
  return n;
}

/**
 * Mini-batches of an in-memory dataset, in order or shuffled: each batch gathers its rows into new tensors
 * (`[b, ...]`), carrying the matching `lengths` when the dataset has them.
 */
export function* batchIterator(data: TensorDataset, options: BatchIteratorOptions): IterableIterator<Batch> {
  const n = datasetSize('batchIterator', data);
  const { batchSize, shuffle = false, generator, dropLast = false } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new ValueError(`batchIterator: batchSize must be an integer >= 1, got ${batchSize}`);
  }
  if (shuffle && !generator) throw new ValueError('batchIterator: shuffle needs a generator (for a reproducible order)');
  const order = Int32Array.from({ length: n }, (_, i) => i);
  if (shuffle) {
    for (let i = n - 1; i > 0; i--) {
      const j = generator!.randint(i + 1);
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
  }
  const lengths = data.lengths ? Int32Array.from(data.lengths) : undefined;
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(start + batchSize, n);
    if (dropLast && end - start < batchSize) return;
    if (shuffle) {
      const rows = order.subarray(start, end);
      const index = tensor(rows, [rows.length]);
      yield {
        input: indexSelect(data.inputs, 0, index), // [b, ...]
        target: indexSelect(data.targets, 0, index), // [b, ...]
        ...(lengths ? { lengths: Int32Array.from(rows, (r) => lengths[r]!) } : {}),
      };
    } else {
      yield {
        input: slice(data.inputs, 0, start, end), // [b, ...]
        target: slice(data.targets, 0, start, end), // [b, ...]
        ...(lengths ? { lengths: lengths.slice(start, end) } : {}),
      };
    }
  }
}
