import { GRU, LSTM, LSTMCell, RNN } from '@elman/cells';
import { Embedding, Linear, type Module, Sequential, Tanh, Tensor, manualSeed, randint, randn } from '@elman/core';
import { testBackends, useBackend } from '@elman/core/testing';
import { BahdanauAttention, Encoder } from '@elman/seq2seq';
import { TransformerDecoderLayer } from '@elman/transformer';
import { Bidirectional, type MergeMode, Stacked, TreeRNN, gru, lstm, rnn } from '@elman/wrappers';
import { beforeAll, describe, expect, it } from 'vitest';
import { OnnxExportError, UnsupportedModuleError } from '../errors.js';
import { type DynamicAxes, exportOnnx } from '../export-onnx.js';
import { importOnnxWeights } from '../import-onnx-weights.js';
import { decode, expectOrtParity, opTypes } from '../ort.test-helper.js';
import { bidirectionalForward } from './bidirectional.js';
import { encoderForward } from './seq2seq-encoder.js';
import { stackedForward } from './stacked.js';

const X = 3;
const H = 4;
/** [B, T] of the example inputs, then of the runs that reuse its session (dynamic batch and time). */
const SIZES: readonly [number, number][] = [
  [2, 5],
  [1, 1],
  [4, 7],
  [3, 2],
];

/** Right-padded lengths in [1, T], varied across the batch and including T. */
function lengthsFor(B: number, T: number): Tensor {
  return new Tensor(Int32Array.from({ length: B }, (_, b) => (b === 0 ? T : 1 + ((b * 5 + 2) % T))), [B]);
}

/** Input names `input`, `s0`, `s1`, …, `lengths` with batch (and time) axes dynamic. */
function names(states: number, withLengths: boolean): { inputNames: string[]; dynamicAxes: DynamicAxes } {
  const inputNames = ['input'];
  const dynamicAxes: Record<string, Record<number, string>> = { input: { 0: 'batch', 1: 'time' } };
  for (let i = 0; i < states; i++) {
    inputNames.push(`s${i}`);
    dynamicAxes[`s${i}`] = { 0: 'batch' };
  }
  if (withLengths) {
    inputNames.push('lengths');
    dynamicAxes.lengths = { 0: 'batch' };
  }
  return { inputNames, dynamicAxes };
}

/** Feeds `x [B, T, X]`, `states` initial states of `stateSizes[i]` features, lengths. */
function recurrentFeeds(stateSizes: readonly number[], withLengths: boolean) {
  return (B: number, T: number) => ({
    inputs: [randn([B, T, X]), ...stateSizes.map((h) => randn([B, h])), ...(withLengths ? [lengthsFor(B, T)] : [])],
  });
}

function layer(mode: 'rnn' | 'lstm' | 'gru', inputSize: number, hiddenSize: number, extra: Record<string, unknown> = {}): RNN | LSTM | GRU {
  const o = { inputSize, hiddenSize, ...extra };
  return mode === 'lstm' ? new LSTM(o) : mode === 'gru' ? new GRU(o) : new RNN({ ...o, nonlinearity: 'relu' });
}

/** Parity over SIZES with the feeds of {@link recurrentFeeds} and the names of {@link names}. */
function parity(m: Module, stateSizes: readonly number[], withLengths: boolean, forward: (inputs: Tensor[]) => unknown, opset?: number) {
  return expectOrtParity(m, SIZES, recurrentFeeds(stateSizes, withLengths), forward, { ...names(stateSizes.length, withLengths), opset });
}

describe.each(testBackends())('recurrent wrappers, seq2seq Encoder and Sequential: ONNX parity with onnxruntime (%s)', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
    manualSeed(31);
  });

  describe.each(['rnn', 'lstm', 'gru'] as const)('%s', (mode) => {
    const stateCount = mode === 'lstm' ? 4 : 2;

    it.each(['concat', 'sum', 'mul', 'ave'] as MergeMode[])('Bidirectional (merge %s): plain, and with state and lengths', async (merge) => {
      const m = new Bidirectional(layer(mode, X, H), { merge });
      await parity(m, [], false, (inputs) => bidirectionalForward(m, inputs));
      const bytes = await parity(m, new Array<number>(stateCount).fill(H), true, (inputs) => bidirectionalForward(m, inputs));
      const node = decode(bytes).graph.node.find((n) => n.opType === mode.toUpperCase())!;
      const direction = node.attribute.find((a) => a.name === 'direction')!;
      expect(new TextDecoder().decode(direction.s)).toBe('bidirectional');
    });

    it('Bidirectional without returnSequences merges the two final states', async () => {
      const m = new Bidirectional(layer(mode, X, H, { returnSequences: false }));
      await parity(m, [], true, (inputs) => bidirectionalForward(m, inputs));
    });

    it('Stacked (mixed layers, a Bidirectional, residual, dropout) with all states and lengths', async () => {
      const m = new Stacked([layer(mode, X, H), new Bidirectional(layer(mode, H, H, { suffix: '_l1' })), layer(mode, 2 * H, 2 * H, { suffix: '_l2' })], {
        residual: true,
        dropout: 0.4,
      });
      const sizes = mode === 'lstm' ? [H, H, H, H, H, H, 2 * H, 2 * H] : [H, H, H, 2 * H];
      await parity(m, [], false, (inputs) => stackedForward(m, inputs));
      const bytes = await parity(m, sizes, true, (inputs) => stackedForward(m, inputs));
      // The residual of the last layer (2H → 2H) is an Add on the recurrent output.
      expect(opTypes(bytes).filter((t) => t === mode.toUpperCase())).toHaveLength(3);
    });
  });

  it('round trips standalone Bidirectional and Stacked weights through importOnnxWeights', () => {
    const make = () => new Stacked([new Bidirectional(new GRU({ inputSize: X, hiddenSize: H })), new LSTM({ inputSize: 2 * H, hiddenSize: H, suffix: '_l1' })]);
    const src = make();
    const bytes = exportOnnx(src, randn([2, 3, X]));
    expect(decode(bytes).graph.initializer.map((t) => t.name).sort()).toEqual(
      ['layers.0.W_l0', 'layers.0.R_l0', 'layers.0.B_l0', 'layers.1.W_l1', 'layers.1.R_l1', 'layers.1.B_l1'].sort(),
    );
    const dst = make();
    expect(importOnnxWeights(bytes, dst)).toEqual({ missingKeys: [], unexpectedKeys: [] });
    const a = src.stateDict();
    const b = dst.stateDict();
    expect(Object.keys(b)).toEqual(Object.keys(a));
    for (const k of Object.keys(a)) expect(Array.from(b[k]!.data), k).toEqual(Array.from(a[k]!.data));
    const bi = new Bidirectional(new LSTM({ inputSize: X, hiddenSize: H }));
    const copy = new Bidirectional(new LSTM({ inputSize: X, hiddenSize: H }));
    importOnnxWeights(exportOnnx(bi, randn([1, 2, X])), copy);
    expect(Object.keys(copy.stateDict())).toEqual(['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0', ...['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh'].map((k) => `${k}_l0_reverse`)]);
    for (const [k, t] of Object.entries(bi.stateDict())) expect(Array.from(copy.stateDict()[k]!.data), k).toEqual(Array.from(t.data));
  });

  it.each([
    ['2-layer bidirectional LSTM network', () => lstm({ inputSize: 6, hiddenSize: H, numLayers: 2, bidirectional: true })],
    ['GRU layer', () => new GRU({ inputSize: 6, hiddenSize: H })],
    ['1-layer RNN network', () => rnn({ inputSize: 6, hiddenSize: H })],
  ])('seq2seq Encoder over a %s: memory and the flattened final state, with and without lengths', async (_, makeRnn) => {
    const m = new Encoder({ embedding: new Embedding(11, 6), rnn: makeRnn() });
    const feeds = (withLengths: boolean) => (B: number, T: number) => ({
      inputs: [randint(0, 11, [B, T]), ...(withLengths ? [lengthsFor(B, T)] : [])],
    });
    const dynamicAxes = { src: { 0: 'batch', 1: 'time' }, lengths: { 0: 'batch' } };
    for (const withLengths of [false, true]) {
      const inputNames = withLengths ? ['src', 'lengths'] : ['src'];
      const outputNames = m.isLstm ? ['memory', 'h', 'c'] : ['memory', 'h'];
      const axes = withLengths ? dynamicAxes : { src: dynamicAxes.src };
      const bytes = await expectOrtParity(m, SIZES, feeds(withLengths), (inputs) => encoderForward(m, inputs), { inputNames, outputNames, dynamicAxes: axes });
      expect(decode(bytes).graph.initializer[0]!.name).toBe('embedding.weight');
      const copy = new Encoder({ embedding: new Embedding(11, 6), rnn: makeRnn() });
      expect(importOnnxWeights(bytes, copy)).toEqual({ missingKeys: [], unexpectedKeys: [] });
      for (const [k, t] of Object.entries(m.stateDict())) expect(Array.from(copy.stateDict()[k]!.data), k).toEqual(Array.from(t.data));
    }
  });

  it('recurrent layers inside a Sequential pass on their output, as Sequential.forward does', async () => {
    const cases: [string, () => Sequential, (B: number, T: number) => Tensor][] = [
      ['Embedding, bidirectional GRU network, Linear', () => new Sequential(new Embedding(9, X), gru({ inputSize: X, hiddenSize: H, bidirectional: true }), new Linear(2 * H, 2)), (B, T) => randint(0, 9, [B, T])],
      ['Linear, LSTM without returnSequences, Tanh, Linear', () => new Sequential(new Linear(X, 5), new LSTM({ inputSize: 5, hiddenSize: H, returnSequences: false }), new Tanh(), new Linear(H, 3)), (B, T) => randn([B, T, X])],
      ['Bidirectional (sum), Stacked', () => new Sequential(new Bidirectional(new RNN({ inputSize: X, hiddenSize: H }), { merge: 'sum' }), new Stacked([new GRU({ inputSize: H, hiddenSize: H })])), (B, T) => randn([B, T, X])],
    ];
    for (const [name, make, input] of cases) {
      const m = make();
      const bytes = await expectOrtParity(m, SIZES, (B, T) => ({ inputs: [input(B, T)] }), ([x]) => m.forward(x!), {
        dynamicAxes: { input: { 0: 'batch', 1: 'time' } },
      });
      expect(decode(bytes).graph.output.map((o) => o.name), name).toEqual(['output']);
    }
  });
});

describe('unsupported modules and inputs: typed errors naming the module and what is missing', () => {
  beforeAll(() => manualSeed(32));

  /** The error thrown by `fn`. */
  function errorOf(fn: () => unknown): Error {
    try {
      fn();
    } catch (e) {
      return e as Error;
    }
    throw new Error('expected an error');
  }

  it('names cells, tree nets and seq2seq attention with what to export instead', () => {
    const cell = errorOf(() => exportOnnx(new LSTMCell({ inputSize: X, hiddenSize: H }), randn([2, X])));
    expect(cell).toBeInstanceOf(UnsupportedModuleError);
    expect(cell.message).toMatch(/no ONNX exporter for module '' \(LSTMCell\); a single cell step has no exporter; export the sequence layer LSTM/);
    const tree = errorOf(() => exportOnnx(new TreeRNN({ inputSize: X, hiddenSize: H }), randn([2, X])));
    expect(tree).toBeInstanceOf(UnsupportedModuleError);
    expect(tree.message).toMatch(/\(TreeRNN\); recursion over tree structures has no ONNX equivalent/);
    const att = errorOf(() => exportOnnx(new BahdanauAttention({ querySize: H, keySize: H }), [randn([1, H]), randn([1, 2, H])]));
    expect(att).toBeInstanceOf(UnsupportedModuleError);
    expect(att.message).toMatch(/\(BahdanauAttention\); seq2seq's attention modules are not exported; MultiheadAttention \(@elman\/transformer\) is/);
  });

  it('wraps a forward that fails on the example inputs (a missing input) in an OnnxExportError naming the module and shapes', () => {
    const dec = errorOf(() => exportOnnx(new TransformerDecoderLayer({ dModel: 8, nhead: 2 }), randn([1, 2, 8])));
    expect(dec).toBeInstanceOf(OnnxExportError);
    expect(dec.message).toMatch(/^exportOnnx: TransformerDecoderLayer's forward failed on the example inputs \(float32 \[1, 2, 8\]\): /);
    expect(dec.cause).toBeInstanceOf(TypeError);
  });

  it('refuses stateful, reverse-wrapped and unknown layers inside wrappers, naming their paths', () => {
    const stateful = new Stacked([new LSTM({ inputSize: X, hiddenSize: H }), new LSTM({ inputSize: H, hiddenSize: H, stateful: true, suffix: '_l1' })]);
    const e1 = errorOf(() => exportOnnx(stateful, randn([1, 2, X])));
    expect(e1).toBeInstanceOf(UnsupportedModuleError);
    expect(e1.message).toBe("exportOnnx: LSTM at 'layers.1' is stateful: its carried state is not part of an ONNX graph; export it with stateful: false");
    const reversed = new Bidirectional(new GRU({ inputSize: X, hiddenSize: H, reverse: true }));
    expect(() => exportOnnx(reversed, randn([1, 2, X]))).toThrow(
      new UnsupportedModuleError("exportOnnx: Bidirectional at '' wraps a reverse layer: ONNX's bidirectional node runs its first direction forwards; wrap a forward layer"),
    );
    class MyGRU extends GRU {}
    const custom = new Sequential(new Linear(X, X), new Bidirectional(new MyGRU({ inputSize: X, hiddenSize: H })));
    expect(() => exportOnnx(custom, randn([1, 2, X]))).toThrow(/Bidirectional at '1' wraps a MyGRU; only RNN, LSTM and GRU layers export/);
  });

  it('rejects inputs that are not x, every state, lengths', () => {
    const m = new Bidirectional(new LSTM({ inputSize: X, hiddenSize: H }));
    const e = errorOf(() => exportOnnx(m, [randn([1, 2, X]), randn([1, H])]));
    expect(e).toBeInstanceOf(OnnxExportError);
    expect(e.message).toMatch(/Bidirectional takes inputs x \[B, T, X\], optionally the 4 initial state tensors forward.h, forward.c, backward.h, backward.c/);
    const enc = new Encoder({ embedding: new Embedding(5, X), rnn: new GRU({ inputSize: X, hiddenSize: H }) });
    expect(() => exportOnnx(enc, [randint(0, 5, [1, 2]), randn([1])])).toThrow();
    const lengths = new Tensor(Int32Array.from([2]), [1]);
    expect(() => exportOnnx(new LSTM({ inputSize: X, hiddenSize: H }), randn([1, 2, X]), { forwardOptions: { lengths } })).toThrow(
      new OnnxExportError('exportOnnx: LSTM takes no forwardOptions (got lengths); pass the initial state and int32 lengths as example inputs after x'),
    );
    expect(() => exportOnnx(m, randn([1, 2, X]), { forwardOptions: { lengths } })).toThrow(/Bidirectional takes no forwardOptions/);
  });
});
