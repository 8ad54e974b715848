import { Embedding, ShapeError, type Tensor, ValueError, getBackend, tensor } from '@elman/core';
import type { Vocabulary } from '../vocabulary.js';
import { type AnalogyOptions, type AnalogyResult, evaluateAnalogyText } from './analogies.js';
import { UnknownWordError } from './errors.js';
import { topK } from './top-k.js';

/** A word and its cosine similarity to a query. */
export interface SimilarWord {
  /** The word. */
  word: string;
  /** Cosine similarity in [−1, 1]. */
  similarity: number;
}

/** A {@link WordVectors.mostSimilar} query: words to add and to subtract, as in gensim's `most_similar`. */
export interface MostSimilarOptions {
  /** Words whose unit vectors are added. */
  positive?: readonly string[];
  /** Words whose unit vectors are subtracted. */
  negative?: readonly string[];
  /** How many results. Default 10. */
  topn?: number;
  /** Only consider the first (most frequent) this many words. Default all. */
  restrictVocab?: number;
}

/** Options of {@link WordVectors.toEmbedding}. */
export interface ToEmbeddingOptions {
  /** Keep the vectors fixed during training (default true, as `Embedding.fromPretrained`). */
  freeze?: boolean;
  /** Padding row; default the vocabulary's `<pad>` id when a vocabulary is given, else none. */
  paddingIdx?: number | null;
}

/**
 * A table of word vectors (gensim's `KeyedVectors`): one float32 row of size {@link WordVectors.vectorSize} per
 * word, words in decreasing corpus frequency when trained here. Queries use cosine similarity.
 */
export class WordVectors {
  /** @internal Words in row order. */
  protected _words: string[];
  /** @internal Word → row. */
  protected _index: Map<string, number>;
  /** @internal The rows `[V, D]`. */
  protected _vectors: Float32Array;
  /** @internal D. */
  protected _dim: number;
  /** Unit-length rows, computed on first use; reset when the vectors change. */
  private unitCache: Float32Array | null = null;

  /**
   * Wraps `vectors [words.length, vectorSize]` (not copied).
   *
   * @param words - One word per row; duplicates are an error.
   * @param vectors - Row-major `[V, D]` values.
   * @param vectorSize - D.
   */
  constructor(words: readonly string[], vectors: Float32Array, vectorSize: number) {
    if (!(Number.isInteger(vectorSize) && vectorSize > 0)) throw new ValueError(`WordVectors: vectorSize must be a positive integer, got ${vectorSize}`);
    if (vectors.length !== words.length * vectorSize) {
      throw new ShapeError(`WordVectors: ${vectors.length} values for ${words.length} words × ${vectorSize} dimensions`);
    }
    this._words = [...words];
    this._index = new Map();
    for (let i = 0; i < words.length; i++) {
      if (this._index.has(words[i]!)) throw new ValueError(`WordVectors: duplicate word '${words[i]}' at row ${i}`);
      this._index.set(words[i]!, i);
    }
    this._vectors = vectors;
    this._dim = vectorSize;
  }

  /** Number of words V. */
  get size(): number {
    return this._words.length;
  }

  /** Vector size D. */
  get vectorSize(): number {
    return this._dim;
  }

  /** The words in row order. */
  get words(): readonly string[] {
    return this._words;
  }

  /** The live `[V, D]` matrix, row-major (not a copy: writing to it changes the vectors). */
  get vectors(): Float32Array {
    return this._vectors;
  }

  /** Whether `word` has a vector. */
  has(word: string): boolean {
    return this._index.has(word);
  }

  /** Row of `word`, or −1. */
  indexOf(word: string): number {
    return this._index.get(word) ?? -1;
  }

  /** A copy of the vector of `word`. */
  vector(word: string): Float32Array {
    const i = this.rowOf('vector', word);
    return this._vectors.slice(i * this._dim, (i + 1) * this._dim);
  }

  /** Cosine similarity of two words (0 when one of them has a zero vector). */
  similarity(a: string, b: string): number {
    const unit = this.unitVectors();
    const ia = this.rowOf('similarity', a) * this._dim;
    const ib = this.rowOf('similarity', b) * this._dim;
    let dot = 0;
    for (let k = 0; k < this._dim; k++) dot += unit[ia + k]! * unit[ib + k]!;
    return dot;
  }

  /**
   * The words nearest to a query by cosine similarity, query words excluded: a word, a list of words (their mean),
   * or gensim's `{ positive, negative }` form (mean of the positive unit vectors minus the negative ones).
   *
   * @example
   * ```ts run
   * import { WordVectors } from '@elman/text';
   *
   * const wv = new WordVectors(['king', 'queen', 'man', 'woman'], Float32Array.from([1, 1, 1, -1, 1, 0.1, 1, -0.9]), 2);
   * console.log(wv.mostSimilar('king', 2)); // [{word: 'man', …}, {word: 'woman', …}]
   * console.log(wv.mostSimilar({ positive: ['king', 'woman'], negative: ['man'], topn: 1 })); // [{word: 'queen', …}]
   * ```
   */
  mostSimilar(query: string | readonly string[] | MostSimilarOptions, topn?: number): SimilarWord[] {
    const q: MostSimilarOptions = typeof query === 'string' ? { positive: [query] } : Array.isArray(query) ? { positive: query } : (query as MostSimilarOptions);
    const positive = q.positive ?? [];
    const negative = q.negative ?? [];
    const n = topn ?? q.topn ?? 10;
    if (positive.length + negative.length === 0) throw new ValueError('mostSimilar: give at least one positive or negative word');
    if (!(Number.isInteger(n) && n >= 0)) throw new ValueError(`mostSimilar: topn must be a non-negative integer, got ${n}`);
    const D = this._dim;
    const unit = this.unitVectors();
    const target = new Float32Array(D); // [D]
    const exclude = new Set<number>();
    for (const [words, sign] of [[positive, 1], [negative, -1]] as const) {
      for (const w of words) {
        const r = this.rowOf('mostSimilar', w);
        exclude.add(r);
        for (let k = 0; k < D; k++) target[k]! += sign * unit[r * D + k]!;
      }
    }
    const limit = Math.min(q.restrictVocab ?? this.size, this.size);
    const scores = this.scoreRows(target, 1, limit);
    normaliseScores(scores, target);
    return topK(scores, 0, limit, n, (i) => exclude.has(i)).map((i) => ({ word: this._words[i]!, similarity: scores[i]! }));
  }

  /**
   * Solves "a is to b as c is to ?" by 3CosAdd (Mikolov et al. 2013, "Linguistic regularities in continuous space
   * word representations"): the word nearest to b − a + c (unit vectors), the three question words excluded.
   *
   * @example
   * ```ts run
   * import { WordVectors } from '@elman/text';
   *
   * // Toy 2-D vectors: axis 0 "royalty", axis 1 "gender". Real ones come from Word2Vec or loadWord2VecFile.
   * const wv = new WordVectors(['man', 'woman', 'king', 'queen', 'apple'], Float32Array.from([0, 1, 0, -1, 1, 1, 1, -1, -1, 0]), 2);
   * console.log(wv.analogy('man', 'king', 'woman').word); // 'queen': king − man + woman
   * ```
   */
  analogy(a: string, b: string, c: string): SimilarWord {
    const best = this.mostSimilar({ positive: [b, c], negative: [a], topn: 1 });
    if (best.length === 0) throw new ValueError('analogy: the vocabulary has no word besides the three question words');
    return best[0]!;
  }

  /**
   * Scores the vectors on analogy questions in the `questions-words.txt` format of word2vec.c (`: section` header
   * lines, then `a b c d` per line): a question counts as correct when {@link WordVectors.analogy} of `a b c`
   * returns `d`. Questions with a word outside the first `restrictVocab` words are skipped, as in the C tool's
   * `compute-accuracy` and gensim's `evaluate_word_analogies`. Pass the file's text; `@elman/text/node` has
   * `evaluateAnalogiesFile(wv, path)`.
   */
  evaluateAnalogies(questions: string, options: AnalogyOptions = {}): AnalogyResult {
    return evaluateAnalogyText(questions, options, {
      words: this._words,
      dim: this._dim,
      unit: this.unitVectors(),
      score: (queries, count, limit) => this.scoreRows(queries, count, limit),
    });
  }

  /** The vectors as a float32 tensor `[V, D]` (a copy). */
  toTensor(): Tensor {
    return tensor(this._vectors.slice(), [this.size, this._dim]);
  }

  /**
   * An `Embedding` layer holding these vectors (frozen by default). Without a vocabulary its rows follow
   * {@link WordVectors.words}; with one, row `i` is the vector of `vocab.tokenOf(i)`, zeros for tokens without a
   * vector (specials included), and the padding row defaults to `<pad>`.
   */
  toEmbedding(vocab?: Vocabulary, options: ToEmbeddingOptions = {}): Embedding {
    const D = this._dim;
    let weights: Tensor;
    let paddingIdx = options.paddingIdx;
    if (vocab === undefined) {
      weights = this.toTensor();
    } else {
      const data = new Float32Array(vocab.size * D); // [vocab.size, D]
      for (let i = 0; i < vocab.size; i++) {
        const r = this._index.get(vocab.tokenOf(i));
        if (r !== undefined) data.set(this._vectors.subarray(r * D, (r + 1) * D), i * D);
      }
      weights = tensor(data, [vocab.size, D]);
      if (paddingIdx === undefined) paddingIdx = vocab.padId;
    }
    return Embedding.fromPretrained(weights, { freeze: options.freeze ?? true, paddingIdx: paddingIdx ?? null });
  }

  /** @internal Call after writing to the vectors, so similarity queries see the new values. */
  protected vectorsChanged(): void {
    this.unitCache = null;
  }

  /** @internal Row of `word`, or an {@link UnknownWordError} naming `op`. */
  protected rowOf(op: string, word: string): number {
    const i = this._index.get(word);
    if (i === undefined) throw new UnknownWordError(op, word);
    return i;
  }

  private unitVectors(): Float32Array {
    if (this.unitCache !== null) return this.unitCache;
    const D = this._dim;
    const src = this._vectors;
    const unit = new Float32Array(src.length); // [V, D]
    for (let r = 0; r < this.size; r++) {
      let ss = 0;
      for (let k = 0; k < D; k++) ss += src[r * D + k]! * src[r * D + k]!;
      const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
      for (let k = 0; k < D; k++) unit[r * D + k] = src[r * D + k]! * inv;
    }
    this.unitCache = unit;
    return unit;
  }

  /** Dot products of `count` query rows `[count, D]` with the first `limit` unit rows, by the backend's GEMM. */
  private scoreRows(queries: Float32Array, count: number, limit: number): Float32Array {
    const D = this._dim;
    const scores = new Float32Array(count * limit); // [count, limit]
    if (limit > 0) getBackend().gemm(false, true, count, limit, D, 1, queries, 0, D, this.unitVectors(), 0, D, 0, scores, 0, limit);
    return scores;
  }
}

/** Divides scores by the query's norm, turning dot products with unit rows into cosines. */
function normaliseScores(scores: Float32Array, query: Float32Array): void {
  let ss = 0;
  for (let k = 0; k < query.length; k++) ss += query[k]! * query[k]!;
  const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
  for (let i = 0; i < scores.length; i++) scores[i]! *= inv;
}
