import type { Worker } from 'node:worker_threads';
import { ElmanError } from '@elman/core';
import type { Chunk } from '../word2vec/corpus.js';
import { type KernelState, addTo, backprop, dot, mix32, sampleNoise, trainChunk } from '../word2vec/kernel.js';
import type { ChunkSink } from '../word2vec/training-run.js';
import { wasmChunkTrainer } from '../word2vec/wasm-kernel.js';

/** A Hogwild worker failed (threw, or exited); the message carries the worker's own error. */
export class WorkerError extends ElmanError {
  /** Class name, shown in stack traces. */
  override name = 'WorkerError';
}

/** What {@link HogwildSink.start} needs. */
export interface HogwildOptions {
  /**
   * Kernel tables; `syn0`, `syn1` and `syn1neg` must be backed by SharedArrayBuffers. With `state.wasm`, the
   * workers run the wasm kernel over its (shared) memory, which must have a scratch region per worker plus one.
   */
  state: KernelState;
  /** Number of worker threads. */
  workers: number;
}

type WorkerConstructor = new (source: string, options: { eval: true; workerData: unknown }) => Worker;

/**
 * `Worker` from `node:worker_threads`, looked up at run time: `process.getBuiltinModule` (Node ≥ 20.16), else an
 * import whose specifier is a variable. Neither is a static or literal import of a Node built-in, so bundling
 * `@elman/text` for a browser (which reaches this module through Word2Vec's guarded dynamic import) needs no stub.
 */
async function workerConstructor(): Promise<WorkerConstructor> {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const builtin = proc?.getBuiltinModule?.('node:worker_threads') as { Worker: WorkerConstructor } | undefined;
  if (builtin) return builtin.Worker;
  const id = 'node:worker_threads';
  const loaded = (await import(/* @vite-ignore */ id)) as { Worker: WorkerConstructor };
  return loaded.Worker;
}

/** Chunks queued per worker: one training, one waiting, so a worker never idles while the main thread reads. */
const IN_FLIGHT = 2;

/**
 * The worker's program: the kernel's own functions, from their source text, plus a message loop. The kernel files
 * are self-contained for this reason; the worker needs no module resolution, so the same code runs from the built
 * package and from TypeScript sources under a test runner. With the wasm kernel, the worker instantiates the posted
 * module over the shared memory (workerData.kernel) with its own scratch (workerData.thread); otherwise it runs the
 * JS kernel on the shared arrays (workerData.state).
 */
function workerSource(wasm: boolean): string {
  const setup = wasm
    ? `${String(wasmChunkTrainer)}
const train = wasmChunkTrainer(workerData.kernel, workerData.thread);`
    : `${[mix32, sampleNoise, dot, backprop, addTo, trainChunk].map(String).join('\n')}
const state = workerData.state;
const train = (ids, ends, length, sentences, alpha) => trainChunk(state, ids, ends, sentences, alpha);`;
  // getBuiltinModule, not require: a worker from eval source is an ES module (no require) when the parent runs
  // with --input-type=module (e.g. `node --input-type=module -e …`).
  return `'use strict';
const { parentPort, workerData } = process.getBuiltinModule('node:worker_threads');
${setup}
parentPort.on('message', (m) => {
  try {
    const trained = train(m.ids, m.ends, m.ids.length, m.sentences, m.alpha);
    parentPort.postMessage({ trained });
  } catch (err) {
    parentPort.postMessage({ error: (err && err.stack) || String(err) });
  }
});
`;
}

/** One chunk for a worker: owned copies of the builder's arrays. */
interface ChunkMessage {
  ids: Int32Array;
  ends: Int32Array;
  sentences: number;
  alpha: number;
}

interface Slot {
  worker: Worker;
  inFlight: number;
}

/**
 * Hogwild training (Recht et al. 2011, "Hogwild!: a lock-free approach to parallelizing stochastic gradient
 * descent"), as word2vec.c's threads do it: N worker threads update the shared weights without locks, each on the
 * chunks the main thread hands it. A worker error or exit rejects the pending call; workers are terminated by
 * {@link HogwildSink.close}.
 */
export class HogwildSink implements ChunkSink {
  trainedWords = 0;
  private failure: WorkerError | null = null;
  private waiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  private closed = false;

  private constructor(private readonly slots: Slot[]) {
    for (const slot of slots) {
      slot.worker.on('message', (m: { trained?: number; error?: string }) => {
        if (m.error !== undefined) return this.fail(new WorkerError(`Word2Vec worker failed: ${m.error}`));
        slot.inFlight--;
        this.trainedWords += m.trained!;
        this.wake();
      });
      slot.worker.on('error', (err) => this.fail(new WorkerError(`Word2Vec worker failed: ${err.stack ?? err.message}`)));
      slot.worker.on('exit', (code) => {
        if (!this.closed) this.fail(new WorkerError(`Word2Vec worker exited unexpectedly with code ${code}`));
      });
    }
  }

  /** Starts `workers` threads, each with its own random stream and scratch buffers over the shared weights. */
  static async start(options: HogwildOptions): Promise<HogwildSink> {
    const { state, workers } = options;
    for (const name of ['syn0', 'syn1', 'syn1neg'] as const) {
      if (!(state[name].buffer instanceof SharedArrayBuffer)) throw new WorkerError(`HogwildSink: ${name} is not in a SharedArrayBuffer`);
    }
    const kernel = state.wasm ?? null;
    if (kernel !== null && kernel.scratch.length <= workers) {
      throw new WorkerError(`HogwildSink: the wasm kernel has ${kernel.scratch.length} scratch regions; ${workers} workers need ${workers + 1}`);
    }
    const Worker = await workerConstructor();
    const source = workerSource(kernel !== null);
    const slots: Slot[] = [];
    for (let w = 0; w < workers; w++) {
      // Distinct streams: the workers would otherwise draw the same windows and negatives.
      const seed = mix32(state.rng[0]! + Math.imul(w + 1, 0x632be5ab));
      let workerData: unknown;
      if (kernel !== null) {
        // Worker w trains in scratch region w + 1; region 0 (state.rng) is the calling thread's.
        new Int32Array(kernel.memory.buffer, kernel.scratch[w + 1]!.rng, 1)[0] = seed;
        workerData = { kernel, thread: w + 1 };
      } else {
        workerData = { state: { ...state, rng: Int32Array.of(seed) } };
      }
      slots.push({ worker: new Worker(source, { eval: true, workerData }), inFlight: 0 });
    }
    // Move the model's stream on, so the next training run's workers draw new numbers.
    state.rng[0] = mix32(state.rng[0]! ^ 0x5bd1e995);
    await Promise.all(slots.map((s) => new Promise<void>((resolve, reject) => {
      s.worker.once('online', resolve);
      s.worker.once('error', reject);
    }))).catch(async (err: Error) => {
      await Promise.all(slots.map((s) => s.worker.terminate()));
      throw new WorkerError(`Word2Vec worker failed to start: ${err.message}`);
    });
    return new HogwildSink(slots);
  }

  /**
   * Copies the chunk (the builder is free again on return) and hands it to the least busy worker, first waiting
   * for a free place when every worker already has {@link IN_FLIGHT} chunks.
   */
  submit(chunk: Chunk, alpha: number): void | Promise<void> {
    if (this.failure) throw this.failure;
    const message = { ids: chunk.ids.slice(0, chunk.length), ends: chunk.ends.slice(0, chunk.sentences), sentences: chunk.sentences, alpha };
    if (this.leastBusy().inFlight < IN_FLIGHT) return this.post(message);
    return this.postWhenFree(message);
  }

  private async postWhenFree(message: ChunkMessage): Promise<void> {
    while (this.leastBusy().inFlight >= IN_FLIGHT) await this.waitForSlot();
    this.post(message);
  }

  private post(message: ChunkMessage): void {
    const slot = this.leastBusy();
    slot.inFlight++;
    // The copies are plain ArrayBuffers (slice of a non-shared array), so they can be transferred.
    slot.worker.postMessage(message, [message.ids.buffer as ArrayBuffer, message.ends.buffer as ArrayBuffer]);
  }

  /** Resolves when every worker is idle; rejects with the first worker error. */
  async drain(): Promise<void> {
    while (this.slots.some((s) => s.inFlight > 0)) await this.waitForSlot();
    if (this.failure) throw this.failure;
  }

  /** Terminates the workers. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private leastBusy(): Slot {
    let best = this.slots[0]!;
    for (const s of this.slots) if (s.inFlight < best.inFlight) best = s;
    return best;
  }

  private waitForSlot(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.resolve();
  }

  private fail(err: WorkerError): void {
    if (this.failure) return;
    this.failure = err;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.reject(err);
  }
}
