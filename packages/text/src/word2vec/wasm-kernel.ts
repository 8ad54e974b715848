import { WORD2VEC_WASM, WORD2VEC_WASM_SHARED } from './generated/kernel-wasm.js';

/**
 * The WebAssembly SIMD word2vec kernel (assembly/word2vec.ts): where its memory is laid out, and how a thread runs
 * it. The weights and read-only tables live in one `WebAssembly.Memory`, allocated once at its final size (the
 * kernel never grows it, so typed-array views over it stay valid); with Hogwild workers the memory is shared and
 * every worker instantiates the same compiled module over it, with its own scratch region and random stream.
 */

/** Byte addresses of one thread's scratch in the kernel memory. */
export interface WasmScratch {
  /** The CBOW hidden layer `[D]` f32. */
  neu1: number;
  /** The accumulated input gradient `[D]` f32. */
  neu1e: number;
  /** The subsampled sentence `[sentenceCapacity]` i32. */
  sentence: number;
  /** The random stream's Weyl counter, one i32. */
  rng: number;
  /** One window's negative-sampling targets `[2 · window · (negative + 1)]` i32, drawn ahead of use. */
  targets: number;
  /** Where the row-touching loads leave their sum, one f32 (so the engine cannot drop them). */
  touched: number;
  /** Rows K of syn0 and syn1neg this thread trains in its own copies ({@link WasmLayoutSpec.hotRows}; 0: none). */
  hotRows: number;
  /** This thread's copy of syn0's first K rows `[K, D]` f32. */
  hot0: number;
  /** Those rows as last read from syn0 `[K, D]` f32. */
  hot0Base: number;
  /** This thread's copy of syn1neg's first K rows `[K, D]` f32. */
  hot1: number;
  /** Those rows as last read from syn1neg `[K, D]` f32. */
  hot1Base: number;
  /** The chunk's word ids `[chunkCapacity]` i32. */
  ids: number;
  /** The chunk's sentence ends `[chunkCapacity]` i32. */
  ends: number;
}

/** Byte addresses of the shared matrices and tables in the kernel memory. */
export interface WasmTables {
  /** Input vectors `[V, D]` f32. */
  syn0: number;
  /** Hierarchical-softmax inner-node vectors `[V − 1, D]` f32. */
  syn1: number;
  /** Negative-sampling output vectors `[V, D]` f32. */
  syn1neg: number;
  /** Sigmoid table f32. */
  expTable: number;
  /** Subsampling keep probabilities `[V]` f64. */
  keep: number;
  /** Alias-table keep-bucket probabilities `[V]` f64. */
  noiseProb: number;
  /** Alias-table fallback words `[V]` i32. */
  noiseAlias: number;
  /** Huffman branch bits u8. */
  codes: number;
  /** Huffman inner nodes i32. */
  points: number;
  /** Start of each word's Huffman path `[V + 1]` i32. */
  codeOffsets: number;
}

/** Everything a thread needs to run the kernel; structured-cloneable, so it can be posted to a worker. */
export interface WasmKernel {
  /** The compiled kernel (plain or shared-memory build, matching `memory`). */
  module: WebAssembly.Module;
  /** The one memory holding weights, tables and every thread's scratch. */
  memory: WebAssembly.Memory;
  /** What was laid out: flags and sizes. */
  spec: WasmLayoutSpec;
  /** Where the matrices and tables are. */
  tables: WasmTables;
  /** One scratch region per thread: index 0 is the calling thread's, 1..N the Hogwild workers'. */
  scratch: WasmScratch[];
}

/** What {@link allocateWasmKernel} lays out. */
export interface WasmLayoutSpec {
  /** CBOW (true) or skip-gram. */
  cbow: boolean;
  /** Hierarchical softmax on. */
  hs: boolean;
  /** Negative samples per pair. */
  negative: number;
  /** Largest window. */
  window: number;
  /** Vector size D. */
  dim: number;
  /** Vocabulary size V. */
  vocabSize: number;
  /** Length of `syn1`: (V − 1) · D with hierarchical softmax, else 0. */
  syn1Length: number;
  /** Length of `syn1neg`: V · D with negative sampling, else 0. */
  syn1negLength: number;
  /** Length of the alias table (V with negative sampling). */
  noiseLength: number;
  /** Length of the sigmoid table. */
  expTableSize: number;
  /** Length of the flattened Huffman paths. */
  pathLength: number;
  /** Longest subsampled sentence. */
  sentenceCapacity: number;
  /** Most words in one chunk. */
  chunkCapacity: number;
  /** Scratch regions to reserve (threads that run the kernel). */
  threads: number;
  /** Allocate a shared memory (for Hogwild workers). */
  shared: boolean;
  /**
   * K: each Hogwild worker (scratch regions 1…) trains the K most frequent words' rows of syn0 and syn1neg (ids
   * 0…K − 1: the vocabulary is sorted by count) in its own copies, read from the shared weights when a chunk
   * starts and merged back (`shared += copy − base`) when it ends; 0 for a single thread.
   */
  hotRows: number;
}

const PAGE = 65536;
/** wasm32 addresses 4 GiB. */
const MAX_PAGES = 65536;
/** Regions start on their own cache line, so threads' scratch regions never share one. */
const ALIGN = 64;

let modules: { plain: WebAssembly.Module | null; shared: WebAssembly.Module | null } | null = null;
let heapBase = 0;

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * The compiled kernel for a plain or shared memory, or `null` where this runtime cannot run it: no WebAssembly, no
 * SIMD128 (the module fails validation), or for `shared`, no threads / SharedArrayBuffer. Compiled once (the
 * modules are ~2.4 KB, under the browsers' limit for synchronous compilation).
 */
export function wasmKernelModule(shared: boolean): WebAssembly.Module | null {
  if (modules === null) {
    modules = { plain: null, shared: null };
    if (typeof WebAssembly === 'object') {
      const compile = (base64: string) => {
        const bytes = decodeBase64(base64);
        return WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
      };
      modules.plain = compile(WORD2VEC_WASM);
      if (typeof SharedArrayBuffer === 'function') modules.shared = compile(WORD2VEC_WASM_SHARED);
      if (modules.plain) {
        // The module's static data ends here; read once from a throwaway instance.
        const probe = new WebAssembly.Instance(modules.plain, { env: { memory: new WebAssembly.Memory({ initial: 1 }) } });
        heapBase = (probe.exports.heapBase as () => number)();
      }
    }
  }
  return shared ? modules.shared : modules.plain;
}

/**
 * Lays out and allocates the kernel memory for `spec` (zero-filled), or returns `null` when the kernel cannot run
 * here or the layout does not fit in a wasm32 memory (the caller then uses the JS kernel).
 */
export function allocateWasmKernel(spec: WasmLayoutSpec): WasmKernel | null {
  const module = wasmKernelModule(spec.shared);
  if (module === null) return null;
  const { dim: D, vocabSize: V } = spec;
  let at = heapBase;
  const take = (bytes: number) => {
    const p = Math.ceil(at / ALIGN) * ALIGN;
    at = p + bytes;
    return p;
  };
  const tables: WasmTables = {
    syn0: take(4 * V * D),
    syn1: take(4 * spec.syn1Length),
    syn1neg: take(4 * spec.syn1negLength),
    expTable: take(4 * spec.expTableSize),
    keep: take(8 * V),
    noiseProb: take(8 * spec.noiseLength),
    noiseAlias: take(4 * spec.noiseLength),
    codes: take(spec.pathLength),
    points: take(4 * spec.pathLength),
    codeOffsets: take(4 * (V + 1)),
  };
  const scratch: WasmScratch[] = [];
  for (let t = 0; t < spec.threads; t++) {
    // Scratch 0 is the calling thread's: it trains only without workers, on the shared rows directly.
    const hotRows = t === 0 ? 0 : Math.min(spec.hotRows, V);
    const hotBytes = 4 * hotRows * D;
    scratch.push({
      neu1: take(4 * D),
      neu1e: take(4 * D),
      sentence: take(4 * spec.sentenceCapacity),
      rng: take(4),
      targets: take(4 * 2 * spec.window * (spec.negative + 1)),
      touched: take(4),
      hotRows,
      hot0: take(hotBytes),
      hot0Base: take(hotBytes),
      hot1: take(spec.syn1negLength > 0 ? hotBytes : 0),
      hot1Base: take(spec.syn1negLength > 0 ? hotBytes : 0),
      ids: take(4 * spec.chunkCapacity),
      ends: take(4 * spec.chunkCapacity),
    });
  }
  const pages = Math.ceil(take(0) / PAGE);
  if (pages > MAX_PAGES) return null;
  let memory: WebAssembly.Memory;
  try {
    // initial = maximum: the kernel never grows it, so views over it are never detached.
    memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: spec.shared });
  } catch {
    return null; // the engine refused that much memory
  }
  return { module, memory, spec, tables, scratch };
}

/** Trains one chunk: the ids and ends are copied into the thread's scratch. */
export type WasmChunkTrainer = (ids: Int32Array, ends: Int32Array, length: number, sentences: number, alpha: number) => number;

/**
 * Instantiates the kernel over its memory for thread `thread` (its scratch region and random stream) and returns
 * the chunk trainer. Self-contained (no imports, no closures over module state): the Hogwild workers run it from
 * its source text, as they do the JS kernel (see hogwild.ts).
 */
export function wasmChunkTrainer(kernel: WasmKernel, thread: number): WasmChunkTrainer {
  const memory = kernel.memory;
  const s = kernel.scratch[thread]!;
  const kernelExports = new WebAssembly.Instance(kernel.module, { env: { memory } }).exports as {
    configure(...args: number[]): void;
    trainChunk(ids: number, ends: number, sentences: number, alpha: number): number;
  };
  const p = kernel.spec;
  const t = kernel.tables;
  // The order of assembly/word2vec.ts `configure`.
  kernelExports.configure(
    p.cbow ? 1 : 0,
    p.hs ? 1 : 0,
    p.negative,
    p.window,
    p.dim,
    p.vocabSize,
    t.syn0,
    t.syn1,
    t.syn1neg,
    t.expTable,
    t.keep,
    t.noiseProb,
    t.noiseAlias,
    t.codes,
    t.points,
    t.codeOffsets,
    s.neu1,
    s.neu1e,
    s.sentence,
    p.sentenceCapacity,
    s.rng,
    s.targets,
    s.touched,
    s.hotRows,
    s.hot0,
    s.hot0Base,
    s.hot1,
    s.hot1Base,
  );
  const ids = new Int32Array(memory.buffer, s.ids, p.chunkCapacity);
  const ends = new Int32Array(memory.buffer, s.ends, p.chunkCapacity);
  return (chunkIds, chunkEnds, length, sentences, alpha) => {
    ids.set(chunkIds.length === length ? chunkIds : chunkIds.subarray(0, length));
    ends.set(chunkEnds.length === sentences ? chunkEnds : chunkEnds.subarray(0, sentences));
    return kernelExports.trainChunk(s.ids, s.ends, sentences, alpha);
  };
}
