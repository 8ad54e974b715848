import { BackendError, ValueError } from '../../errors.js';
import type { Backend } from '../backend.js';
import { createJsBackend } from '../js/index.js';
import { Arena } from './arena.js';
import { makeAttention } from './attention.js';
import { makeCrossEntropy } from './cross-entropy.js';
import { SIMD_PROBE, type WasmVariant, detectWasmVariant } from './detect.js';
import { makeBinary, makeClamp, makeUnary } from './elementwise.js';
import { makeGemm, makeGemmBiasAct } from './gemm.js';
import { instantiateKernels } from './kernels.js';
import { makeLayerNorm } from './layer-norm.js';
import { makeRecurrent } from './recurrent-sequence.js';
import { makeReduce } from './reduce.js';
import { makeScatterAdd } from './scatter-add.js';
import { makeSoftmax } from './softmax.js';

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
}

const DEFAULT_ARENA_BYTES = 2 ** 30;
const MIN_ARENA_BYTES = 2 ** 20;
const MAX_ARENA_BYTES = 2 ** 31;

/**
 * Creates the WebAssembly SIMD backend. GEMM (also with its fused bias + activation epilogue), unary and binary
 * element-wise ops, clamp, float32 reductions, softmax along the last axis, layer norm, fused softmax +
 * cross-entropy, scaled dot-product attention forward and backward, embedding scatter-add (where lookups outnumber
 * table rows) and the fused whole-sequence LSTM/GRU/RNN forward and backward passes run in wasm kernels compiled
 * from AssemblyScript (assembly/); the rest of data movement (strided copy, gather, where), arg-reductions and int32
 * arithmetic delegate to the js kernels, as do calls too small to repay the copy into wasm memory. Gather stays in
 * JS by measurement: under the copy-in/copy-out model a lookup would copy the whole table into wasm memory to move
 * a few of its rows, which `TypedArray.set` row copies already do at memcpy speed.
 *
 * Rejects with a `BackendError` where WebAssembly SIMD is unavailable (`ready()` then keeps `js`).
 */
export async function createWasmBackend(options: WasmBackendOptions = {}): Promise<WasmBackend> {
  const limit = options.maxArenaBytes ?? DEFAULT_ARENA_BYTES;
  if (!(limit >= MIN_ARENA_BYTES && limit <= MAX_ARENA_BYTES)) {
    throw new ValueError(
      `createWasmBackend: maxArenaBytes must be between ${MIN_ARENA_BYTES} and ${MAX_ARENA_BYTES}, got ${limit}`,
    );
  }
  const variant = chooseVariant(options.variant ?? variantFromEnv());
  const k = await instantiateKernels(variant);
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
    unary: makeUnary(k, arena, small),
    clamp: makeClamp(k, arena, small),
    binary: makeBinary(k, arena, small),
    reduce: makeReduce(k, arena, small),
    argReduce: js.argReduce,
    gemm: makeGemm(k, arena, small),
    gemmBiasAct: makeGemmBiasAct(k, arena, small),
    softmax: makeSoftmax(k, arena, small),
    layerNorm: makeLayerNorm(k, arena, small),
    stridedCopy: js.stridedCopy,
    gather: js.gather,
    scatterAdd: makeScatterAdd(k, arena, small),
    where: js.where,
    ...makeCrossEntropy(k, arena, small),
    ...makeAttention(k, arena, small),
    ...makeRecurrent(k, arena, js),
  };
}

/** The build named by `ELMAN_WASM_VARIANT`, if set (read through `globalThis` so browsers, without `process`, work). */
function variantFromEnv(): WasmVariant | undefined {
  const value = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.ELMAN_WASM_VARIANT;
  if (value === undefined || value === '') return undefined;
  if (value === 'simd' || value === 'relaxed-simd') return value;
  throw new ValueError(`createWasmBackend: ELMAN_WASM_VARIANT must be 'simd' or 'relaxed-simd', got '${value}'`);
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
