import { ValueError } from '@elman/core';
import { EXP_SCALE, MAX_EXP, buildExpTable } from './exp-table.js';
import { buildHuffmanTree } from './huffman.js';
import type { KernelState } from './kernel.js';
import { buildNoiseTable } from './noise-table.js';
import { keepProbabilities } from './subsampling.js';
import { allocateWasmKernel } from './wasm-kernel.js';

/**
 * Which training loop runs: `'wasm'` (WebAssembly SIMD128, assembly/word2vec.ts), `'js'` (kernel.ts), or `'auto'`:
 * wasm where the runtime validates it and the model fits in a wasm32 memory, else js. Both make the same random
 * decisions; their weights agree to float32 rounding.
 */
export type KernelChoice = 'auto' | 'wasm' | 'js';

/** What {@link createKernelState} builds a state for. */
export interface KernelSpec {
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
  /** Corpus count of each word, sorted in decreasing order; its length is V. */
  counts: Float64Array;
  /** Sum of `counts`. */
  totalWords: number;
  /** Subsampling threshold. */
  sample: number;
  /** Longest subsampled sentence. */
  maxSentenceLength: number;
  /** Most words in one chunk. */
  chunkCapacity: number;
  /** Threads that will train: 1 trains on the calling thread, N > 1 on N Hogwild workers over shared memory. */
  workers: number;
}

/**
 * Builds the tables (noise, Huffman tree, keep probabilities, sigmoid) and allocates the weights for `spec`, zeroed,
 * with the kernel `choice`: in one WebAssembly memory for the wasm kernel, in (Shared)ArrayBuffers for the JS one.
 * The random stream starts at 0; the caller seeds it and fills `syn0`.
 */
export function createKernelState(spec: KernelSpec, choice: KernelChoice): KernelState {
  const { counts, dim: D } = spec;
  const V = counts.length;
  const shared = spec.workers > 1;
  const expTable = buildExpTable();
  const noise = spec.negative > 0 ? buildNoiseTable(counts) : { prob: new Float64Array(V), alias: new Int32Array(V) };
  const tree = spec.hs ? buildHuffmanTree(counts) : { codes: new Uint8Array(0), points: new Int32Array(0), offsets: new Int32Array(V + 1) };
  const syn1Length = spec.hs ? Math.max(0, V - 1) * D : 0; // [V − 1, D]
  const syn1negLength = spec.negative > 0 ? V * D : 0; // [V, D]
  // Hogwild workers share the weights, so the JS kernel's live in SharedArrayBuffers when there are several workers.
  const alloc = (n: number) => (shared && choice === 'js' ? new Float32Array(new SharedArrayBuffer(4 * n)) : new Float32Array(n));
  const state: KernelState = {
    cbow: spec.cbow,
    hs: spec.hs,
    negative: spec.negative,
    window: spec.window,
    dim: D,
    vocabSize: V,
    syn0: alloc(V * D), // [V, D]
    syn1: alloc(syn1Length),
    syn1neg: alloc(syn1negLength),
    expTable,
    maxExp: MAX_EXP,
    expScale: EXP_SCALE,
    keep: keepProbabilities(counts, spec.totalWords, spec.sample),
    noiseProb: noise.prob,
    noiseAlias: noise.alias,
    codes: tree.codes,
    points: tree.points,
    codeOffsets: tree.offsets,
    neu1: new Float32Array(D),
    neu1e: new Float32Array(D),
    sentence: new Int32Array(spec.maxSentenceLength),
    rng: new Int32Array(1),
  };
  if (choice === 'js') return state;
  const wasm = toWasmState(state, { workers: spec.workers, chunkCapacity: spec.chunkCapacity });
  if (wasm !== null) return wasm;
  if (choice === 'wasm') {
    throw new ValueError(
      `Word2Vec: kernel 'wasm' cannot run here (it needs WebAssembly SIMD128${shared ? ', threads and SharedArrayBuffer for workers > 1' : ''}, and the model within a 4 GiB memory); use kernel: 'auto' or 'js'`,
    );
  }
  if (shared) {
    // No wasm after all: the JS kernel's weights move to SharedArrayBuffers (still zero).
    state.syn0 = new Float32Array(new SharedArrayBuffer(4 * V * D));
    state.syn1 = new Float32Array(new SharedArrayBuffer(4 * syn1Length));
    state.syn1neg = new Float32Array(new SharedArrayBuffer(4 * syn1negLength));
  }
  return state;
}

/**
 * Rows of the most frequent words that each Hogwild worker of the wasm kernel trains in its own copy, merged into
 * the shared weights after every chunk. Without it, two workers on two cores keep pulling the same hot rows (the,
 * of, and …: the noise distribution's head) out of each other's caches; where a cache-line transfer costs ~200 ns
 * (vCPUs on different chiplets, measured here), two workers trained no faster than one. 1024 rows hold ~56 % of the
 * noise draws and ~72 % of the subsampled words on the State of the Union corpus; 4 × 1024 × D floats per worker.
 */
const HOT_ROWS = 1024;

/** Options of {@link toWasmState}. */
export interface WasmStateOptions {
  /** 1: the calling thread trains (plain memory); N > 1: N Hogwild workers (shared memory). */
  workers: number;
  /** Most words in one chunk. */
  chunkCapacity: number;
}

/**
 * The same state in the WebAssembly kernel's memory: every array (weights, tables, scratch, random stream) copied
 * into one memory, the returned state's arrays views of it. Returns `null` where the wasm kernel cannot run (no
 * SIMD128, no shared memory for workers, or more than 4 GiB).
 */
export function toWasmState(src: KernelState, options: WasmStateOptions): KernelState | null {
  const shared = options.workers > 1;
  const wasm = allocateWasmKernel({
    cbow: src.cbow,
    hs: src.hs,
    negative: src.negative,
    window: src.window,
    dim: src.dim,
    vocabSize: src.vocabSize,
    syn1Length: src.syn1.length,
    syn1negLength: src.syn1neg.length,
    noiseLength: src.noiseProb.length,
    expTableSize: src.expTable.length,
    pathLength: src.codes.length,
    sentenceCapacity: src.sentence.length,
    chunkCapacity: options.chunkCapacity,
    // With workers, scratch 0 stays the calling thread's (its stream seeds the workers' streams).
    threads: shared ? options.workers + 1 : 1,
    shared,
    hotRows: shared ? HOT_ROWS : 0,
  });
  if (wasm === null) return null;
  const buffer = wasm.memory.buffer;
  const t = wasm.tables;
  const s = wasm.scratch[0]!;
  const f32 = (at: number, from: Float32Array) => copyInto(new Float32Array(buffer, at, from.length), from);
  const f64 = (at: number, from: Float64Array) => copyInto(new Float64Array(buffer, at, from.length), from);
  const i32 = (at: number, from: Int32Array) => copyInto(new Int32Array(buffer, at, from.length), from);
  return {
    ...src,
    syn0: f32(t.syn0, src.syn0),
    syn1: f32(t.syn1, src.syn1),
    syn1neg: f32(t.syn1neg, src.syn1neg),
    expTable: f32(t.expTable, src.expTable),
    keep: f64(t.keep, src.keep),
    noiseProb: f64(t.noiseProb, src.noiseProb),
    noiseAlias: i32(t.noiseAlias, src.noiseAlias),
    codes: copyInto(new Uint8Array(buffer, t.codes, src.codes.length), src.codes),
    points: i32(t.points, src.points),
    codeOffsets: i32(t.codeOffsets, src.codeOffsets),
    neu1: f32(s.neu1, src.neu1),
    neu1e: f32(s.neu1e, src.neu1e),
    sentence: i32(s.sentence, src.sentence),
    rng: i32(s.rng, src.rng),
    wasm,
  };
}

function copyInto<T extends { set(from: ArrayLike<number>): void }>(view: T, from: ArrayLike<number>): T {
  view.set(from);
  return view;
}
