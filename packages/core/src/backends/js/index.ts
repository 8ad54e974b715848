import { ValueError } from '../../errors.js';
import type { Backend } from '../backend.js';
import { adamUpdate } from './adam-update.js';
import { attentionBackward, attentionForward } from './attention.js';
import { binary } from './binary.js';
import { crossEntropyBackward, crossEntropyForward } from './cross-entropy.js';
import { gather, scatterAdd } from './gather.js';
import { gemmBiasAct } from './gemm-epilogue.js';
import { layerNorm } from './layer-norm.js';
import { DEFAULT_JS_PARALLEL_MIN_WORK, gemm, type JsThreads, withThreads } from './parallel-gemm.js';
import { recurrentBackward, recurrentForward } from './recurrent-sequence.js';
import { argReduce, reduce } from './reduce.js';
import { softmax } from './softmax.js';
import { stridedCopy } from './strided-copy.js';
import { JsThreadPool, jsThreadsAvailable } from './thread-pool.js';
import { clamp, unary } from './unary.js';
import { where } from './where.js';

/** Options of {@link createJsBackend}. */
export interface JsBackendOptions {
  /**
   * Threads for large GEMMs, the calling thread included (intra-op parallelism; data parallelism across cores is
   * the trainer's `workers`): an integer from 1 to 64. Default: the value of {@link setJsThreads}, else the
   * `ELMAN_JS_THREADS` environment variable (Node), else 1. With more than one, `threads − 1` worker threads (Node
   * `worker_threads`, started on the first large product) each compute a block of every GEMM of at least
   * `parallelMinWork` multiply-adds — matmuls, linear layers, and the fused LSTM/GRU/RNN sequence kernels' input
   * projections, weight gradients and per-time-step recurrent products — bit for bit as one thread would. This
   * needs SharedArrayBuffer, a thread allowed to block in `Atomics.wait` and Node's `worker_threads`; elsewhere the
   * backend quietly runs on one thread ({@link JsBackend.threads} says which). Other kernels run on the calling
   * thread.
   */
  threads?: number;
  /**
   * Smallest GEMM, in multiply-adds (M·N·K), that runs on several threads: default 2^20, below which waking the
   * helper threads costs more than they save. Tests lower it so small products use the threads.
   */
  parallelMinWork?: number;
}

/** The `js` backend: the {@link Backend} kernel table, plus its GEMM threads. */
export interface JsBackend extends Backend {
  /** Always `js`. */
  readonly name: 'js';
  /**
   * Threads that large GEMMs use, the calling thread included: the `threads` asked for when the runtime allows
   * them, 1 otherwise, after {@link JsBackend.dispose}, or once a GEMM thread has died.
   */
  readonly threads: number;
  /**
   * Starts the GEMM threads now and resolves with the threads ready to take work (the caller included). Without
   * it they start on the first large product, which, like those after it, runs on the calling thread alone until
   * they have loaded (a few tens of ms). Rejects with a `BackendError` when a thread fails to start.
   */
  startThreads(): Promise<number>;
  /**
   * Ends the GEMM threads (a no-op with one thread); the backend keeps working on the calling thread. Worker
   * threads never keep a Node program alive, so calling this is only needed to free them early.
   */
  dispose(): Promise<void>;
}

/** Most GEMM threads. */
const MAX_THREADS = 64;

/** Threads of js backends created from now on without a `threads` option; see {@link setJsThreads}. */
let defaultThreads: number | undefined;

/**
 * Sets how many threads the GEMMs of js backends created from now on use (their `threads` option, see
 * {@link JsBackendOptions.threads}), as {@link setWasmThreads} does for the wasm backend. Call it before the first
 * `setBackend('js')` (or any op, which creates the registered js backend): the registered backend is created once
 * and keeps its threads.
 *
 * @example
 * ```ts
 * import { type JsBackend, getBackend, setBackend, setJsThreads } from '@elman/core';
 *
 * setJsThreads(2); // or ELMAN_JS_THREADS=2 in the environment
 * await setBackend('js');
 * console.log((getBackend() as JsBackend).threads); // 2 where threads are available (Node), else 1
 * ```
 */
export function setJsThreads(threads: number): void {
  defaultThreads = checkThreads(threads, 'setJsThreads: threads');
}

/**
 * The pure-TypeScript reference backend: always available, readable, and the baseline the others are tested against.
 * With `threads` above 1 (opt-in, see {@link JsBackendOptions.threads}) its large GEMMs also run on helper threads
 * (parallel-gemm.ts, thread-pool.ts) with bit-identical results; everything else is unchanged. Throws a
 * `ValueError` for an invalid option.
 */
export function createJsBackend(options: JsBackendOptions = {}): JsBackend {
  const threads =
    options.threads === undefined ? (defaultThreads ?? threadsFromEnv()) : checkThreads(options.threads, 'createJsBackend: threads');
  const minWork = options.parallelMinWork ?? DEFAULT_JS_PARALLEL_MIN_WORK;
  if (!(minWork >= 0)) {
    throw new ValueError(`createJsBackend: parallelMinWork must be a non-negative number, got ${minWork}`);
  }
  const pool = threads > 1 && jsThreadsAvailable() ? new JsThreadPool({ threads }) : null;
  const context: JsThreads | null = pool && { pool, minWork };
  const threaded = <F extends (...args: never[]) => unknown>(kernel: F): F =>
    (context ? (...args: Parameters<F>) => withThreads(context, () => kernel(...args)) : kernel) as F;
  return {
    name: 'js',
    get threads() {
      return pool?.size ?? 1;
    },
    async startThreads() {
      return pool ? pool.whenReady() : 1;
    },
    async dispose() {
      await pool?.dispose();
    },
    unary,
    clamp,
    binary,
    reduce,
    argReduce,
    gemm: threaded(gemm),
    gemmBiasAct: threaded(gemmBiasAct),
    softmax,
    layerNorm,
    stridedCopy,
    gather,
    scatterAdd,
    where,
    crossEntropyForward,
    crossEntropyBackward,
    attentionForward: threaded(attentionForward),
    attentionBackward: threaded(attentionBackward),
    recurrentForward: threaded(recurrentForward),
    recurrentBackward: threaded(recurrentBackward),
    adamUpdate,
  };
}

/** An environment variable (Node), read through `globalThis` so browsers, without `process`, work. */
function env(name: string): string | undefined {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
}

/** GEMM threads from `ELMAN_JS_THREADS`, else 1. */
function threadsFromEnv(): number {
  const value = env('ELMAN_JS_THREADS');
  if (value === undefined || value === '') return 1;
  return checkThreads(/^\d+$/.test(value) ? Number(value) : Number.NaN, 'createJsBackend: ELMAN_JS_THREADS', value);
}

/** `threads` if it is an integer from 1 to {@link MAX_THREADS}; else a `ValueError` naming `what`. */
function checkThreads(threads: number, what: string, shown: string = String(threads)): number {
  if (!(Number.isInteger(threads) && threads >= 1 && threads <= MAX_THREADS)) {
    throw new ValueError(`${what} must be an integer from 1 to ${MAX_THREADS}, got ${shown}`);
  }
  return threads;
}
