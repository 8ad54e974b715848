/**
 * The word2vec training loop (Mikolov et al. 2013; word2vec.c v0.1c `TrainModelThread`), on flat Float32Array
 * matrices with no allocation per word: the fallback where WebAssembly SIMD is missing, and the reference of the wasm
 * kernel (assembly/word2vec.ts), which takes the same random decisions in the same order.
 *
 * Everything in this file is self-contained (no imports but a type, no closures, no module state): the Hogwild workers run
 * the very same functions from their source text (`Function.prototype.toString`, see hogwild.ts), so one worker and
 * N workers train with identical code.
 */

import type { WasmKernel } from './wasm-kernel.js';

/**
 * Everything {@link trainChunk} reads and writes; built once per model (kernel-state.ts). With the WebAssembly
 * kernel, the arrays are views into its memory, so either kernel can train on them.
 */
export interface KernelState {
  /** CBOW (true) or skip-gram (false). */
  cbow: boolean;
  /** Train the hierarchical-softmax output layer `syn1`. */
  hs: boolean;
  /** Negative samples per positive pair (0: no negative sampling). */
  negative: number;
  /** Largest distance between the centre word and a context word. */
  window: number;
  /** Vector size D. */
  dim: number;
  /** Number of words V. */
  vocabSize: number;
  /** Input vectors `[V, D]` (the word vectors). */
  syn0: Float32Array;
  /** Hierarchical-softmax inner-node vectors `[V − 1, D]` (empty without `hs`). */
  syn1: Float32Array;
  /** Negative-sampling output vectors `[V, D]` (empty without `negative`). */
  syn1neg: Float32Array;
  /** Precomputed sigmoid (exp-table.ts). */
  expTable: Float32Array;
  /** Logit bound of the table. */
  maxExp: number;
  /** Table entries per unit of logit. */
  expScale: number;
  /** Subsampling keep probability of each word (≥ 1: always kept). */
  keep: Float64Array;
  /** Alias table of the noise distribution: keep-bucket probability. */
  noiseProb: Float64Array;
  /** Alias table of the noise distribution: fallback word. */
  noiseAlias: Int32Array;
  /** Huffman branch bits (huffman.ts). */
  codes: Uint8Array;
  /** Huffman inner nodes. */
  points: Int32Array;
  /** Start of each word's Huffman path, length V + 1. */
  codeOffsets: Int32Array;
  /** Scratch: the CBOW hidden layer `[D]`. */
  neu1: Float32Array;
  /** Scratch: the accumulated input gradient `[D]`. */
  neu1e: Float32Array;
  /** Scratch: the current sentence after subsampling (its length caps a sentence, 1000 in word2vec.c). */
  sentence: Int32Array;
  /** The random stream's Weyl counter, advanced by 0x9e3779b9 per draw (one element, so workers can share code). */
  rng: Int32Array;
  /** The WebAssembly kernel whose memory holds these arrays; absent: train with {@link trainChunk}. */
  wasm?: WasmKernel | null;
}

/**
 * SplitMix32 finalizer (Steele et al. 2014, "Fast splittable pseudorandom number generators") of a Weyl counter:
 * the loop's random numbers. A pure function, so V8 inlines it.
 *
 * @returns 32 random bits as a signed int32.
 */
export function mix32(x: number): number {
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return z ^ (z >>> 16);
}

/**
 * One negative sample from the alias table (noise-table.ts) of `V` words, given two random 32-bit words: `r1`
 * picks the bucket, `r2` flips the coin.
 */
export function sampleNoise(prob: Float64Array, alias: Int32Array, V: number, r1: number, r2: number): number {
  // (r >>> 0) · 2^−32 ∈ [0, 1).
  const i = Math.floor((r1 >>> 0) * 2.3283064365386963e-10 * V);
  return (r2 >>> 0) * 2.3283064365386963e-10 < prob[i]! ? i : alias[i]!;
}

/**
 * `Σ a[ia + k] · b[ib + k]` over `k < n`. Four partial sums: a single running sum waits on every addition (its
 * latency, not the multiplies, bounds a 100-term product), four of them overlap.
 */
export function dot(a: Float32Array, ia: number, b: Float32Array, ib: number, n: number): number {
  let f0 = 0;
  let f1 = 0;
  let f2 = 0;
  let f3 = 0;
  let k = 0;
  for (; k + 3 < n; k += 4) {
    f0 += a[ia + k]! * b[ib + k]!;
    f1 += a[ia + k + 1]! * b[ib + k + 1]!;
    f2 += a[ia + k + 2]! * b[ib + k + 2]!;
    f3 += a[ia + k + 3]! * b[ib + k + 3]!;
  }
  for (; k < n; k++) f0 += a[ia + k]! * b[ib + k]!;
  return f0 + f1 + (f2 + f3);
}

/**
 * One output-layer step of `g` on row `io` of `out` with input row `ih` of `h`: `e += g · out[io]` (the old row)
 * and `out[io] += g · h[ih]`, fused so each output value is read once. Unrolled by four, like {@link dot}.
 */
export function backprop(e: Float32Array, out: Float32Array, io: number, h: Float32Array, ih: number, g: number, n: number): void {
  let k = 0;
  for (; k + 3 < n; k += 4) {
    const v0 = out[io + k]!;
    const v1 = out[io + k + 1]!;
    const v2 = out[io + k + 2]!;
    const v3 = out[io + k + 3]!;
    e[k]! += g * v0;
    e[k + 1]! += g * v1;
    e[k + 2]! += g * v2;
    e[k + 3]! += g * v3;
    out[io + k] = v0 + g * h[ih + k]!;
    out[io + k + 1] = v1 + g * h[ih + k + 1]!;
    out[io + k + 2] = v2 + g * h[ih + k + 2]!;
    out[io + k + 3] = v3 + g * h[ih + k + 3]!;
  }
  for (; k < n; k++) {
    const v = out[io + k]!;
    e[k]! += g * v;
    out[io + k] = v + g * h[ih + k]!;
  }
}

/** `y[iy + k] += x[k]` for `k < n`, unrolled by four. */
export function addTo(y: Float32Array, iy: number, x: Float32Array, ix: number, n: number): void {
  let k = 0;
  for (; k + 3 < n; k += 4) {
    y[iy + k]! += x[ix + k]!;
    y[iy + k + 1]! += x[ix + k + 1]!;
    y[iy + k + 2]! += x[ix + k + 2]!;
    y[iy + k + 3]! += x[ix + k + 3]!;
  }
  for (; k < n; k++) y[iy + k]! += x[ix + k]!;
}

/**
 * Trains on one chunk of sentences with learning rate `alpha`, exactly as word2vec.c does per sentence: subsample
 * frequent words, shrink the window by a random `b ∈ [0, window)`, then per centre word either CBOW (mean of the
 * context vectors predicts the word) or skip-gram (each context vector predicts the word), through hierarchical
 * softmax and/or negative sampling; sigmoid from the table, logits beyond ±maxExp saturated.
 *
 * @param ids - Word ids of the chunk, sentences back to back.
 * @param ends - End offset (exclusive) of each sentence in `ids`.
 * @param nSentences - Number of sentences in the chunk.
 * @returns Words trained on after subsampling.
 */
export function trainChunk(s: KernelState, ids: Int32Array, ends: Int32Array, nSentences: number, alpha: number): number {
  const cbow = s.cbow;
  const hs = s.hs;
  const negative = s.negative;
  const window = s.window;
  const dim = s.dim;
  const V = s.vocabSize;
  const syn0 = s.syn0;
  const syn1 = s.syn1;
  const syn1neg = s.syn1neg;
  const expTable = s.expTable;
  const maxExp = s.maxExp;
  const expScale = s.expScale;
  const keep = s.keep;
  const noiseProb = s.noiseProb;
  const noiseAlias = s.noiseAlias;
  const codes = s.codes;
  const points = s.points;
  const offsets = s.codeOffsets;
  const neu1 = s.neu1; // [D]
  const neu1e = s.neu1e; // [D]
  const sen = s.sentence;
  const maxLen = sen.length;
  let counter = s.rng[0]!;
  let trained = 0;
  let i = 0;
  for (let si = 0; si < nSentences; si++) {
    const end = ends[si]!;
    while (i < end) {
      // Subsample into `sen`, at most maxLen kept words; the rest of a long sentence comes next round.
      let len = 0;
      while (i < end && len < maxLen) {
        const w = ids[i++]!;
        const k = keep[w]!;
        if (k < 1) {
          counter = (counter + 0x9e3779b9) | 0;
          if (k < (mix32(counter) >>> 8) * 5.9604644775390625e-8) continue;
        }
        sen[len++] = w;
      }
      trained += len;
      for (let pos = 0; pos < len; pos++) {
        const word = sen[pos]!;
        counter = (counter + 0x9e3779b9) | 0;
        const span = window - ((mix32(counter) >>> 0) % window); // the shrunk window, in [1, window]
        const lo = Math.max(pos - span, 0);
        const hi = Math.min(pos + span, len - 1);
        const cStart = offsets[word]!;
        const cEnd = offsets[word + 1]!;
        if (cbow) {
          let cw = 0;
          neu1.fill(0);
          for (let c = lo; c <= hi; c++) {
            if (c === pos) continue;
            addTo(neu1, 0, syn0, sen[c]! * dim, dim);
            cw++;
          }
          if (cw === 0) continue;
          for (let k = 0; k < dim; k++) neu1[k]! /= cw;
          neu1e.fill(0);
          if (hs) {
            for (let d = cStart; d < cEnd; d++) {
              const l2 = points[d]! * dim;
              const f = dot(neu1, 0, syn1, l2, dim);
              if (f <= -maxExp || f >= maxExp) continue;
              const g = (1 - codes[d]! - expTable[((f + maxExp) * expScale) | 0]!) * alpha;
              backprop(neu1e, syn1, l2, neu1, 0, g, dim);
            }
          }
          for (let d = 0; d <= negative && negative > 0; d++) {
            let target = word;
            let label = 1;
            if (d > 0) {
              counter = (counter + 0x9e3779b9) | 0;
              const r1 = mix32(counter);
              counter = (counter + 0x9e3779b9) | 0;
              target = sampleNoise(noiseProb, noiseAlias, V, r1, mix32(counter));
              if (target === word) continue;
              label = 0;
            }
            const l2 = target * dim;
            const f = dot(neu1, 0, syn1neg, l2, dim);
            const g =
              (f > maxExp ? label - 1 : f < -maxExp ? label : label - expTable[((f + maxExp) * expScale) | 0]!) * alpha;
            backprop(neu1e, syn1neg, l2, neu1, 0, g, dim);
          }
          for (let c = lo; c <= hi; c++) {
            if (c !== pos) addTo(syn0, sen[c]! * dim, neu1e, 0, dim);
          }
        } else {
          for (let c = lo; c <= hi; c++) {
            if (c === pos) continue;
            const l1 = sen[c]! * dim;
            neu1e.fill(0);
            if (hs) {
              for (let d = cStart; d < cEnd; d++) {
                const l2 = points[d]! * dim;
                const f = dot(syn0, l1, syn1, l2, dim);
                if (f <= -maxExp || f >= maxExp) continue;
                const g = (1 - codes[d]! - expTable[((f + maxExp) * expScale) | 0]!) * alpha;
                backprop(neu1e, syn1, l2, syn0, l1, g, dim);
              }
            }
            for (let d = 0; d <= negative && negative > 0; d++) {
              let target = word;
              let label = 1;
              if (d > 0) {
                counter = (counter + 0x9e3779b9) | 0;
                const r1 = mix32(counter);
                counter = (counter + 0x9e3779b9) | 0;
                target = sampleNoise(noiseProb, noiseAlias, V, r1, mix32(counter));
                if (target === word) continue;
                label = 0;
              }
              const l2 = target * dim;
              const f = dot(syn0, l1, syn1neg, l2, dim);
              const g =
                (f > maxExp ? label - 1 : f < -maxExp ? label : label - expTable[((f + maxExp) * expScale) | 0]!) * alpha;
              backprop(neu1e, syn1neg, l2, syn0, l1, g, dim);
            }
            addTo(syn0, l1, neu1e, 0, dim);
          }
        }
      }
    }
  }
  s.rng[0] = counter;
  return trained;
}
