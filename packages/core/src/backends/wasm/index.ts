import { BackendError, ValueError } from '../../errors.js';
import type { Backend } from '../backend.js';
import { createJsBackend } from '../js/index.js';
import { makeAdamUpdate } from './adam-update.js';
import { Arena } from './arena.js';
import { makeAttention } from './attention.js';
import { makeCrossEntropy } from './cross-entropy.js';
import { SIMD_PROBE, type WasmVariant, detectWasmVariant } from './detect.js';
import { makeBinary, makeClamp, makeUnary } from './elementwise.js';
import { makeGemm, makeGemmBiasAct } from './gemm.js';
import { type KernelExports, instantiateKernels, instantiateSharedKernels } from './kernels.js';
import { makeLayerNorm } from './layer-norm.js';
import { DEFAULT_PARALLEL_MIN_WORK, GEMM_MAX_ARGS, GEMM_OPS, type GemmKernels, threadedGemmKernels } from './parallel-gemm.js';
import { makeRecurrent } from './recurrent-sequence.js';
import { makeReduce } from './reduce.js';
import { makeScatterAdd } from './scatter-add.js';
import { makeSoftmax } from './softmax.js';
import { ThreadPool, threadsAvailable } from './thread-pool.js';

export { detectWasmVariant, type WasmVariant } from './detect.js';

/** Options of {@link createWasmBackend}. */
export interface WasmBackendOptions {
  /**
   * Kernel build: `relaxed-simd` (FMA) or `simd` (SIMD128). Default: the `ELMAN_WASM_VARIANT` environment variable
   * where there is one (Node), else the best build this runtime validates. Forcing `simd` gives the same rounding
   * on every machine (relaxed FMA may fuse or not, depending on the CPU).
   */
  variant?: WasmVariant;
  /**
   * Largest scratch arena, in bytes, that one kernel call may use in wasm memory: default 1 GiB, from 1 MiB to
   * 2 GiB (wasm32 addresses). A GEMM needing more runs as row blocks; other kernels needing more run in JS.
   */
  maxArenaBytes?: number;
  /**
   * Run calls too small to repay the copy into wasm memory with the js kernels (default true). Tests set it to false
   * so that every call, however small, exercises the wasm kernels.
   */
  delegateSmallCalls?: boolean;
  /**
   * Threads for large GEMMs, the calling thread included (intra-op parallelism; data parallelism across cores is
   * the trainer's `workers`): an integer from 1 to 64. Default: the value of {@link setWasmThreads}, else the
   * `ELMAN_WASM_THREADS` environment variable (Node), else 1. With more than one, the kernels run over one shared
   * memory and `threads − 1` worker threads (Node `worker_threads`, or Web Workers) each compute a block of every
   * GEMM of at least `parallelMinWork` multiply-adds, bit for bit as one thread would. This needs
   * SharedArrayBuffer and a thread allowed to block in `Atomics.wait`: always in Node; in browsers only inside a
   * Web Worker of a cross-origin-isolated page. Elsewhere the backend quietly runs on one thread
   * ({@link WasmBackend.threads} says which). Other kernels always run on the calling thread.
   */
  threads?: number;
  /**
   * Smallest GEMM, in multiply-adds (M·N·K), that runs on several threads: default 2^21 (128³), below
   * which waking the helper threads costs more than they save. Tests lower it so small products use the threads.
   */
  parallelMinWork?: number;
}

/** The `wasm` backend: the {@link Backend} kernel table, plus which build runs and how much memory it holds. */
export interface WasmBackend extends Backend {
  /** Always `wasm`. */
  readonly name: 'wasm';
  /** The kernel build in use: `relaxed-simd` (FMA) or `simd` (SIMD128). */
  readonly variant: WasmVariant;
  /** Current size of the kernels' linear memory in bytes (it grows to the largest call's working set, then stays). */
  readonly memoryBytes: number;
  /** Bytes of activations fused sequence kernels saved in wasm memory that still await their backward pass. */
  readonly savedBytes: number;
  /**
   * Threads that large GEMMs use now, the calling thread included: the `threads` asked for when the runtime
   * allows them, 1 otherwise, after {@link WasmBackend.dispose}, or once a GEMM thread has died.
   */
  readonly threads: number;
  /**
   * Ends the GEMM threads (a no-op with one thread); the backend keeps working on the calling thread. Worker
   * threads never keep a Node program alive, so calling this is only needed to free them early.
   */
  dispose(): Promise<void>;
}

const DEFAULT_ARENA_BYTES = 2 ** 30;
const MIN_ARENA_BYTES = 2 ** 20;
const MAX_ARENA_BYTES = 2 ** 31;
/** Most GEMM threads: assembly/gemm.ts keeps one edge tile per thread for this many. */
const MAX_THREADS = 64;

/** Threads of wasm backends created from now on without a `threads` option; see {@link setWasmThreads}. */
let defaultThreads: number | undefined;

/**
 * Sets how many threads the GEMMs of wasm backends created from now on use (their `threads` option, see
 * {@link WasmBackendOptions.threads}), like tfjs-backend-wasm's `setThreadsCount`. Call it before `ready()` (or
 * `setBackend('wasm')`): the registered backend is created once, by the first of them, and keeps its threads.
 *
 * @example
 * ```ts
 * import { type WasmBackend, getBackend, ready, setWasmThreads } from '@elman/core';
 *
 * setWasmThreads(2); // or ELMAN_WASM_THREADS=2 in the environment
 * await ready();
 * console.log((getBackend() as WasmBackend).threads); // 2 where threads are available (Node), else 1
 * ```
 */
export function setWasmThreads(threads: number): void {
  defaultThreads = checkThreads(threads, 'setWasmThreads: threads');
}

/**
 * Creates the WebAssembly SIMD backend. GEMM (also with its fused bias + activation epilogue), unary and binary
 * element-wise ops, clamp, float32 reductions, softmax along the last axis, layer norm, fused softmax +
 * cross-entropy, scaled dot-product attention forward and backward, embedding scatter-add (where lookups outnumber
 * table rows), the fused whole-sequence LSTM/GRU/RNN forward and backward passes and Adam's update run in wasm
 * kernels compiled from AssemblyScript (assembly/); the rest of data movement (strided copy, gather, where), arg-reductions and int32
 * arithmetic delegate to the js kernels, as do calls too small to repay the copy into wasm memory. Gather stays in
 * JS by measurement: under the copy-in/copy-out model a lookup would copy the whole table into wasm memory to move
 * a few of its rows, which `TypedArray.set` row copies already do at memcpy speed.
 *
 * With `threads` above 1 (opt-in, see {@link WasmBackendOptions.threads}), large GEMMs also run on helper threads
 * over a shared memory (parallel-gemm.ts, thread-pool.ts); everything else is unchanged.
 *
 * Rejects with a `BackendError` where WebAssembly SIMD is unavailable (`ready()` then keeps `js`), or when GEMM
 * threads were asked for and one fails to start; with a `ValueError` for an invalid option.
 */
export async function createWasmBackend(options: WasmBackendOptions = {}): Promise<WasmBackend> {
  const limit = options.maxArenaBytes ?? DEFAULT_ARENA_BYTES;
  if (!(limit >= MIN_ARENA_BYTES && limit <= MAX_ARENA_BYTES)) {
    throw new ValueError(
      `createWasmBackend: maxArenaBytes must be between ${MIN_ARENA_BYTES} and ${MAX_ARENA_BYTES}, got ${limit}`,
    );
  }
  const threads =
    options.threads === undefined ? (defaultThreads ?? threadsFromEnv()) : checkThreads(options.threads, 'createWasmBackend: threads');
  const minWork = options.parallelMinWork ?? DEFAULT_PARALLEL_MIN_WORK;
  if (!(minWork >= 0)) {
    throw new ValueError(`createWasmBackend: parallelMinWork must be a non-negative number, got ${minWork}`);
  }
  const variant = chooseVariant(options.variant ?? variantFromEnv());
  let k: KernelExports | null = null;
  let gemmKernels: GemmKernels | null = null;
  let pool: ThreadPool | null = null;
  if (threads > 1 && threadsAvailable()) {
    // Scratch and saved activations are each capped at `limit`: the shared memory (which reserves its maximum)
    // never needs more than both plus the static data.
    const shared = await instantiateSharedKernels(variant, 2 * limit + 2 ** 20);
    if (shared) {
      k = shared.kernels;
      pool = await ThreadPool.start(shared.module, k.memory, { threads, ops: GEMM_OPS, maxArgs: GEMM_MAX_ARGS });
      gemmKernels = threadedGemmKernels(k, pool, minWork);
    }
  }
  k ??= await instantiateKernels(variant);
  gemmKernels ??= k;
  const arena = new Arena(k.memory, k.heapBase(), limit);
  const js = createJsBackend();
  const small = options.delegateSmallCalls ?? true;
  return {
    name: 'wasm',
    variant,
    get memoryBytes() {
      return arena.memoryBytes;
    },
    get savedBytes() {
      return arena.savedBytes;
    },
    get threads() {
      return pool?.size ?? 1;
    },
    async dispose() {
      await pool?.dispose();
    },
    unary: makeUnary(k, arena, small),
    clamp: makeClamp(k, arena, small),
    binary: makeBinary(k, arena, small),
    reduce: makeReduce(k, arena, small),
    argReduce: js.argReduce,
    gemm: makeGemm(gemmKernels, arena, small),
    gemmBiasAct: makeGemmBiasAct(gemmKernels, arena, small),
    softmax: makeSoftmax(k, arena, small),
    layerNorm: makeLayerNorm(k, arena, small),
    stridedCopy: js.stridedCopy,
    gather: js.gather,
    scatterAdd: makeScatterAdd(k, arena, small),
    where: js.where,
    ...makeCrossEntropy(k, arena, small),
    ...makeAttention(k, arena, small),
    ...makeRecurrent(k, arena, js),
    adamUpdate: makeAdamUpdate(k, arena, small),
  };
}

/** An environment variable (Node), read through `globalThis` so browsers, without `process`, work. */
function env(name: string): string | undefined {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
}

/** The build named by `ELMAN_WASM_VARIANT`, if set. */
function variantFromEnv(): WasmVariant | undefined {
  const value = env('ELMAN_WASM_VARIANT');
  if (value === undefined || value === '') return undefined;
  if (value === 'simd' || value === 'relaxed-simd') return value;
  throw new ValueError(`createWasmBackend: ELMAN_WASM_VARIANT must be 'simd' or 'relaxed-simd', got '${value}'`);
}

/** GEMM threads from `ELMAN_WASM_THREADS`, else 1. */
function threadsFromEnv(): number {
  const value = env('ELMAN_WASM_THREADS');
  if (value === undefined || value === '') return 1;
  return checkThreads(/^\d+$/.test(value) ? Number(value) : Number.NaN, 'createWasmBackend: ELMAN_WASM_THREADS', value);
}

/** `threads` if it is an integer from 1 to {@link MAX_THREADS}; else a `ValueError` naming `what`. */
function checkThreads(threads: number, what: string, shown: string = String(threads)): number {
  if (!(Number.isInteger(threads) && threads >= 1 && threads <= MAX_THREADS)) {
    throw new ValueError(`${what} must be an integer from 1 to ${MAX_THREADS}, got ${shown}`);
  }
  return threads;
}

function chooseVariant(requested: WasmVariant | undefined): WasmVariant {
  if (requested === 'simd') {
    // Validating only the SIMD128 probe leaves the runtime's relaxed-SIMD flag alone.
    if (typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE)) return 'simd';
  } else {
    const detected = detectWasmVariant();
    if (detected && (requested === undefined || detected === requested)) return detected;
    if (detected && requested === 'relaxed-simd') {
      throw new BackendError('createWasmBackend: relaxed SIMD was requested but this runtime does not validate it');
    }
  }
  throw new BackendError('createWasmBackend: this runtime does not support WebAssembly SIMD (SIMD128)');
}
