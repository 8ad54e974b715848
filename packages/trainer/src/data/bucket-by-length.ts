import { Generator, ValueError, stack } from '@elman/core';
import { mixSeed } from '../seeds.js';
import type { Batch, BatchedDataset, Example } from './dataset.js';
import { padSequences } from './pad-sequences.js';

/** Options of {@link bucketByLength}. */
export interface BucketByLengthOptions {
  /** Examples per batch. */
  batchSize: number;
  /** Randomise which examples of equal length share a batch, and the order of the batches, every epoch. Default true. */
  shuffle?: boolean;
  /** Seed of the per-epoch shuffles. Default 0. */
  seed?: number;
  /** Padding value of the inputs. Default 0. */
  padValue?: number;
  /**
   * How targets are batched: `'stack'` (default) for fixed-shape targets (one label per sequence), `'pad'` for
   * per-step targets `[t_i, ...]` padded like the inputs.
   */
  targets?: 'stack' | 'pad';
  /** Padding value of per-step targets, e.g. the loss's `ignoreIndex`. Default 0. */
  targetPadValue?: number;
}

/**
 * Groups variable-length sequences into batches of similar length so that little compute goes to padding
 * (torchtext's BucketIterator): each epoch the examples are shuffled, stably sorted by length, cut into batches of
 * `batchSize`, and the batches shuffled. Each batch is right-padded to its own longest sequence and carries
 * `lengths`. Inputs are `[t_i, ...]`; the result is a {@link BatchedDataset} for `Trainer.fit`.
 *
 * @example
 * ```ts run
 * import { tensor } from '@elman/core';
 * import { bucketByLength } from '@elman/trainer';
 *
 * // Sequences of very different lengths: batching similar lengths together wastes less on padding.
 * const examples = [3, 9, 4, 8, 2, 10].map((T, i) => ({ input: tensor(new Float32Array(T * 2), [T, 2]), target: tensor([i % 2]) }));
 * const data = bucketByLength(examples, { batchSize: 2, seed: 0 }); // a BatchedDataset for Trainer.fit
 * for await (const { input, lengths } of data.batches(0)) console.log(input.shape, lengths); // e.g. [2, 10, 2] [9, 10]
 * ```
 */
export function bucketByLength(examples: readonly Example[], options: BucketByLengthOptions): BatchedDataset {
  const { batchSize, shuffle = true, seed = 0, padValue = 0, targets = 'stack', targetPadValue = 0 } = options;
  if (examples.length === 0) throw new ValueError('bucketByLength: needs at least one example');
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new ValueError(`bucketByLength: batchSize must be an integer >= 1, got ${batchSize}`);
  }
  if (targets !== 'stack' && targets !== 'pad') {
    throw new ValueError(`bucketByLength: targets must be 'stack' or 'pad', got '${String(targets)}'`);
  }
  const lengthOf = (i: number): number => examples[i]!.input.shape[0] ?? 0;
  const makeBatch = (ids: readonly number[]): Batch => {
    const { padded, lengths } = padSequences(ids.map((i) => examples[i]!.input), { value: padValue });
    const target =
      targets === 'pad'
        ? padSequences(ids.map((i) => examples[i]!.target), { value: targetPadValue, maxLength: padded.shape[1] }).padded
        : stack(ids.map((i) => examples[i]!.target));
    return { input: padded, target, lengths };
  };
  return {
    numBatches: Math.ceil(examples.length / batchSize),
    *batches(epoch: number): IterableIterator<Batch> {
      const gen = new Generator(mixSeed(seed, epoch));
      const order = examples.map((_, i) => i);
      if (shuffle) shuffleInPlace(order, gen);
      // Array.prototype.sort is stable, so examples of equal length keep their shuffled order.
      order.sort((a, b) => lengthOf(a) - lengthOf(b));
      const groups: number[][] = [];
      for (let s = 0; s < order.length; s += batchSize) groups.push(order.slice(s, s + batchSize));
      if (shuffle) shuffleInPlace(groups, gen);
      for (const ids of groups) yield makeBatch(ids);
    },
  };
}

function shuffleInPlace<T>(items: T[], gen: Generator): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = gen.randint(i + 1);
    const t = items[i]!;
    items[i] = items[j]!;
    items[j] = t;
  }
}
