import { Adam, Embedding, Generator, ShapeError, Tensor, ValueError, clipGradNorm, manualSeed, randn, tensor } from '@elman/core';
import { LSTM } from '@elman/cells';
import { assertGradcheck, testBackends, useBackend } from '@elman/core/testing';
import { gru, lstm } from '@elman/wrappers';
import { beforeAll, describe, expect, it } from 'vitest';
import { AttentionDecoder, type DecoderCell } from './attention-decoder.js';
import { BahdanauAttention } from './attention/bahdanau-attention.js';
import { LuongAttention } from './attention/luong-attention.js';
import { Encoder, type EncoderRnn } from './encoder.js';
import { exactMatch } from './metrics/accuracy.js';
import { Seq2Seq, inverseSigmoidDecay } from './seq2seq.js';

const PAD = 0;
const START = 1;
const END = 2;
const V = 13; // specials + digits 0–9 as ids 3–12

function build(seed: number, opts: { rnn?: (E: number, g: Generator) => EncoderRnn; cell?: DecoderCell; H?: number } = {}): Seq2Seq {
  // Bidirectional's mirrored backward layer draws from the global generator, so seed that one too.
  manualSeed(seed);
  const generator = new Generator(seed);
  const E = 16;
  const H = opts.H ?? 24;
  const rnn = opts.rnn ? opts.rnn(E, generator) : lstm({ inputSize: E, hiddenSize: H, bidirectional: true, generator });
  const encoder = new Encoder({ embedding: new Embedding(V, E, { paddingIdx: PAD, generator }), rnn });
  const C = encoder.outputSize;
  const decoder = new AttentionDecoder({
    embedding: new Embedding(V, E, { paddingIdx: PAD, generator }),
    hiddenSize: H,
    attention: new LuongAttention({ querySize: H, keySize: C, score: 'general', generator }),
    encoderStateSize: C,
    encoderIsLstm: encoder.isLstm,
    cell: opts.cell,
    generator,
  });
  return new Seq2Seq({ encoder, decoder, startId: START, endId: END, padId: PAD, generator });
}

/** Random digit strings of length 2–maxLen, as source ids and reversed target ids ending in END, right-padded. */
function reversalBatch(g: Generator, B: number, maxLen: number): { src: Tensor; tgt: Tensor; refs: number[][] } {
  const src = new Int32Array(B * maxLen);
  const tgt = new Int32Array(B * (maxLen + 1));
  const refs: number[][] = [];
  for (let b = 0; b < B; b++) {
    const n = 2 + g.randint(maxLen - 1);
    const digits = Array.from({ length: n }, () => 3 + g.randint(10));
    digits.forEach((d, i) => {
      src[b * maxLen + i] = d;
    });
    const rev = [...digits].reverse();
    rev.forEach((d, i) => {
      tgt[b * (maxLen + 1) + i] = d;
    });
    tgt[b * (maxLen + 1) + n] = END;
    refs.push(rev);
  }
  return { src: new Tensor(src, [B, maxLen]), tgt: new Tensor(tgt, [B, maxLen + 1]), refs };
}

describe.each(testBackends())('Seq2Seq (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it('learns to reverse digit strings: greedy exact match ≥ 90% on held-out strings', () => {
    const model = build(11);
    const opt = new Adam(model.parameters(), { lr: 0.01 });
    const g = new Generator(5);
    let first = 0;
    let last = 0;
    for (let step = 0; step < 180; step++) {
      const { src, tgt } = reversalBatch(g, 32, 5);
      opt.zeroGrad();
      const loss = model.loss(src, tgt);
      loss.backward();
      clipGradNorm(model.parameters(), 5);
      opt.step();
      if (step === 0) first = loss.item();
      last = loss.item();
    }
    expect(last).toBeLessThan(first / 4);
    model.eval();
    const test = reversalBatch(new Generator(999), 100, 5);
    const out = model.generate(test.src, { maxLength: 8 });
    const em = exactMatch(out.map((o) => o.tokens), test.refs);
    expect(em).toBeGreaterThanOrEqual(0.9);
    // Reversal aligns output i with input n−1−i: the attention matrix's argmax should follow the anti-diagonal.
    let aligned = 0;
    let rows = 0;
    out.forEach((o, b) => {
      const n = test.refs[b]!.length;
      for (let i = 0; i < Math.min(n, o.tokens.length); i++) {
        const row = o.attention[i]!;
        expect(row.length).toBe(n);
        rows++;
        if (row.indexOf(Math.max(...row)) === n - 1 - i) aligned++;
      }
    });
    expect(aligned / rows).toBeGreaterThan(0.8);
    const few = reversalBatch(new Generator(998), 20, 5);
    const beam = model.generate(few.src, { maxLength: 8, beamSize: 3 });
    expect(exactMatch(beam.map((o) => o.tokens), few.refs)).toBeGreaterThanOrEqual(0.9);
  });

  it('generate scores equal the teacher-forced log-probability; beam search finds likelier outputs than greedy', () => {
    const model = build(8, { H: 8 }).eval();
    // Make END likely enough that the untrained model's hypotheses end within maxLength.
    model.decoder.out.bias!.data[END] = 1.5;
    const src = tensor([[5, 6, 7, 8], [9, 10, PAD, PAD], [11, PAD, PAD, PAD]], undefined, { dtype: 'int32' });
    const logProb = (b: number, tokens: number[]): number => {
      const tgt = tensor([[...tokens, END]], undefined, { dtype: 'int32' });
      const row = model.forward(src.slice(0, b, b + 1), tgt).logits; // [1, T, V]
      let lp = 0;
      [...tokens, END].forEach((id, t) => {
        const l = Array.from(row.data.subarray(t * V, (t + 1) * V));
        const m = Math.max(...l);
        lp += l[id]! - m - Math.log(l.reduce((s, x) => s + Math.exp(x - m), 0));
      });
      return lp;
    };
    const greedy = model.generate(src, { maxLength: 6, lengthPenalty: 0 });
    const beam = model.generate(src, { maxLength: 6, beamSize: 4, lengthPenalty: 0 });
    let checked = 0;
    for (let b = 0; b < 3; b++) {
      for (const g of [greedy[b]!, beam[b]!]) {
        if (g.attention.length === g.tokens.length) continue; // cut by maxLength: no END to score
        expect(g.score).toBeCloseTo(logProb(b, g.tokens), 4);
        checked++;
      }
      expect(beam[b]!.score).toBeGreaterThanOrEqual(greedy[b]!.score - 1e-6);
    }
    expect(checked).toBeGreaterThan(0);
    expect(() => model.generate(src, { beamSize: 0 })).toThrow(/beamSize must be a positive integer/);
    expect(() => model.generate(src, { lengthPenalty: -1 })).toThrow(ValueError);
  });

  it('bridges encoder and decoder states of any size, direction and cell kind', () => {
    const cases: [string, (E: number, g: Generator) => EncoderRnn, DecoderCell][] = [
      ['2-layer bidirectional GRU → LSTM', (E, g) => gru({ inputSize: E, hiddenSize: 8, numLayers: 2, bidirectional: true, generator: g }), 'lstm'],
      ['fused LSTM layer (same size) → LSTM', (E, g) => new LSTM({ inputSize: E, hiddenSize: 6, generator: g }), 'lstm'],
      ['LSTM → GRU', (E, g) => lstm({ inputSize: E, hiddenSize: 6, generator: g }), 'gru'],
      ['LSTM → RNN', (E, g) => lstm({ inputSize: E, hiddenSize: 5, generator: g }), 'rnn'],
    ];
    for (const [name, rnn, cell] of cases) {
      const model = build(3, { rnn, cell, H: 6 });
      const { src, tgt } = reversalBatch(new Generator(1), 3, 4);
      const out = model.forward(src, tgt);
      expect(out.logits.shape, name).toEqual([3, 5, V]);
      expect(out.weights.shape, name).toEqual([3, 5, 4]);
      const loss = model.loss(src, tgt);
      loss.backward();
      for (const [key, p] of model.namedParameters()) {
        if (key.endsWith('embedding.weight')) continue;
        expect(p.grad, `${name}: ${key}`).not.toBeNull();
      }
      const sameSize = model.decoder.encoderStateSize === model.decoder.hiddenSize;
      expect(model.decoder.bridge_h === null, name).toBe(sameSize);
    }
  });

  it('gradcheck of one decoder step through the memory, the fed-back state and the bridge', () => {
    const model = build(12, { H: 4, rnn: (E, g) => gru({ inputSize: E, hiddenSize: 3, bidirectional: true, generator: g }) });
    const dec = model.decoder;
    const g = new Generator(4);
    const memory = randn([2, 3, 6], { generator: g });
    const encH = randn([2, 6], { generator: g });
    const feed = randn([2, 4], { generator: g });
    const prev = tensor([5, 7], undefined, { dtype: 'int32' });
    const mask = [
      [false, false, true],
      [false, false, false],
    ];
    assertGradcheck(
      (m, h, f) => {
        const init = dec.initialState({ h: h! });
        return dec.step(prev, { cell: init.cell, feed: f! }, m!, mask).logits;
      },
      [memory, encH, feed],
    );
  });

  it('masks the loss on PAD targets and the attention on PAD sources', () => {
    const model = build(4, { H: 8 });
    const src = tensor([[5, 6, 7, PAD], [8, 9, PAD, PAD]], undefined, { dtype: 'int32' });
    const tgt = tensor([[7, 6, 5, END], [9, 8, END, PAD]], undefined, { dtype: 'int32' });
    const { logits, weights } = model.forward(src, tgt);
    const w = weights.data;
    for (let t = 0; t < 4; t++) {
      expect(w[(0 * 4 + t) * 4 + 3]).toBe(0);
      expect(w[(1 * 4 + t) * 4 + 2]).toBe(0);
      expect(w[(1 * 4 + t) * 4 + 3]).toBe(0);
    }
    // Mean over the 7 non-PAD targets of −log softmax, computed by hand in float64.
    const L = logits.data;
    const gold = tgt.data;
    let total = 0;
    let n = 0;
    for (let i = 0; i < 8; i++) {
      if (gold[i] === PAD) continue;
      const row = Array.from(L.subarray(i * V, (i + 1) * V));
      const m = Math.max(...row);
      const lse = m + Math.log(row.reduce((s, x) => s + Math.exp(x - m), 0));
      total += lse - row[gold[i]!]!;
      n++;
    }
    expect(n).toBe(7);
    expect(model.loss(src, tgt).item()).toBeCloseTo(total / n, 5);
  });

  it('teacher forcing ratio: 1 feeds gold tokens, < 1 is reproducible under the same seed', () => {
    const { src, tgt } = reversalBatch(new Generator(2), 4, 4);
    const a = build(9, { H: 8 });
    const b = build(9, { H: 8 });
    a.teacherForcingRatio = 0.5;
    b.teacherForcingRatio = 0.5;
    expect(Array.from(a.forward(src, tgt).logits.data)).toEqual(Array.from(b.forward(src, tgt).logits.data));
    const forced = build(9, { H: 8 });
    const free = build(9, { H: 8 });
    free.teacherForcingRatio = 0;
    const lf = forced.forward(src, tgt).logits.data;
    const ln = free.forward(src, tgt).logits.data;
    // The first step sees START either way; later steps differ once the untrained model's guesses differ from gold.
    expect(Array.from(ln.subarray(0, V))).toEqual(Array.from(lf.subarray(0, V)));
    expect(Array.from(ln)).not.toEqual(Array.from(lf));
    free.teacherForcingRatio = 1.5;
    expect(() => free.forward(src, tgt)).toThrow(/teacherForcingRatio must be in \[0, 1\]/);
  });

  it('generate stops at END and returns one attention row per emitted token', () => {
    const model = build(5, { H: 8 });
    const src = tensor([[5, 6, 7], [8, PAD, PAD]], undefined, { dtype: 'int32' });
    const out = model.generate(src, { maxLength: 6 });
    expect(out).toHaveLength(2);
    for (const [b, o] of out.entries()) {
      expect(o.tokens).not.toContain(END);
      expect(o.attention.length === o.tokens.length || o.attention.length === o.tokens.length + 1).toBe(true);
      expect(o.attention.length).toBeLessThanOrEqual(6);
      for (const row of o.attention) {
        expect(row).toHaveLength(b === 0 ? 3 : 1);
        expect(row.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 5);
      }
    }
  });
});

describe('Seq2Seq bad input and scheduled sampling', () => {
  const model = build(6, { H: 8 });
  const ids = (rows: number[][]) => tensor(rows, undefined, { dtype: 'int32' });

  it('rejects unknown token ids, empty sequences, float ids and mismatched batches with typed errors', () => {
    expect(() => model.generate(ids([[5, 13]]))).toThrow(/Seq2Seq: src holds unknown token id 13 at flat index 1; ids must be in \[0, 13\)/);
    expect(() => model.loss(ids([[5, 6]]), ids([[7, -1]]))).toThrow(/tgt holds unknown token id -1/);
    expect(() => model.generate(ids([[PAD, PAD], [5, 6]]))).toThrow(/source sequence 0 is empty/);
    expect(() => model.generate(new Tensor(new Int32Array(0), [2, 0]))).toThrow(/src is empty, shape \[2, 0\]/);
    expect(() => model.generate(tensor([[5, 6]]))).toThrow(/src must be int32/);
    expect(() => model.loss(ids([[5, 6]]), ids([[7, END], [7, END]]))).toThrow(ShapeError);
    expect(() => model.generate(ids([[5, 6]]), { maxLength: 0 })).toThrow(ValueError);
  });

  it('rejects encoder/decoder size mismatches and bad special ids', () => {
    const g = new Generator(0);
    expect(() => new Encoder({ embedding: new Embedding(V, 5), rnn: lstm({ inputSize: 6, hiddenSize: 4, generator: g }) })).toThrow(
      /Encoder: embedding dim 5 differs from the rnn's inputSize 6/,
    );
    const encoder = new Encoder({ embedding: new Embedding(V, 4), rnn: lstm({ inputSize: 4, hiddenSize: 4, generator: g }) });
    const mk = (keySize: number) =>
      new AttentionDecoder({
        embedding: new Embedding(V, 4),
        hiddenSize: 4,
        attention: new BahdanauAttention({ querySize: 4, keySize }),
        encoderStateSize: keySize,
      });
    expect(() => new Seq2Seq({ encoder, decoder: mk(6), startId: START, endId: END, padId: PAD })).toThrow(ShapeError);
    expect(() => new Seq2Seq({ encoder, decoder: mk(4), startId: 99, endId: END, padId: PAD })).toThrow(/startId 99 is not a target id/);
    expect(
      () => new AttentionDecoder({ embedding: new Embedding(V, 4), hiddenSize: 5, attention: new BahdanauAttention({ querySize: 4, keySize: 4 }), encoderStateSize: 4 }),
    ).toThrow(/attention.querySize 4 must equal hiddenSize 5/);
  });

  it('inverse sigmoid decay starts near 1 and decreases towards 0 (Bengio et al. 2015)', () => {
    expect(inverseSigmoidDecay(0, 100)).toBeCloseTo(100 / 101, 12);
    expect(inverseSigmoidDecay(1000, 100)).toBeCloseTo(100 / (100 + Math.exp(10)), 12);
    expect(inverseSigmoidDecay(500, 100)).toBeLessThan(inverseSigmoidDecay(400, 100));
    expect(() => inverseSigmoidDecay(1, 0.5)).toThrow(ValueError);
  });

  it('exposes PyTorch-style state-dict keys', () => {
    const keys = Object.keys(model.stateDict());
    for (const k of ['encoder.rnn.weight_ih_l0', 'encoder.rnn.weight_hh_l0_reverse', 'decoder.cell.weight_ih', 'decoder.attention.W.weight', 'decoder.attn_combine.weight', 'decoder.out.bias', 'decoder.bridge_h.weight', 'decoder.bridge_c.weight']) {
      expect(keys).toContain(k);
    }
  });
});
