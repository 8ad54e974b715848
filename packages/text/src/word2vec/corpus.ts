import { ValueError } from '@elman/core';

/** A sentence: its tokens, or a string split on whitespace (as word2vec.c reads its training file). */
export type Sentence = string | readonly string[];

/**
 * A training corpus: an array or any re-iterable collection of sentences, sync or async (e.g. `readSentences(path)`
 * from `@elman/text/node`, which re-reads the file on every pass). Training makes one counting pass plus one pass
 * per epoch, so a one-shot iterator (a generator object) is only accepted when a single pass is needed.
 */
export type Corpus = Iterable<Sentence> | AsyncIterable<Sentence>;

const WHITESPACE_TOKEN = /\S+/g;

/** The tokens of a sentence; strings split on whitespace. */
export function tokensOf(op: string, sentence: Sentence): readonly string[] {
  if (typeof sentence === 'string') return sentence.match(WHITESPACE_TOKEN) ?? [];
  if (!Array.isArray(sentence)) {
    throw new ValueError(`${op}: each sentence must be a string or an array of tokens, got ${describe(sentence)}`);
  }
  return sentence;
}

function describe(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
}

/** Checks that `corpus` can be iterated `passes` times; returns whether it is synchronous. */
export function checkCorpus(op: string, corpus: unknown, passes: number): boolean {
  if (typeof corpus === 'string') {
    throw new ValueError(
      `${op}: the corpus must be an iterable of sentences, got a string (wrap it in an array, or read a file with readSentences(path) from '@elman/text/node')`,
    );
  }
  const c = corpus as { [Symbol.iterator]?: unknown; [Symbol.asyncIterator]?: unknown; next?: unknown } | null;
  const sync = c !== null && typeof c === 'object' && typeof c[Symbol.iterator] === 'function';
  const async = c !== null && typeof c === 'object' && typeof c[Symbol.asyncIterator] === 'function';
  if (!sync && !async) throw new ValueError(`${op}: the corpus must be an iterable or async iterable of sentences, got ${describe(corpus)}`);
  // An iterator (it has next()) is exhausted after one pass; arrays and re-iterable collections are not.
  if (passes > 1 && typeof c!.next === 'function') {
    throw new ValueError(
      `${op}: the corpus is a one-shot iterator (e.g. a generator) but training needs ${passes} passes (vocabulary + epochs); pass an array, an object whose [Symbol.iterator]() or [Symbol.asyncIterator]() starts afresh, or readSentences(path)`,
    );
  }
  return sync;
}

/** A chunk of the corpus as word ids: `ids[0..length)`, sentences back to back, `ends[i]` the end of sentence `i`. */
export interface Chunk {
  readonly ids: Int32Array;
  readonly ends: Int32Array;
  readonly length: number;
  readonly sentences: number;
}

/**
 * Packs sentences of word ids into one chunk: `ids` back to back, `ends[i]` the end of sentence `i`. Tokens not in
 * the vocabulary are dropped (word2vec.c skips them too, and does not count them for the learning-rate schedule).
 */
export class ChunkBuilder implements Chunk {
  /** Word ids, sentences back to back. */
  ids: Int32Array;
  /** End offset of each sentence. */
  ends: Int32Array;
  /** Filled length of `ids`. */
  length = 0;
  /** Number of sentences. */
  sentences = 0;
  /** Tokens read so far, in the vocabulary or not (the caller resets it). */
  corpusWords = 0;

  /** A builder of chunks of at most `capacity` words. */
  constructor(
    private readonly index: ReadonlyMap<string, number>,
    readonly capacity: number,
  ) {
    this.ids = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
  }

  /** True when no more words fit. */
  get full(): boolean {
    return this.length === this.capacity;
  }

  /**
   * Appends `tokens[from..]` as one sentence until the chunk is full.
   *
   * @returns Where it stopped: `tokens.length` when the whole sentence fit.
   */
  append(tokens: readonly string[], from: number): number {
    const ids = this.ids;
    const index = this.index;
    const start = this.length;
    let n = start;
    let i = from;
    for (; i < tokens.length && n < this.capacity; i++) {
      const id = index.get(tokens[i]!);
      if (id !== undefined) ids[n++] = id;
    }
    this.corpusWords += i - from;
    if (n > start) this.ends[this.sentences++] = n;
    this.length = n;
    return i;
  }

  /** Empties the chunk (after it was trained on or handed to a worker). */
  clear(): void {
    this.length = 0;
    this.sentences = 0;
  }
}
