import { type Tensor, ValueError } from '@elman/core';
import type { Tokenizer } from '../tokenize/tokenizer.js';
import { WordTokenizer } from '../tokenize/word-tokenizer.js';
import type { Vocabulary } from '../vocabulary.js';
import { SparseMatrix } from './sparse-matrix.js';

/** A document: raw text (tokenized with the `tokenizer` option) or its tokens. */
export type Document = string | readonly string[];

/** TF-IDF weighting, with scikit-learn's `TfidfVectorizer` defaults. */
export interface TfidfOptions {
  /**
   * Precomputed inverse document frequencies (from {@link inverseDocumentFrequency} on the training documents),
   * one per vocabulary id. Default: computed from the documents being encoded.
   */
  idf?: Float64Array;
  /** Smooth idf as if one extra document held every word: `ln((1 + n) / (1 + df)) + 1`. Default true. */
  smoothIdf?: boolean;
  /** Replace a count `tf` by `1 + ln(tf)`. Default false. */
  sublinearTf?: boolean;
  /** Normalise each document vector: `'l2'` (default), `'l1'`, or `'none'`. */
  norm?: 'l2' | 'l1' | 'none';
}

/** Options of {@link bagOfWords}. */
export interface BagOfWordsOptions {
  /** 1 when a word occurs in the document, instead of its count. Default false. */
  binary?: boolean;
  /** Weight counts by TF-IDF (`true` for the defaults of {@link TfidfOptions}). Default false. */
  tfidf?: boolean | TfidfOptions;
  /** Splits string documents; default `new WordTokenizer({ punctuation: 'strip' })` (case kept: the vocabulary decides). */
  tokenizer?: Tokenizer;
}

const DEFAULT_TOKENIZER = new WordTokenizer({ punctuation: 'strip' });

/** Per document, the (id, count) pairs in increasing id order, as CSR arrays with counts as values. */
function countMatrix(op: string, docs: readonly Document[], vocab: Vocabulary, tokenizer: Tokenizer): SparseMatrix {
  const unk = vocab.unkId;
  const indptr = new Int32Array(docs.length + 1);
  const cols: number[] = [];
  const vals: number[] = [];
  const counts = new Map<number, number>();
  for (let d = 0; d < docs.length; d++) {
    const doc = docs[d];
    if (typeof doc !== 'string' && !Array.isArray(doc)) throw new ValueError(`${op}: document ${d} is neither a string nor a token array`);
    const tokens = typeof doc === 'string' ? tokenizer.tokenize(doc) : doc;
    counts.clear();
    for (const t of tokens) {
      // Unknown words count towards <unk> when the vocabulary has one, and are ignored otherwise (scikit-learn's way).
      const id = vocab.has(t) ? vocab.idOf(t) : unk;
      if (id !== null) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    const ids = [...counts.keys()].sort((a, b) => a - b);
    for (const id of ids) {
      cols.push(id);
      vals.push(counts.get(id)!);
    }
    indptr[d + 1] = cols.length;
  }
  return new SparseMatrix([docs.length, vocab.size], indptr, Int32Array.from(cols), Float32Array.from(vals));
}

/**
 * Inverse document frequency of every vocabulary id over `docs`, scikit-learn's formula:
 * `ln((1 + n) / (1 + df)) + 1` when `smooth` (default), `ln(n / df) + 1` otherwise (0 for a word in no document).
 *
 * @example
 * ```ts run
 * import { Vocabulary, inverseDocumentFrequency } from '@elman/text';
 *
 * const docs = ['the whale', 'the ship', 'the sea'];
 * const vocab = new Vocabulary(['the', 'whale', 'ship', 'sea'], { specials: [] });
 * console.log(inverseDocumentFrequency(docs, vocab)); // 'the' (in every document) weighs least
 * ```
 */
export function inverseDocumentFrequency(
  docs: readonly Document[],
  vocab: Vocabulary,
  options: { smooth?: boolean; tokenizer?: Tokenizer } = {},
): Float64Array {
  if (docs.length === 0) throw new ValueError('inverseDocumentFrequency: no documents');
  const m = countMatrix('inverseDocumentFrequency', docs, vocab, options.tokenizer ?? DEFAULT_TOKENIZER);
  const df = new Float64Array(vocab.size);
  for (let k = 0; k < m.nnz; k++) df[m.indices[k]!]! += 1;
  const n = docs.length;
  const smooth = options.smooth ?? true;
  const idf = new Float64Array(vocab.size);
  for (let v = 0; v < vocab.size; v++) {
    const f = df[v]!;
    idf[v] = smooth ? Math.log((1 + n) / (1 + f)) + 1 : f === 0 ? 0 : Math.log(n / f) + 1;
  }
  return idf;
}

/**
 * Bag-of-words document vectors: row `d` holds, for each vocabulary id, how often the word occurs in document `d`
 * (or 1/0 with `binary`, or its TF-IDF weight with `tfidf`). Returns a dense float32 `[docs, vocab.size]` tensor,
 * or a {@link SparseMatrix} with `{ sparse: true }`.
 *
 * @example
 * ```ts run
 * import { Vocabulary, bagOfWords } from '@elman/text';
 *
 * const vocab = new Vocabulary(['I', 'am', 'good', 'great'], { specials: [] });
 * console.log(bagOfWords(['I am good', 'I am great'], vocab).toArray()); // [[1, 1, 1, 0], [1, 1, 0, 1]]
 * console.log(bagOfWords([['good', 'good']], vocab, { binary: true }).toArray()); // [[0, 0, 1, 0]]
 * const sparse = bagOfWords(['I am good'], vocab, { sparse: true, tfidf: true }); // CSR rows for large vocabularies
 * console.log(sparse.shape);
 * ```
 */
export function bagOfWords(docs: readonly Document[], vocab: Vocabulary, options?: BagOfWordsOptions & { sparse?: false }): Tensor;
/** As above, returning the sparse CSR form. */
export function bagOfWords(docs: readonly Document[], vocab: Vocabulary, options: BagOfWordsOptions & { sparse: true }): SparseMatrix;
export function bagOfWords(
  docs: readonly Document[],
  vocab: Vocabulary,
  options: BagOfWordsOptions & { sparse?: boolean } = {},
): Tensor | SparseMatrix {
  const tokenizer = options.tokenizer ?? DEFAULT_TOKENIZER;
  const m = countMatrix('bagOfWords', docs, vocab, tokenizer);
  const values = m.values;
  if (options.binary) values.fill(1);
  if (options.tfidf) {
    const opts: TfidfOptions = options.tfidf === true ? {} : options.tfidf;
    const idf = opts.idf ?? inverseDocumentFrequency(docs, vocab, { smooth: opts.smoothIdf ?? true, tokenizer });
    if (idf.length !== vocab.size) throw new ValueError(`bagOfWords: idf has ${idf.length} entries for a vocabulary of ${vocab.size}`);
    const norm = opts.norm ?? 'l2';
    if (!['l2', 'l1', 'none'].includes(norm)) throw new ValueError(`bagOfWords: tfidf.norm must be 'l2', 'l1' or 'none', got '${norm}'`);
    for (let d = 0; d < docs.length; d++) {
      const lo = m.indptr[d]!;
      const hi = m.indptr[d + 1]!;
      let total = 0;
      const w = new Float64Array(hi - lo);
      for (let k = lo; k < hi; k++) {
        const tf = values[k]!;
        const x = (opts.sublinearTf ? 1 + Math.log(tf) : tf) * idf[m.indices[k]!]!;
        w[k - lo] = x;
        total += norm === 'l2' ? x * x : Math.abs(x);
      }
      const scale = norm === 'none' || total === 0 ? 1 : norm === 'l2' ? 1 / Math.sqrt(total) : 1 / total;
      for (let k = lo; k < hi; k++) values[k] = w[k - lo]! * scale;
    }
  }
  return options.sparse ? m : m.toDense();
}
