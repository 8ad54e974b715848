import { Generator, Tensor } from '@elman/core';
import { CharTable, type DatePair, generateDates } from '@elman/seq2seq';
import type { Batch, BatchedDataset } from '@elman/trainer';
import { loadCmudict, splitG2P } from './cmudict.js';

/** The two tasks of the app. */
export type TaskName = 'dates' | 'g2p';

/** One source sequence and its reference outputs (dates have one; CMUdict words may have several). */
export interface Pair {
  /** Source symbols (characters). */
  source: string;
  /** Reference target sequences, the one trained on first. */
  references: string[][];
  /** Dates only: `[start, end)` of the year in `source`, for checking where the attention looks. */
  yearSpan?: readonly [number, number];
}

/** A task's data and vocabularies. */
export interface TaskData {
  /** Which task. */
  task: TaskName;
  /** Training pairs. */
  train: Pair[];
  /** Held-out pairs. */
  test: Pair[];
  /** Source characters. */
  src: CharTable;
  /** Target symbols (ISO date characters or ARPAbet phonemes). */
  tgt: CharTable;
}

/** Sizes of the corpus to build. */
export interface DataSizes {
  /** Training pairs (dates), or at most this many training words (g2p; all when larger). */
  train: number;
  /** Held-out pairs (dates), or at most this many of the held-out 5 % (g2p). */
  test: number;
  /** Seed of the corpus and the split. */
  seed: number;
}

/**
 * The task's corpus: generated dates (disjoint held-out days; `@elman/seq2seq`'s `generateDates`), or CMUdict words
 * with a seeded 5 % of the words held out (their first `sizes.test` used for scoring).
 */
export function loadTask(task: TaskName, sizes: DataSizes): TaskData {
  let train: Pair[];
  let test: Pair[];
  if (task === 'dates') {
    const c = generateDates(sizes.train, sizes.test, { seed: sizes.seed });
    const pair = (p: DatePair): Pair => ({ source: p.source, references: [[...p.target]], yearSpan: p.spans.year });
    train = c.train.map(pair);
    test = c.test.map(pair);
  } else {
    const split = splitG2P(loadCmudict(), 0.05, sizes.seed);
    const pair = (e: { word: string; pronunciations: string[][] }): Pair => ({ source: e.word, references: e.pronunciations });
    train = split.train.slice(0, sizes.train).map(pair);
    test = split.test.slice(0, sizes.test).map(pair);
  }
  const src = new CharTable(train.map((p) => p.source));
  const tgt = new CharTable(train.flatMap((p) => p.references));
  return { task, train, test, src, tgt };
}

/** Packs source and target ids into one trainer input `[B, 2, L]` (the trainer passes the model a single tensor). */
export function packPairs(src: Tensor, tgt: Tensor): Tensor {
  const [B, S] = src.shape as [number, number];
  const T = tgt.shape[1]!;
  const L = Math.max(S, T);
  const out = new Int32Array(B * 2 * L); // PAD = 0
  for (let b = 0; b < B; b++) {
    out.set((src.data as Int32Array).subarray(b * S, (b + 1) * S), b * 2 * L);
    out.set((tgt.data as Int32Array).subarray(b * T, (b + 1) * T), (b * 2 + 1) * L);
  }
  return new Tensor(out, [B, 2, L]);
}

/** Splits a {@link packPairs} input back into `src [B, S]` and `tgt [B, T]`, each trimmed to its longest row. */
export function unpackPairs(input: Tensor): { src: Tensor; tgt: Tensor } {
  const [B, , L] = input.shape as [number, number, number];
  const d = input.data as Int32Array;
  const part = (k: number): Tensor => {
    let len = 1;
    for (let b = 0; b < B; b++) {
      for (let i = L; i > len; i--) {
        if (d[(b * 2 + k) * L + i - 1] !== CharTable.PAD) {
          len = i;
          break;
        }
      }
    }
    const out = new Int32Array(B * len);
    for (let b = 0; b < B; b++) out.set(d.subarray((b * 2 + k) * L, (b * 2 + k) * L + len), b * len);
    return new Tensor(out, [B, len]);
  };
  return { src: part(0), tgt: part(1) };
}

/** Encodes pairs as a trainer batch: input `[B, 2, L]`, target `[B, T]` ending in END. */
export function encodePairs(data: TaskData, pairs: readonly Pair[]): Batch {
  const tgt = data.tgt.encodeBatch(pairs.map((p) => p.references[0]!), { end: true });
  return { input: packPairs(data.src.encodeBatch(pairs.map((p) => p.source)), tgt), target: tgt };
}

/**
 * Training batches for the trainer: each epoch shuffles the pairs, cuts them into windows of 50 batches, sorts each
 * window by source length (so that batches pad little) and shuffles the batch order. With `epochSize` below the corpus
 * size, successive epochs walk through the shuffled corpus in slices of that many pairs.
 */
export function trainingBatches(data: TaskData, batchSize: number, seed: number, epochSize = data.train.length): BatchedDataset {
  const n = data.train.length;
  const perEpoch = Math.min(epochSize, n);
  const numBatches = Math.floor(perEpoch / batchSize);
  let order: number[] = [];
  return {
    numBatches,
    *batches(epoch: number): Iterable<Batch> {
      const first = (epoch * perEpoch) % n;
      const g = new Generator(seed * 7919 + epoch);
      if (epoch === 0 || first < perEpoch) order = shuffled(n, g); // a new pass over the corpus
      const idx = Array.from({ length: numBatches * batchSize }, (_, i) => order[(first + i) % n]!);
      const batches: number[][] = [];
      const window = 50 * batchSize;
      for (let w = 0; w < idx.length; w += window) {
        const part = idx.slice(w, w + window).sort((a, b) => data.train[a]!.source.length - data.train[b]!.source.length);
        for (let s = 0; s < part.length; s += batchSize) batches.push(part.slice(s, s + batchSize));
      }
      for (const k of shuffled(batches.length, g)) yield encodePairs(data, batches[k]!.map((i) => data.train[i]!));
    },
  };
}

/** A seeded permutation of 0…n−1 (Fisher–Yates). */
function shuffled(n: number, g: Generator): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = g.randint(i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}
