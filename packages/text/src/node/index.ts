/**
 * @elman/text/node: what needs Node: corpora streamed from files, word2vec vector files, analogy question files,
 * and the worker threads behind `new Word2Vec({ workers: N })`.
 * @packageDocumentation
 */
export { readSentences, type ReadSentencesOptions } from './read-sentences.js';
export { saveWord2VecFile, loadWord2VecFile, evaluateAnalogiesFile, type Word2VecFileOptions } from './vector-files.js';
export { WorkerError } from './hogwild.js';
