import { describe, expect, it } from 'vitest';
import { EXP_SCALE, MAX_EXP, buildExpTable } from './exp-table.js';
import { buildHuffmanTree } from './huffman.js';
import { type KernelState, addTo, backprop, dot, trainChunk } from './kernel.js';
import { toWasmState } from './kernel-state.js';
import { wasmChunkTrainer } from './wasm-kernel.js';

// Hand-derived single updates of the training loop, computed in float64 here, on both kernels: the JS one
// (kernel.ts) and the WebAssembly SIMD one (assembly/word2vec.ts, f32 math). The loop runs on flat arrays and never
// on the tensor backends, so these tests run once per kernel rather than per backend.

type Kernel = 'js' | 'wasm';

/** `trainChunk` on the chosen kernel; the wasm run trains a copy in its memory and copies the results back into `s`. */
function train(kernel: Kernel, s: KernelState, ids: Int32Array, ends: Int32Array, n: number, alpha: number): number {
  if (kernel === 'js') return trainChunk(s, ids, ends, n, alpha);
  const w = toWasmState(s, { workers: 1, chunkCapacity: ids.length })!;
  const trained = wasmChunkTrainer(w.wasm!, 0)(ids, ends, ids.length, n, alpha);
  s.syn0.set(w.syn0);
  s.syn1.set(w.syn1);
  s.syn1neg.set(w.syn1neg);
  s.rng.set(w.rng);
  return trained;
}

const table = buildExpTable();
/** The table sigmoid exactly as the loop reads it, for |f| < 6. */
const sig = (f: number) => table[Math.trunc((f + MAX_EXP) * EXP_SCALE)]!;

function state(over: Partial<KernelState> & Pick<KernelState, 'dim' | 'vocabSize'>): KernelState {
  const { dim, vocabSize: V } = over;
  return {
    cbow: false,
    hs: false,
    negative: 0,
    window: 1,
    syn0: new Float32Array(V * dim),
    syn1: new Float32Array(Math.max(0, V - 1) * dim),
    syn1neg: new Float32Array(V * dim),
    expTable: table,
    maxExp: MAX_EXP,
    expScale: EXP_SCALE,
    keep: new Float64Array(V).fill(2),
    noiseProb: new Float64Array(V),
    noiseAlias: new Int32Array(V),
    codes: new Uint8Array(0),
    points: new Int32Array(0),
    codeOffsets: new Int32Array(V + 1),
    neu1: new Float32Array(dim),
    neu1e: new Float32Array(dim),
    sentence: new Int32Array(1000),
    rng: Int32Array.of(7),
    ...over,
  };
}

const dotAt = (a: ArrayLike<number>, ia: number, b: ArrayLike<number>, ib: number, D: number) => {
  let s = 0;
  for (let k = 0; k < D; k++) s += a[ia + k]! * b[ib + k]!;
  return s;
};

function expectRowsClose(actual: Float32Array, expected: number[], tol = 1e-6): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThan(tol);
}

describe('vector helpers', () => {
  // Lengths 7 and 8 exercise both the four-way unrolled body and the remainder loop, at non-zero row offsets.
  const a = Float32Array.from({ length: 20 }, (_, i) => Math.sin(i + 1));
  const b = Float32Array.from({ length: 20 }, (_, i) => Math.cos(2 * i + 0.5));

  it.each([7, 8])('dot of %i elements at offsets', (n) => {
    let expected = 0;
    for (let k = 0; k < n; k++) expected += a[3 + k]! * b[9 + k]!;
    expect(dot(a, 3, b, 9, n)).toBeCloseTo(expected, 12);
  });

  it.each([7, 8])('backprop and addTo of %i elements at offsets', (n) => {
    const e = Float32Array.from({ length: n }, (_, k) => 0.1 * k);
    const out = b.slice();
    const g = 0.3;
    const eExpected = Array.from(e, (x, k) => Math.fround(x + g * b[9 + k]!));
    const outExpected = Array.from(out, (x, i) => (i >= 9 && i < 9 + n ? Math.fround(x + g * a[3 + i - 9]!) : x));
    backprop(e, out, 9, a, 3, g, n);
    expect(Array.from(e)).toEqual(eExpected);
    expect(Array.from(out)).toEqual(outExpected);
    const y = a.slice();
    addTo(y, 5, e, 0, n);
    expect(Array.from(y)).toEqual(Array.from(a, (x, i) => (i >= 5 && i < 5 + n ? Math.fround(x + e[i - 5]!) : x)));
  });
});

describe.each(['js', 'wasm'] as const)('trainChunk (%s kernel)', (kernel) => {
  it('skip-gram with negative sampling: one update of σ(u·v) towards 1 for the pair and 0 for the noise word', () => {
    const D = 2;
    const alpha = 0.1;
    // Noise always draws word 1 (bucket 0 aliases to 1, bucket 1 keeps itself); window 1 always spans 1.
    const s = state({ dim: D, vocabSize: 2, negative: 1, noiseProb: Float64Array.of(0, 1), noiseAlias: Int32Array.of(1, 1) });
    s.syn0.set([0.3, -0.2, 0.1, 0.4]);
    s.syn1neg.set([0.5, 0.25, -0.3, 0.2]);
    const v = Array.from(s.syn0);
    const u = Array.from(s.syn1neg);

    // Position 0 (centre 0, context 1): positive pair (1 → 0), then noise word 1.
    const e = [0, 0];
    let g = (1 - sig(dotAt(v, 2, u, 0, D))) * alpha;
    for (let k = 0; k < D; k++) {
      e[k]! += g * u[k]!;
      u[k]! += g * v[2 + k]!;
    }
    g = (0 - sig(dotAt(v, 2, u, 2, D))) * alpha;
    for (let k = 0; k < D; k++) {
      e[k]! += g * u[2 + k]!;
      u[2 + k]! += g * v[2 + k]!;
    }
    for (let k = 0; k < D; k++) v[2 + k]! += e[k]!;
    // Position 1 (centre 1, context 0): positive pair (0 → 1); the noise draw is word 1 itself and is skipped.
    g = (1 - sig(dotAt(v, 0, u, 2, D))) * alpha;
    const e2 = [g * u[2]!, g * u[3]!];
    for (let k = 0; k < D; k++) u[2 + k]! += g * v[k]!;
    for (let k = 0; k < D; k++) v[k]! += e2[k]!;

    expect(train(kernel, s, Int32Array.of(0, 1), Int32Array.of(2), 1, alpha)).toBe(2);
    expectRowsClose(s.syn0, v);
    expectRowsClose(s.syn1neg, u);
  });

  it('CBOW with hierarchical softmax: the mean context vector walks the Huffman path of the centre word', () => {
    const D = 2;
    const alpha = 0.05;
    // counts 3 2 1 → word 1: root(1) then node 0, bits 0 1; word 2: bits 0 0 (traced in huffman.test.ts style).
    const tree = buildHuffmanTree([3, 2, 1]);
    expect(Array.from(tree.codes)).toEqual([1, 0, 1, 0, 0]);
    expect(Array.from(tree.points)).toEqual([1, 1, 0, 1, 0]);
    const s = state({ dim: D, vocabSize: 3, cbow: true, hs: true, codes: tree.codes, points: tree.points, codeOffsets: tree.offsets });
    s.syn0.set([0.1, 0.2, -0.3, 0.4, 0.5, -0.6]);
    s.syn1.set([0.7, -0.1, 0.2, 0.3]);
    const v = Array.from(s.syn0);
    const w = Array.from(s.syn1);

    const step = (centre: number, context: number) => {
      const h = [v[context * D]!, v[context * D + 1]!]; // mean of one context vector
      const e = [0, 0];
      for (let d = tree.offsets[centre]!; d < tree.offsets[centre + 1]!; d++) {
        const p = tree.points[d]! * D;
        const g = (1 - tree.codes[d]! - sig(h[0]! * w[p]! + h[1]! * w[p + 1]!)) * alpha;
        for (let k = 0; k < D; k++) {
          e[k]! += g * w[p + k]!;
          w[p + k]! += g * h[k]!;
        }
      }
      for (let k = 0; k < D; k++) v[context * D + k]! += e[k]!;
    };
    step(1, 2);
    step(2, 1);

    train(kernel, s, Int32Array.of(1, 2), Int32Array.of(2), 1, alpha);
    expectRowsClose(s.syn0, v);
    expectRowsClose(s.syn1, w);
  });

  it('CBOW averages the context: two identical context words act like one', () => {
    const D = 3;
    const make = () => {
      const s = state({ dim: D, vocabSize: 2, cbow: true, negative: 1, noiseProb: Float64Array.of(0, 1), noiseAlias: Int32Array.of(1, 1), window: 1 });
      s.syn0.set([0.1, -0.2, 0.3, 0.05, 0.15, -0.25]);
      s.syn1neg.set([0.2, 0.1, -0.1, 0.3, -0.2, 0.1]);
      return s;
    };
    // Sentence 1 0 1: centre 0 sees word 1 twice (mean = its vector) and gets the update twice.
    const a = make();
    train(kernel, a, Int32Array.of(1, 0, 1), Int32Array.of(3), 1, 0.05);
    // syn1neg row 0 moved by g · mean(context) where the mean is syn0[1] itself, regardless of the doubling.
    const b = make();
    const g = (1 - sig(dotAt(b.syn0, 3, b.syn1neg, 0, D))) * 0.05;
    for (let k = 0; k < D; k++) expect(a.syn1neg[k]).toBeCloseTo(b.syn1neg[k]! + g * b.syn0[3 + k]!, 6);
  });

  it('subsamples: a word with keep probability 0.3 is trained on 30% of the time', () => {
    const s = state({ dim: 1, vocabSize: 1, negative: 1, keep: Float64Array.of(0.3), noiseProb: Float64Array.of(1), noiseAlias: Int32Array.of(0) });
    const n = 200_000;
    const ids = new Int32Array(n);
    const trained = train(kernel, s, ids, Int32Array.of(n), 1, 0.01);
    // Binomial(200000, 0.3): standard deviation ≈ 205.
    expect(Math.abs(trained - 0.3 * n)).toBeLessThan(5 * Math.sqrt(n * 0.3 * 0.7));
  });

  it('cuts sentences at the sentence buffer length: 0 1 0 1 with room for 2 trains as two sentences 0 1', () => {
    const make = (room: number) => {
      const s = state({ dim: 2, vocabSize: 2, window: 5, negative: 1, noiseProb: Float64Array.of(0.5, 0.5), noiseAlias: Int32Array.of(1, 0), sentence: new Int32Array(room) });
      s.syn0.set([0.1, 0.2, -0.3, 0.4]);
      return s;
    };
    const cut = make(2);
    train(kernel, cut, Int32Array.of(0, 1, 0, 1), Int32Array.of(4), 1, 0.05);
    const two = make(1000);
    train(kernel, two, Int32Array.of(0, 1, 0, 1), Int32Array.of(2, 4), 2, 0.05);
    expect(Array.from(cut.syn0)).toEqual(Array.from(two.syn0));
    expect(Array.from(cut.syn1neg)).toEqual(Array.from(two.syn1neg));
    // With room for the whole sentence, the far words see each other and the result differs.
    const whole = make(1000);
    train(kernel, whole, Int32Array.of(0, 1, 0, 1), Int32Array.of(4), 1, 0.05);
    expect(Array.from(whole.syn0)).not.toEqual(Array.from(two.syn0));
  });
});
