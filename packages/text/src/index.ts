/**
 * @elman/text: tokenizers, `Vocabulary`, one-hot and bag-of-words / TF-IDF encodings, and word2vec (CBOW and
 * skip-gram with negative sampling or hierarchical softmax) with similarity queries, analogy evaluation and the
 * word2vec text/binary formats. Browser-safe; file helpers and worker threads live in `@elman/text/node`.
 * @packageDocumentation
 */
export type { Tokenizer, Normalization } from './tokenize/tokenizer.js';
export { WordTokenizer, type WordTokenizerOptions, type PunctuationMode } from './tokenize/word-tokenizer.js';
export { CharTokenizer, type CharTokenizerOptions } from './tokenize/char-tokenizer.js';
export {
  Vocabulary,
  DEFAULT_SPECIALS,
  type VocabularyOptions,
  type BuildVocabularyOptions,
  type EncodeOptions,
  type DecodeOptions,
  type VocabularyJSON,
} from './vocabulary.js';
export { SparseMatrix } from './encode/sparse-matrix.js';
export { oneHot, oneHotSparse, type Ids } from './encode/one-hot.js';
export {
  bagOfWords,
  inverseDocumentFrequency,
  type BagOfWordsOptions,
  type TfidfOptions,
  type Document,
} from './encode/bag-of-words.js';
export {
  Word2Vec,
  type Word2VecOptions,
  type ResolvedWord2VecOptions,
  type TrainOptions,
  type TrainStats,
} from './word2vec/word2vec.js';
export {
  WordVectors,
  type SimilarWord,
  type MostSimilarOptions,
  type ToEmbeddingOptions,
} from './word2vec/word-vectors.js';
export type { AnalogyOptions, AnalogyResult, AnalogySection } from './word2vec/analogies.js';
export type { Sentence, Corpus } from './word2vec/corpus.js';
export type { KernelChoice } from './word2vec/kernel-state.js';
export { UnknownWordError } from './word2vec/errors.js';
export { formatProgress, type TrainingProgress } from './word2vec/progress.js';
export {
  formatWord2VecText,
  parseWord2VecText,
  formatWord2VecBinary,
  parseWord2VecBinary,
  type TextFormatOptions,
} from './word2vec/word2vec-format.js';
export { buildHuffmanTree, type HuffmanTree } from './word2vec/huffman.js';
export { buildNoiseTable, type NoiseTable } from './word2vec/noise-table.js';
export { keepProbability } from './word2vec/subsampling.js';
