import { GRU, LSTM, RNN } from '@elman/cells';
import { type Module, StateDictError, Tensor, manualSeed, randn } from '@elman/core';
import { testBackends, useBackend } from '@elman/core/testing';
import { type RecurrentMode, gru, lstm, rnn } from '@elman/wrappers';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkOnnxModel } from '../check-model.js';
import { OnnxExportError, UnsupportedModuleError } from '../errors.js';
import { type DynamicAxes, exportOnnx } from '../export-onnx.js';
import { importOnnxWeights } from '../import-onnx-weights.js';
import { decode, loadOrt, maxAbsDiff, opTypes } from '../ort.test-helper.js';
import { int64 } from '../proto.js';
import { recurrentForward } from './recurrent.js';

const TOL = 1e-5;
const X = 3;
const H = 4;
/** [B, T] of the example input, then of the runs that reuse its session (dynamic batch and time). */
const SIZES: readonly [number, number][] = [
  [2, 5],
  [1, 1],
  [4, 7],
  [3, 2],
];

type Recurrent = RNN | LSTM | GRU | ReturnType<typeof lstm>;

/** Right-padded lengths in [1, T], varied across the batch and including T. */
function lengthsFor(B: number, T: number): Tensor {
  return new Tensor(Int32Array.from({ length: B }, (_, b) => (b === 0 ? T : 1 + ((b * 5 + 2) % T))), [B]);
}

interface Case {
  /** State rows: 0 for a single layer (`[B, H]`), else L·D (`[L·D, B, H]`). */
  stateRows: number;
  withState: boolean;
  withLengths: boolean;
}

/** The flat inputs `[x, h?, c?, lengths?]` for a batch of `B` sequences of `T` steps. */
function inputsFor(m: Recurrent, c: Case, B: number, T: number): Tensor[] {
  const lstmMode = m instanceof LSTM || (!(m instanceof RNN) && !(m instanceof GRU) && m.mode === 'lstm');
  const stateShape = c.stateRows === 0 ? [B, H] : [c.stateRows, B, H];
  const out = [randn([B, T, X])];
  if (c.withState) out.push(...(lstmMode ? [randn(stateShape), randn(stateShape)] : [randn(stateShape)]));
  if (c.withLengths) out.push(lengthsFor(B, T));
  return out;
}

/** Graph input names and dynamic axes matching {@link inputsFor}. */
function namesFor(inputs: readonly Tensor[], c: Case): { inputNames: string[]; dynamicAxes: DynamicAxes } {
  const batchAxis = c.stateRows === 0 ? 0 : 1;
  const inputNames = ['input'];
  const dynamicAxes: Record<string, Record<number, string>> = { input: { 0: 'batch', 1: 'time' } };
  const floats = inputs.filter((t) => t.dtype === 'float32').length - 1;
  for (const name of ['h0', 'c0'].slice(0, floats)) {
    inputNames.push(name);
    dynamicAxes[name] = { [batchAxis]: 'batch' };
  }
  if (c.withLengths) {
    inputNames.push('lengths');
    dynamicAxes.lengths = { 0: 'batch' };
  }
  return { inputNames, dynamicAxes };
}

/** Elman's eval forward on flat inputs, flattened to `[output, h, c?]`. */
function elmanOutputs(m: Recurrent, inputs: readonly Tensor[]): Tensor[] {
  const r = recurrentForward(m, inputs);
  return r.state.c ? [r.output, r.state.h, r.state.c] : [r.output, r.state.h];
}

/**
 * Exports `m` with the example sizes SIZES[0], then runs that one session for every size in SIZES and compares all
 * outputs with Elman's; with lengths, also checks that outputs past each length are exactly 0 in both.
 */
async function expectParity(m: Recurrent, c: Case, opset?: number): Promise<Uint8Array> {
  m.eval();
  const [B0, T0] = SIZES[0]!;
  const example = inputsFor(m, c, B0, T0);
  const { inputNames, dynamicAxes } = namesFor(example, c);
  const outputNames = elmanOutputs(m, example).length === 3 ? ['output', 'h_n', 'c_n'] : ['output', 'h_n'];
  const bytes = exportOnnx(m, example, { inputNames, outputNames, dynamicAxes, opset });
  expect(checkOnnxModel(bytes)).toEqual([]);
  const ort = await loadOrt(bytes);
  for (const [B, T] of SIZES) {
    const inputs = inputsFor(m, c, B, T);
    const feeds = Object.fromEntries(inputNames.map((n, i) => [n, inputs[i]!]));
    const got = await ort.run(feeds);
    const want = elmanOutputs(m, inputs);
    outputNames.forEach((name, i) => {
      expect(maxAbsDiff(got[name]!, want[i]!), `${name} for B ${B}, T ${T}`).toBeLessThanOrEqual(TOL);
    });
    if (c.withLengths && want[0]!.rank === 3) {
      const lengths = inputs[inputs.length - 1]!.data;
      const out = got.output!;
      const F = out.shape[2]!;
      for (let b = 0; b < B; b++) {
        for (let t = lengths[b]!; t < T; t++) {
          for (let f = 0; f < F; f++) {
            expect(out.data[(b * T + t) * F + f]).toBe(0);
            expect(want[0]!.data[(b * T + t) * F + f]).toBe(0);
          }
        }
      }
    }
  }
  return bytes;
}

function layer(mode: RecurrentMode, options: { reverse?: boolean; returnSequences?: boolean; relu?: boolean } = {}): RNN | LSTM | GRU {
  const o = { inputSize: X, hiddenSize: H, reverse: options.reverse, returnSequences: options.returnSequences };
  return mode === 'lstm' ? new LSTM(o) : mode === 'gru' ? new GRU(o) : new RNN({ ...o, nonlinearity: options.relu ? 'relu' : 'tanh' });
}

function network(mode: RecurrentMode, numLayers: number, bidirectional: boolean): ReturnType<typeof lstm> {
  const o = { inputSize: X, hiddenSize: H, numLayers, bidirectional, dropout: numLayers > 1 ? 0.3 : 0 };
  return mode === 'lstm' ? lstm(o) : mode === 'gru' ? gru(o) : rnn(o);
}

const MODES: RecurrentMode[] = ['rnn', 'lstm', 'gru'];
const OPS: Record<RecurrentMode, string> = { rnn: 'RNN', lstm: 'LSTM', gru: 'GRU' };

describe.each(testBackends())('recurrent ONNX export parity with onnxruntime (%s)', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
    manualSeed(11);
  });

  describe.each(MODES)('%s', (mode) => {
    it('single layer: plain, with state, with lengths, with both', async () => {
      const m = layer(mode);
      for (const withState of [false, true]) {
        for (const withLengths of [false, true]) await expectParity(m, { stateRows: 0, withState, withLengths });
      }
    });

    it('single reverse layer with lengths (reverses only the valid steps) and returnSequences false', async () => {
      await expectParity(layer(mode, { reverse: true }), { stateRows: 0, withState: true, withLengths: true });
      await expectParity(layer(mode, { returnSequences: false }), { stateRows: 0, withState: false, withLengths: true });
    });

    it.each([
      [1, false],
      [2, false],
      [1, true],
      [2, true],
    ])('network with %i layer(s), bidirectional %s, with and without state and lengths', async (L, bi) => {
      const m = network(mode, L, bi);
      const stateRows = L * (bi ? 2 : 1);
      await expectParity(m, { stateRows, withState: false, withLengths: false });
      const bytes = await expectParity(m, { stateRows, withState: true, withLengths: true });
      expect(opTypes(bytes).filter((t) => t === OPS[mode])).toHaveLength(L);
    });
  });

  it.each([13, 23])('exports a 2-layer bidirectional GRU with state and lengths at opset %i', async (opset) => {
    const bytes = await expectParity(network('gru', 2, true), { stateRows: 4, withState: true, withLengths: true }, opset);
    expect(int64(decode(bytes).opsetImport[0]!.version)).toBe(opset);
  });

  it('RNN with relu exports activations Relu', async () => {
    const bytes = await expectParity(layer('rnn', { relu: true }), { stateRows: 0, withState: true, withLengths: false });
    const node = decode(bytes).graph.node.find((n) => n.opType === 'RNN')!;
    const acts = node.attribute.find((a) => a.name === 'activations')!;
    expect(acts.strings.map((s) => new TextDecoder().decode(s))).toEqual(['Relu']);
  });
});

describe('recurrent ONNX export: graph structure, weights round trip and errors', () => {
  beforeAll(() => manualSeed(5));

  it('uses the ONNX gate orders: LSTM i,o,f,c and GRU z,r,h with linear_before_reset = 1', () => {
    const m = new LSTM({ inputSize: 1, hiddenSize: 1 });
    // torch gate rows i, f, g, o hold 1, 2, 3, 4: ONNX rows i, o, f, c must read 1, 4, 2, 3.
    m.weightIh.data.set([1, 2, 3, 4]);
    const lstmInit = decode(exportOnnx(m, randn([1, 2, 1]))).graph.initializer.find((t) => t.name === 'W_l0')!;
    expect(Array.from(new Float32Array(lstmInit.rawData.slice().buffer))).toEqual([1, 4, 2, 3]);

    const g = new GRU({ inputSize: 1, hiddenSize: 1 });
    // torch rows r, z, n hold 1, 2, 3: ONNX rows z, r, h must read 2, 1, 3.
    g.weightIh.data.set([1, 2, 3]);
    const model = decode(exportOnnx(g, randn([1, 2, 1])));
    const gruInit = model.graph.initializer.find((t) => t.name === 'W_l0')!;
    expect(Array.from(new Float32Array(gruInit.rawData.slice().buffer))).toEqual([2, 1, 3]);
    const node = model.graph.node.find((n) => n.opType === 'GRU')!;
    expect(int64(node.attribute.find((a) => a.name === 'linear_before_reset')!.i)).toBe(1);
  });

  it.each(MODES)('%s: Elman → ONNX → importOnnxWeights gives an identical state dict (L 2, bidirectional)', (mode) => {
    const src = network(mode, 2, true);
    const bytes = exportOnnx(src, randn([2, 3, X]));
    expect(decode(bytes).graph.initializer.map((t) => t.name).sort()).toEqual(['B_l0', 'B_l1', 'R_l0', 'R_l1', 'W_l0', 'W_l1']);
    const dst = network(mode, 2, true);
    expect(importOnnxWeights(bytes, dst)).toEqual({ missingKeys: [], unexpectedKeys: [] });
    const a = src.stateDict();
    const b = dst.stateDict();
    expect(Object.keys(b)).toEqual(Object.keys(a));
    for (const k of Object.keys(a)) expect(Array.from(b[k]!.data), k).toEqual(Array.from(a[k]!.data));
  });

  it('round trips a single layer without bias', () => {
    const src = new GRU({ inputSize: X, hiddenSize: H, bias: false });
    const dst = new GRU({ inputSize: X, hiddenSize: H, bias: false });
    expect(importOnnxWeights(exportOnnx(src, randn([1, 2, X])), dst)).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(Array.from(dst.weightIh.data)).toEqual(Array.from(src.weightIh.data));
    expect(Array.from(dst.weightHh.data)).toEqual(Array.from(src.weightHh.data));
  });

  it('refuses ONNX weights with another number of directions', () => {
    const bytes = exportOnnx(network('lstm', 1, true), randn([1, 2, X]));
    expect(() => importOnnxWeights(bytes, network('lstm', 1, false))).toThrow(StateDictError);
    expect(() => importOnnxWeights(bytes, network('lstm', 1, false))).toThrow(/W_l0' holds 2 direction\(s\) but RecurrentNetwork at '' has 1/);
  });

  it('rejects a stateful layer and inputs that are not x, state, lengths', () => {
    const stateful = new LSTM({ inputSize: X, hiddenSize: H, stateful: true });
    expect(() => exportOnnx(stateful, randn([1, 2, X]))).toThrow(UnsupportedModuleError);
    expect(() => exportOnnx(stateful, randn([1, 2, X]))).toThrow(/LSTM at '' is stateful/);
    const m: Module = new LSTM({ inputSize: X, hiddenSize: H });
    expect(() => exportOnnx(m, [randn([1, 2, X]), randn([1, H])])).toThrow(OnnxExportError);
    expect(() => exportOnnx(m, [randn([1, 2, X]), randn([1, H])])).toThrow(/LSTM takes inputs x \[B, T, X\], optionally h and c/);
  });
});
