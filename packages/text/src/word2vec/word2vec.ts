import { Generator, ValueError } from '@elman/core';
import { byCountThenToken } from '../vocabulary.js';
import { ChunkBuilder, type Corpus, type Sentence, checkCorpus, tokensOf } from './corpus.js';
import type { KernelState } from './kernel.js';
import { type KernelChoice, createKernelState } from './kernel-state.js';
import type { TrainingProgress } from './progress.js';
import { type ChunkSink, LocalSink, type RunSettings, TrainingRun } from './training-run.js';
import { WordVectors } from './word-vectors.js';

/** Options of {@link Word2Vec}; defaults are word2vec.c's. */
export interface Word2VecOptions {
  /** `'cbow'` (default, as word2vec.c): the mean of the context vectors predicts the word; `'skipgram'`: the word's vector predicts each context word. */
  architecture?: 'cbow' | 'skipgram';
  /** Vector size. Default 100. */
  vectorSize?: number;
  /** Largest distance to a context word; each position uses a random window in [1, window]. Default 5. */
  window?: number;
  /** Ignore words seen fewer times. Default 5. */
  minCount?: number;
  /** Negative samples per positive pair, drawn from unigram^0.75; 0 disables negative sampling. Default 5. */
  negative?: number;
  /** Train a hierarchical softmax over a Huffman tree (alone or with negative sampling). Default false. */
  hs?: boolean;
  /** Subsampling threshold for frequent words; 0 disables it. Default 1e-3. */
  sample?: number;
  /** Starting learning rate. Default 0.05 for CBOW, 0.025 for skip-gram. */
  alpha?: number;
  /** Learning rate at the end of training (linear decay). Default 0.0001 · alpha. */
  minAlpha?: number;
  /** Passes over the corpus. Default 5. */
  epochs?: number;
  /** Threads: 1 (default) trains on the calling thread; N > 1 trains Hogwild-style on N worker threads (Node only). */
  workers?: number;
  /** Seed of the initial vectors and of the training's random stream; with one worker, same seed → same vectors. Default 1. */
  seed?: number;
  /** Keep only the most frequent words, at most this many. Default unlimited. */
  maxVocabSize?: number;
  /** Longest sentence after subsampling; longer ones are cut into pieces. Default 1000, as word2vec.c. */
  maxSentenceLength?: number;
  /**
   * The training loop: `'wasm'` (WebAssembly SIMD128, f32 math like word2vec.c; several times faster, and the one
   * that scales with workers), `'js'` (plain JavaScript), or `'auto'` (default: wasm where the runtime supports it
   * and the model fits in a 4 GiB wasm memory, else js). Both take the same random decisions for a seed.
   */
  kernel?: KernelChoice;
}

/** The options of a {@link Word2Vec} with every default filled in. */
export interface ResolvedWord2VecOptions extends Required<Omit<Word2VecOptions, 'maxVocabSize'>> {
  /** Vocabulary cap, or null for none. */
  maxVocabSize: number | null;
}

/** Options of {@link Word2Vec.train} and {@link Word2Vec.trainSync}. */
export interface TrainOptions {
  /** Called about every `progressInterval` ms and at the end of each epoch; see `formatProgress`. */
  onProgress?: (progress: TrainingProgress) => void;
  /** Least milliseconds between two progress reports. Default 1000. */
  progressInterval?: number;
}

/** What a training run did. */
export interface TrainStats {
  /** Epochs run. */
  epochs: number;
  /** Every token read, in the vocabulary or not, all epochs. */
  corpusWords: number;
  /** In-vocabulary words processed (before subsampling), all epochs. */
  words: number;
  /** Words actually trained on after subsampling. */
  trainedWords: number;
  /** Wall-clock seconds. */
  seconds: number;
  /** `corpusWords / seconds`. */
  wordsPerSecond: number;
}

/** Words per chunk: the learning rate is updated once per chunk (word2vec.c: every 10,000 words). */
const CHUNK_WORDS = 10_000;

/**
 * word2vec (Mikolov et al. 2013, "Efficient estimation of word representations in vector space" and "Distributed
 * representations of words and phrases and their compositionality") with the semantics of the original C tool:
 * vocabulary sorted by count, CBOW or skip-gram, negative sampling from unigram^0.75 and/or hierarchical softmax
 * over a Huffman tree, frequent-word subsampling, a randomly shrunk window, linear learning-rate decay, sigmoid
 * from a table clipped at ±6. Trained vectors answer the {@link WordVectors} queries.
 *
 * @example
 * ```ts run
 * import { Word2Vec } from '@elman/text';
 *
 * // Two topics that never share a sentence.
 * const animals = ['cat', 'dog', 'horse', 'cow', 'sheep', 'goat'];
 * const tools = ['hammer', 'saw', 'drill', 'wrench', 'chisel', 'pliers'];
 * const sentences = Array.from({ length: 600 }, (_, s) =>
 *   Array.from({ length: 8 }, (_, k) => (s % 2 ? tools : animals)[(s * 7 + k * k) % 6]!),
 * );
 * const model = new Word2Vec({ architecture: 'skipgram', vectorSize: 16, window: 3, minCount: 1, epochs: 3, seed: 1 });
 * await model.train(sentences); // string[][] or any (async) re-iterable of sentences
 * console.log(model.mostSimilar('dog', 3)); // other animals, with their cosine similarities
 * console.log(model.similarity('cat', 'horse') > model.similarity('cat', 'saw')); // true
 * ```
 */
export class Word2Vec extends WordVectors {
  /** The options, defaults filled in. */
  readonly options: Readonly<ResolvedWord2VecOptions>;
  private counts = new Float64Array(0);
  private wordsPerEpoch = 0;
  private state: KernelState | null = null;

  /** A model with no vocabulary yet; {@link Word2Vec.train} builds it from the corpus first. */
  constructor(options: Word2VecOptions = {}) {
    const resolved = resolveOptions(options);
    super([], new Float32Array(0), resolved.vectorSize);
    this.options = Object.freeze(resolved);
  }

  /** The training loop in use, `'wasm'` or `'js'` (see {@link Word2VecOptions.kernel}); null before the vocabulary is built. */
  get kernel(): 'wasm' | 'js' | null {
    return this.state === null ? null : this.state.wasm ? 'wasm' : 'js';
  }

  /** Corpus count of `word` (0 when it is not in the vocabulary). */
  count(word: string): number {
    const i = this._index.get(word);
    return i === undefined ? 0 : this.counts[i]!;
  }

  /** Counts the corpus (one pass), builds the vocabulary and initialises the weights. */
  async buildVocab(corpus: Corpus): Promise<void> {
    const sync = checkCorpus('Word2Vec.buildVocab', corpus, 1);
    const counter = new WordCounter();
    if (sync) for (const s of corpus as Iterable<Sentence>) counter.add(tokensOf('Word2Vec.buildVocab', s));
    else for await (const s of corpus as AsyncIterable<Sentence>) counter.add(tokensOf('Word2Vec.buildVocab', s));
    this.initialise(counter);
  }

  /** {@link Word2Vec.buildVocab} for a synchronous corpus. */
  buildVocabSync(corpus: Iterable<Sentence>): void {
    if (!checkCorpus('Word2Vec.buildVocabSync', corpus, 1)) throw new ValueError('Word2Vec.buildVocabSync: the corpus is async; use buildVocab');
    const counter = new WordCounter();
    for (const s of corpus) counter.add(tokensOf('Word2Vec.buildVocabSync', s));
    this.initialise(counter);
  }

  /**
   * Trains for `epochs` passes over `corpus` (building the vocabulary first when there is none). Runs on the
   * calling thread with one worker; with `workers > 1`, on Node worker threads sharing the weights (Hogwild).
   */
  async train(corpus: Corpus, options: TrainOptions = {}): Promise<TrainStats> {
    const op = 'Word2Vec.train';
    const sync = checkCorpus(op, corpus, (this.state === null ? 1 : 0) + this.options.epochs);
    if (this.state === null) await this.buildVocab(corpus);
    const state = this.state!;
    let sink: ChunkSink & { close?(): Promise<void> };
    if (this.options.workers > 1) {
      const isNode = typeof process !== 'undefined' && process.versions?.node !== undefined;
      if (!isNode) throw new ValueError(`${op}: workers > 1 needs Node worker threads; use workers: 1 here`);
      const { HogwildSink } = await import('../node/hogwild.js');
      sink = await HogwildSink.start({ state, workers: this.options.workers });
    } else {
      sink = new LocalSink(state);
    }
    const run = this.startRun(sink, options, Array.isArray(corpus));
    // The local sink never asks to wait: feed it synchronously, without a microtask per sentence.
    const feed: (s: Sentence) => void | Promise<void> =
      sink instanceof LocalSink ? (s: Sentence) => run.feedSync(tokensOf(op, s)) : (s: Sentence) => run.feed(tokensOf(op, s));
    try {
      for (let e = 1; e <= this.options.epochs; e++) {
        run.epoch = e;
        if (run.canReplay) {
          await run.replay();
        } else if (sync) {
          for (const s of corpus as Iterable<Sentence>) {
            const pending = feed(s);
            if (pending) await pending;
          }
        } else {
          for await (const s of corpus as AsyncIterable<Sentence>) await feed(s);
        }
        await run.flush();
        await sink.drain();
        if (options.onProgress) run.report();
      }
    } finally {
      await sink.close?.();
      this.vectorsChanged();
    }
    return this.stats(run, sink);
  }

  /** {@link Word2Vec.train} for a synchronous corpus with one worker, returning when done. */
  trainSync(corpus: Iterable<Sentence>, options: TrainOptions = {}): TrainStats {
    const op = 'Word2Vec.trainSync';
    if (this.options.workers > 1) throw new ValueError(`${op}: runs on the calling thread; use train() for workers: ${this.options.workers}`);
    if (!checkCorpus(op, corpus, (this.state === null ? 1 : 0) + this.options.epochs)) throw new ValueError(`${op}: the corpus is async; use train`);
    if (this.state === null) this.buildVocabSync(corpus);
    const sink = new LocalSink(this.state!);
    const run = this.startRun(sink, options, Array.isArray(corpus));
    try {
      for (let e = 1; e <= this.options.epochs; e++) {
        run.epoch = e;
        if (run.canReplay) {
          run.replaySync();
        } else {
          for (const s of corpus) run.feedSync(tokensOf(op, s));
          run.flushSync();
        }
        if (options.onProgress) run.report();
      }
    } finally {
      this.vectorsChanged();
    }
    return this.stats(run, sink);
  }

  /**
   * A run feeding `sink`. With `inMemory` (the corpus is an array, so the caller holds it anyway), the first epoch's
   * word ids are kept (4 bytes per word) and later epochs replay them; streamed corpora are read again each epoch.
   */
  private startRun(sink: ChunkSink, options: TrainOptions, inMemory: boolean): TrainingRun {
    const settings: RunSettings = {
      epochs: this.options.epochs,
      wordsPerEpoch: this.wordsPerEpoch,
      alpha: this.options.alpha,
      minAlpha: this.options.minAlpha,
      onProgress: options.onProgress,
      progressInterval: options.progressInterval ?? 1000,
      record: inMemory && this.options.epochs > 1,
    };
    return new TrainingRun(settings, new ChunkBuilder(this._index, CHUNK_WORDS), sink);
  }

  private stats(run: TrainingRun, sink: ChunkSink): TrainStats {
    const seconds = run.elapsed();
    return {
      epochs: this.options.epochs,
      corpusWords: run.corpusWords,
      words: run.words,
      trainedWords: sink.trainedWords,
      seconds,
      wordsPerSecond: seconds > 0 ? run.corpusWords / seconds : 0,
    };
  }

  /** Vocabulary from the counts, then word2vec.c's `InitNet`: syn0 ~ U(−0.5/D, 0.5/D), syn1 and syn1neg zero. */
  private initialise(counter: WordCounter): void {
    const o = this.options;
    if (counter.corpusWords === 0) throw new ValueError('Word2Vec.buildVocab: the corpus is empty (no words)');
    const entries = [...counter.counts].filter(([, c]) => c >= o.minCount);
    if (entries.length === 0) {
      throw new ValueError(
        `Word2Vec.buildVocab: the vocabulary is empty: none of the ${counter.counts.size} distinct words occurs at least minCount = ${o.minCount} times`,
      );
    }
    entries.sort(byCountThenToken);
    if (o.maxVocabSize !== null) entries.length = Math.min(entries.length, o.maxVocabSize);
    const D = o.vectorSize;
    const words = entries.map(([w]) => w);
    const counts = Float64Array.from(entries, ([, c]) => c);
    let total = 0;
    for (const c of counts) total += c;
    const state = createKernelState(
      {
        cbow: o.architecture === 'cbow',
        hs: o.hs,
        negative: o.negative,
        window: o.window,
        dim: D,
        counts,
        totalWords: total,
        sample: o.sample,
        maxSentenceLength: o.maxSentenceLength,
        chunkCapacity: CHUNK_WORDS,
        workers: o.workers,
      },
      o.kernel,
    );
    const gen = new Generator(o.seed);
    gen.fillUniform(state.syn0, -0.5 / D, 0.5 / D); // [V, D]
    state.rng[0] = gen.nextUint32() | 0;
    this._words = words;
    this._index = new Map(words.map((w, i) => [w, i]));
    this._vectors = state.syn0;
    this.counts = counts;
    this.wordsPerEpoch = total;
    this.state = state;
    this.vectorsChanged();
  }
}

/** The counting pass: occurrences of every distinct token, and the number of tokens. */
class WordCounter {
  readonly counts = new Map<string, number>();
  corpusWords = 0;

  add(tokens: readonly string[]): void {
    const counts = this.counts;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      counts.set(t, (counts.get(t) ?? 0) + 1);
    }
    this.corpusWords += tokens.length;
  }
}

function resolveOptions(o: Word2VecOptions): ResolvedWord2VecOptions {
  const architecture = o.architecture ?? 'cbow';
  if (architecture !== 'cbow' && architecture !== 'skipgram') {
    throw new ValueError(`Word2Vec: architecture must be 'cbow' or 'skipgram', got '${architecture}'`);
  }
  const int = (name: string, v: number, min: number) => {
    if (!(Number.isInteger(v) && v >= min)) throw new ValueError(`Word2Vec: ${name} must be an integer ≥ ${min}, got ${v}`);
    return v;
  };
  const alpha = o.alpha ?? (architecture === 'cbow' ? 0.05 : 0.025);
  if (!(Number.isFinite(alpha) && alpha > 0)) throw new ValueError(`Word2Vec: alpha must be a positive number, got ${alpha}`);
  const minAlpha = o.minAlpha ?? 0.0001 * alpha;
  if (!(minAlpha >= 0 && minAlpha <= alpha)) throw new ValueError(`Word2Vec: minAlpha must be in [0, alpha = ${alpha}], got ${minAlpha}`);
  const sample = o.sample ?? 1e-3;
  if (!(Number.isFinite(sample) && sample >= 0)) throw new ValueError(`Word2Vec: sample must be a non-negative number, got ${sample}`);
  const seed = o.seed ?? 1;
  if (!Number.isFinite(seed)) throw new ValueError(`Word2Vec: seed must be a finite number, got ${seed}`);
  const negative = int('negative', o.negative ?? 5, 0);
  const hs = o.hs ?? false;
  const kernel = o.kernel ?? 'auto';
  if (kernel !== 'auto' && kernel !== 'wasm' && kernel !== 'js') {
    throw new ValueError(`Word2Vec: kernel must be 'auto', 'wasm' or 'js', got '${kernel}'`);
  }
  if (!hs && negative === 0) throw new ValueError('Word2Vec: nothing to train: set negative > 0, hs: true, or both');
  return {
    architecture,
    vectorSize: int('vectorSize', o.vectorSize ?? 100, 1),
    window: int('window', o.window ?? 5, 1),
    minCount: int('minCount', o.minCount ?? 5, 0),
    negative,
    hs,
    sample,
    alpha,
    minAlpha,
    epochs: int('epochs', o.epochs ?? 5, 1),
    workers: int('workers', o.workers ?? 1, 1),
    seed,
    maxVocabSize: o.maxVocabSize === undefined ? null : int('maxVocabSize', o.maxVocabSize, 1),
    maxSentenceLength: int('maxSentenceLength', o.maxSentenceLength ?? 1000, 1),
    kernel,
  };
}
