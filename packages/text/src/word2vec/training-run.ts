import type { Chunk, ChunkBuilder } from './corpus.js';
import { type KernelState, trainChunk } from './kernel.js';
import type { TrainingProgress } from './progress.js';
import { type WasmChunkTrainer, wasmChunkTrainer } from './wasm-kernel.js';

/** Where filled chunks go: the calling thread's kernel, or the Hogwild workers. */
export interface ChunkSink {
  /**
   * Trains (or queues) the chunk at rate `alpha`; a promise means "wait before the next chunk". The chunk's arrays
   * may be reused once this returns.
   */
  submit(chunk: Chunk, alpha: number): void | Promise<void>;
  /** Resolves when every submitted chunk is trained. */
  drain(): void | Promise<void>;
  /** Words trained on after subsampling, so far. */
  readonly trainedWords: number;
}

/** Runs the kernel on the calling thread: the wasm kernel when the state has one, else the JS kernel. */
export class LocalSink implements ChunkSink {
  trainedWords = 0;
  private readonly wasm: WasmChunkTrainer | null;

  /** A sink training with `state`. */
  constructor(private readonly state: KernelState) {
    this.wasm = state.wasm ? wasmChunkTrainer(state.wasm, 0) : null;
  }

  submit(chunk: Chunk, alpha: number): void {
    this.trainedWords += this.wasm
      ? this.wasm(chunk.ids, chunk.ends, chunk.length, chunk.sentences, alpha)
      : trainChunk(this.state, chunk.ids, chunk.ends, chunk.sentences, alpha);
  }

  drain(): void {}
}

/** Settings of a {@link TrainingRun}. */
export interface RunSettings {
  /** Epochs of the run. */
  epochs: number;
  /** In-vocabulary words per epoch (the counting pass's total). */
  wordsPerEpoch: number;
  /** Starting learning rate. */
  alpha: number;
  /** Final learning rate. */
  minAlpha: number;
  /** Progress callback. */
  onProgress?: ((p: TrainingProgress) => void) | undefined;
  /** Least milliseconds between two progress reports. */
  progressInterval: number;
  /** Keep the first epoch's chunks to {@link TrainingRun.replay} in later epochs (for corpora held in memory). */
  record: boolean;
}

/** A recorded chunk: its word ids, and the tokens read to fill it (in the vocabulary or not). */
interface RecordedChunk extends Chunk {
  corpusWords: number;
}

/**
 * One training run: feeds sentences into chunks, sets each chunk's learning rate from the words done so far
 * (linear decay from `alpha` to `minAlpha` over epochs × words per epoch, as word2vec.c and gensim do), and reports
 * progress. The same code drives the sync, async and multi-worker paths.
 */
export class TrainingRun {
  /** Current epoch, 1-based. */
  epoch = 0;
  /** In-vocabulary words handed to the sink. */
  words = 0;
  /** Every token read. */
  corpusWords = 0;
  private readonly total: number;
  private readonly started = performance.now();
  private lastReport = this.started;
  /** The first epoch's chunks, when recording; a last entry of length 0 carries trailing out-of-vocabulary tokens. */
  private readonly recorded: RecordedChunk[] | null;

  /** A run over `chunk`, delivering to `sink`. */
  constructor(
    private readonly settings: RunSettings,
    private readonly chunk: ChunkBuilder,
    private readonly sink: ChunkSink,
  ) {
    this.total = settings.epochs * settings.wordsPerEpoch;
    this.recorded = settings.record ? [] : null;
  }

  /** True when the first epoch was recorded and later epochs can {@link TrainingRun.replay} it. */
  get canReplay(): boolean {
    return this.recorded !== null && this.epoch > 1;
  }

  /** The learning rate for the next chunk. */
  alpha(): number {
    const { alpha, minAlpha } = this.settings;
    return alpha - (alpha - minAlpha) * Math.min(1, this.words / Math.max(1, this.total));
  }

  /** Adds a sentence, training each chunk it fills; for sinks that never wait. */
  feedSync(tokens: readonly string[]): void {
    let at = 0;
    do {
      at = this.chunk.append(tokens, at);
      if (this.chunk.full) this.flushSync();
    } while (at < tokens.length);
  }

  /** Adds a sentence, waiting whenever the sink asks to. */
  async feed(tokens: readonly string[]): Promise<void> {
    let at = 0;
    do {
      at = this.chunk.append(tokens, at);
      if (this.chunk.full) await this.flush();
    } while (at < tokens.length);
  }

  /** Hands the partial chunk over (end of an epoch); for sinks that never wait. */
  flushSync(): void {
    const pending = this.flush();
    if (pending) throw new Error('TrainingRun.flushSync: the sink asked to wait');
  }

  /** Hands the partial chunk over (end of an epoch). */
  flush(): void | Promise<void> {
    const c = this.chunk;
    const corpusWords = c.corpusWords;
    c.corpusWords = 0;
    if (this.recorded !== null && this.epoch === 1 && (c.length > 0 || corpusWords > 0)) {
      const ids = c.ids.slice(0, c.length);
      const ends = c.ends.slice(0, c.sentences);
      this.recorded.push({ ids, ends, length: c.length, sentences: c.sentences, corpusWords });
    }
    const pending = this.submit(c, corpusWords);
    c.clear();
    return pending;
  }

  /**
   * Trains the recorded first epoch again, chunk by chunk, with this epoch's learning rates: the same words as
   * reading the corpus again, without looking every token up in the vocabulary again (which, with Hogwild
   * workers, is the main thread's share of the work and would compete with them for the cores).
   */
  async replay(): Promise<void> {
    for (const chunk of this.recorded!) {
      const pending = this.submit(chunk, chunk.corpusWords);
      if (pending) await pending;
    }
  }

  /** {@link TrainingRun.replay} for sinks that never wait. */
  replaySync(): void {
    for (const chunk of this.recorded!) {
      if (this.submit(chunk, chunk.corpusWords)) throw new Error('TrainingRun.replaySync: the sink asked to wait');
    }
  }

  private submit(chunk: Chunk, corpusWords: number): void | Promise<void> {
    this.corpusWords += corpusWords;
    if (chunk.length === 0) return;
    const alpha = this.alpha();
    this.words += chunk.length;
    const pending = this.sink.submit(chunk, alpha);
    if (this.settings.onProgress && performance.now() - this.lastReport >= this.settings.progressInterval) this.report();
    return pending;
  }

  /** Calls `onProgress` with the current state. */
  report(): void {
    const now = performance.now();
    this.lastReport = now;
    const elapsed = (now - this.started) / 1000;
    const progress = Math.min(1, this.words / Math.max(1, this.total));
    this.settings.onProgress?.({
      epoch: this.epoch,
      epochs: this.settings.epochs,
      progress,
      words: this.words,
      totalWords: this.total,
      alpha: this.alpha(),
      wordsPerSecond: elapsed > 0 ? this.corpusWords / elapsed : 0,
      elapsedSeconds: elapsed,
      etaSeconds: progress > 0 ? (elapsed * (1 - progress)) / progress : Number.POSITIVE_INFINITY,
    });
  }

  /** Seconds since the run started. */
  elapsed(): number {
    return (performance.now() - this.started) / 1000;
  }
}
