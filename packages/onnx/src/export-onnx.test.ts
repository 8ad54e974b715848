import {
  Dropout,
  Embedding,
  GELU,
  LayerNorm,
  Linear,
  type Module,
  ReLU,
  Sequential,
  Sigmoid,
  Tanh,
  type Tensor,
  manualSeed,
  randint,
  randn,
  uniform_,
} from '@elman/core';
import { testBackends, useBackend } from '@elman/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkOnnxModel } from './check-model.js';
import { OnnxExportError, UnsupportedModuleError } from './errors.js';
import { type ExportOnnxOptions, exportOnnx } from './export-onnx.js';
import { declaredDims, decode, loadOrt, maxAbsDiff, opTypes } from './ort.test-helper.js';
import { int64 } from './proto.js';

const TOL = 1e-5;

/** Elman's eval-mode forward. */
function forward(m: Module, x: Tensor): Tensor {
  return (m as unknown as { forward(x: Tensor): Tensor }).forward(x);
}

/**
 * Exports `m` once with the given dynamic axes, then runs the same onnxruntime session on inputs of every shape in
 * `shapes` (so the dynamic axes really vary) and compares with Elman's forward.
 */
async function expectParity(
  m: Module,
  shapes: readonly number[][],
  makeInput: (shape: number[]) => Tensor,
  options: ExportOnnxOptions,
): Promise<Uint8Array> {
  m.eval();
  const bytes = exportOnnx(m, makeInput(shapes[0]!), options);
  expect(checkOnnxModel(bytes)).toEqual([]);
  const ort = await loadOrt(bytes);
  for (const shape of shapes) {
    const x = makeInput(shape);
    const got = (await ort.run({ input: x })).output!;
    const want = forward(m, x);
    expect(got.shape, `shape for input ${JSON.stringify(shape)}`).toEqual(want.shape);
    expect(maxAbsDiff(got, want), `max abs error for input ${JSON.stringify(shape)}`).toBeLessThanOrEqual(TOL);
  }
  return bytes;
}

const floats = (shape: number[]): Tensor => randn(shape);
const BT = { input: { 0: 'batch', 1: 'time' } };
const B = { input: { 0: 'batch' } };
const SEQ_SHAPES = (x: number) => [
  [2, 5, x],
  [1, 1, x],
  [4, 17, x],
  [3, 2, x],
];
const BATCH_SHAPES = (x: number) => [[3, x], [1, x], [8, x]];

/** Gives LayerNorm non-trivial affine parameters (they start as ones and zeros). */
function randomize(m: Module): Module {
  for (const p of m.parameters()) uniform_(p, -1, 1);
  return m;
}

describe.each(testBackends())('exportOnnx parity with onnxruntime (%s)', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
    manualSeed(7);
  });

  it('Linear on [B, X] exports as Gemm with the state-dict weight as is', async () => {
    const bytes = await expectParity(new Linear(6, 4), BATCH_SHAPES(6), floats, { dynamicAxes: B });
    expect(opTypes(bytes)).toEqual(['Gemm']);
    const bytesNoBias = await expectParity(new Linear(6, 4, { bias: false }), BATCH_SHAPES(6), floats, { dynamicAxes: B });
    expect(decode(bytesNoBias).graph.node[0]!.input).toHaveLength(2);
  });

  it('Linear on [B, T, X] and on [X] exports as MatMul(x, Transpose(W)) + b', async () => {
    const bytes = await expectParity(new Linear(6, 4), SEQ_SHAPES(6), floats, { dynamicAxes: BT });
    expect(opTypes(bytes)).toEqual(['Transpose', 'MatMul', 'Add']);
    const noBias = await expectParity(new Linear(6, 4, { bias: false }), SEQ_SHAPES(6), floats, { dynamicAxes: BT });
    expect(opTypes(noBias)).toEqual(['Transpose', 'MatMul']);
    await expectParity(new Linear(6, 4), [[6]], floats, {});
  });

  it('Embedding exports as Gather over int32 ids of any shape', async () => {
    const ids = (shape: number[]) => randint(0, 20, shape);
    const bytes = await expectParity(new Embedding(20, 5, { paddingIdx: 0 }), [[2, 7], [1, 1], [5, 3]], ids, { dynamicAxes: BT });
    expect(opTypes(bytes)).toEqual(['Gather']);
    expect(declaredDims(bytes, 'output', 'output')).toEqual(['batch', 'time', 5]);
    await expectParity(new Embedding(20, 5), [[3], [9]], ids, { dynamicAxes: { input: [0] } });
  });

  it.each([
    ['Tanh', () => new Tanh(), ['Tanh']],
    ['ReLU', () => new ReLU(), ['Relu']],
    ['Sigmoid', () => new Sigmoid(), ['Sigmoid']],
  ] as const)('%s exports as its ONNX op', async (_, make, ops) => {
    const bytes = await expectParity(make(), SEQ_SHAPES(5), (s) => randn(s).mul(3), { dynamicAxes: BT });
    expect(opTypes(bytes)).toEqual(ops);
  });

  it('GELU exports as Erf-based primitives before opset 20 and as Gelu from opset 20', async () => {
    const x = (s: number[]) => randn(s).mul(3);
    const old = await expectParity(new GELU(), SEQ_SHAPES(5), x, { dynamicAxes: BT, opset: 17 });
    expect(opTypes(old).filter((t) => t !== 'Constant')).toEqual(['Div', 'Erf', 'Add', 'Mul', 'Mul']);
    const recent = await expectParity(new GELU(), SEQ_SHAPES(5), x, { dynamicAxes: BT, opset: 20 });
    expect(opTypes(recent)).toEqual(['Gelu']);
  });

  it('LayerNorm exports as LayerNormalization over one or several trailing axes, with or without affine', async () => {
    const ln = await expectParity(randomize(new LayerNorm(8, { eps: 1e-3 })), SEQ_SHAPES(8), floats, { dynamicAxes: BT });
    expect(opTypes(ln)).toEqual(['LayerNormalization']);
    const node = decode(ln).graph.node[0]!;
    expect(node.attribute.find((a) => a.name === 'epsilon')!.f).toBeCloseTo(1e-3, 9);
    await expectParity(randomize(new LayerNorm([3, 4])), [[2, 3, 4], [5, 3, 4]], floats, { dynamicAxes: B });
    const plain = await expectParity(new LayerNorm(8, { elementwiseAffine: false }), SEQ_SHAPES(8), floats, { dynamicAxes: BT });
    expect(opTypes(plain)).toEqual(['Constant', 'LayerNormalization']);
    expect(decode(plain).graph.initializer).toHaveLength(0);
    await expectParity(randomize(new LayerNorm(8, { bias: false })), SEQ_SHAPES(8), floats, { dynamicAxes: BT });
  });

  it.each([13, 16])('LayerNorm before opset 17 (opset %i) exports as primitive ops over one or several axes', async (opset) => {
    const ln = await expectParity(randomize(new LayerNorm(8, { eps: 1e-3 })), SEQ_SHAPES(8), (s) => randn(s).mul(3).add(1), { dynamicAxes: BT, opset });
    expect(opTypes(ln).filter((t) => t !== 'Constant')).toEqual(['ReduceMean', 'Sub', 'Mul', 'ReduceMean', 'Add', 'Sqrt', 'Div', 'Mul', 'Add']);
    await expectParity(randomize(new LayerNorm([3, 4])), [[2, 3, 4], [5, 3, 4]], floats, { dynamicAxes: B, opset });
    const plain = await expectParity(new LayerNorm(8, { elementwiseAffine: false }), SEQ_SHAPES(8), floats, { dynamicAxes: BT, opset });
    expect(opTypes(plain)).not.toContain('LayerNormalization');
    expect(decode(plain).graph.initializer).toHaveLength(0);
  });

  it('Dropout exports as the identity and export leaves training mode as it was', async () => {
    const d = new Dropout(0.5);
    const bytes = exportOnnx(d, randn([2, 3]), { dynamicAxes: B });
    expect(d.training).toBe(true);
    expect(opTypes(bytes)).toEqual(['Identity']);
    const x = randn([4, 3]);
    const got = (await (await loadOrt(bytes)).run({ input: x })).output!;
    expect([...got.data]).toEqual([...x.data]);
  });

  it('Sequential(Linear, Tanh, Linear, LayerNorm, Dropout) runs end to end on [B, T, X] and [B, X]', async () => {
    const make = () => new Sequential(new Linear(12, 16), new Tanh(), new Linear(16, 8), randomize(new LayerNorm(8)) as LayerNorm, new Dropout(0.2));
    const seq = make();
    const bytes = await expectParity(seq, SEQ_SHAPES(12), floats, { dynamicAxes: BT });
    expect(decode(bytes).graph.initializer.map((t) => t.name)).toEqual(Object.keys(seq.stateDict()));
    expect(declaredDims(bytes, 'input', 'input')).toEqual(['batch', 'time', 12]);
    expect(declaredDims(bytes, 'output', 'output')).toEqual(['batch', 'time', 8]);
    await expectParity(make(), BATCH_SHAPES(12), floats, { dynamicAxes: B });
  });

  it('nested Sequentials over token ids name initializers by their dotted paths', async () => {
    const m = new Sequential(new Embedding(30, 8), new Sequential(new Linear(8, 8), new GELU()), new ReLU(), new Linear(8, 3));
    const bytes = await expectParity(m, [[2, 6], [5, 1], [1, 9]], (s) => randint(0, 30, s), { dynamicAxes: BT });
    expect(decode(bytes).graph.initializer.map((t) => t.name)).toEqual(['0.weight', '1.0.weight', '1.0.bias', '3.weight', '3.bias']);
  });

  it.each([13, 17, 20, 23])('exports a Sequential at opset %i', async (opset) => {
    // LayerNorm (LayerNormalization from opset 17, primitive ops before) normalises the GELU features.
    const m = new Sequential(new Linear(5, 8), new GELU(), randomize(new LayerNorm(8)) as LayerNorm, new Linear(8, 3), new Sigmoid());
    const bytes = await expectParity(m, SEQ_SHAPES(5), floats, { dynamicAxes: BT, opset });
    expect(decode(bytes).opsetImport.map((o) => [o.domain, int64(o.version)])).toEqual([['', opset]]);
  });
});

class Unknown extends Linear {}

describe('exportOnnx model structure and errors', () => {
  beforeAll(() => manualSeed(11));

  it('returns a plain Uint8Array with the IR version each opset needs, one default-domain opset import, producer and graph names', () => {
    for (const [opset, ir] of [[13, 7], [14, 7], [15, 8], [17, 8], [19, 9], [20, 9], [21, 10], [22, 10], [23, 11]] as const) {
      const model = decode(exportOnnx(new Tanh(), randn([2]), { opset }));
      expect(int64(model.irVersion), `opset ${opset}`).toBe(ir);
      expect(model.opsetImport.map((o) => [o.domain, int64(o.version)])).toEqual([['', opset]]);
    }
    const bytes = exportOnnx(new Linear(3, 2), randn([1, 3]));
    expect(Object.getPrototypeOf(bytes)).toBe(Uint8Array.prototype);
    const model = decode(bytes);
    expect(int64(model.opsetImport[0]!.version)).toBe(17);
    expect(model.producerName).toBe('@elman/onnx');
    expect(model.graph.name).toBe('Linear');
    expect(decode(exportOnnx(new Linear(3, 2), randn([1, 3]), { modelName: 'tagger' })).graph.name).toBe('tagger');
  });

  it('rejects opsets outside the supported range with a ValueError', () => {
    for (const opset of [12, 24, 17.5]) {
      expect(() => exportOnnx(new Tanh(), randn([2]), { opset })).toThrow(/exportOnnx: opset must be an integer in \[13, 23\], got/);
    }
  });

  it('declares initializers with the state-dict names and shapes, and typed inputs and outputs', () => {
    const m = new Sequential(new Linear(4, 6), new ReLU(), new Linear(6, 2, { bias: false }));
    const graph = decode(exportOnnx(m, randn([3, 4]))).graph;
    const sd = m.stateDict();
    expect(graph.initializer.map((t) => [t.name, t.dims.map(int64)])).toEqual(Object.entries(sd).map(([k, t]) => [k, [...t.shape]]));
    for (const t of graph.initializer) expect(new Float32Array(new Uint8Array(t.rawData).buffer)).toEqual(sd[t.name]!.data);
    expect(graph.input.map((v) => [v.name, v.type.tensorType.elemType])).toEqual([['input', 1]]);
    expect(graph.output.map((v) => [v.name, v.type.tensorType.elemType])).toEqual([['output', 1]]);
    const ids = decode(exportOnnx(new Embedding(5, 2), randint(0, 5, [2, 3]))).graph;
    expect(ids.input[0]!.type.tensorType.elemType).toBe(6);
  });

  it('keeps every axis fixed without dynamicAxes, so onnxruntime rejects other sizes', async () => {
    const bytes = exportOnnx(new Linear(4, 2), randn([3, 4]));
    expect(declaredDims(bytes, 'input', 'input')).toEqual([3, 4]);
    expect(declaredDims(bytes, 'output', 'output')).toEqual([3, 2]);
    const ort = await loadOrt(bytes);
    await expect(ort.run({ input: randn([5, 4]) })).rejects.toThrow();
  });

  it('names listed dynamic axes <name>_dim<axis> and applies output axes given for outputs', () => {
    const bytes = exportOnnx(new Linear(4, 2), randn([3, 5, 4]), {
      dynamicAxes: { input: [0, 1], output: { 0: 'N' } },
    });
    expect(declaredDims(bytes, 'input', 'input')).toEqual(['input_dim0', 'input_dim1', 4]);
    expect(declaredDims(bytes, 'output', 'output')).toEqual(['N', 'input_dim1', 2]);
  });

  it('uses the given input and output names, which onnxruntime then expects', async () => {
    const m = new Linear(4, 2);
    const bytes = exportOnnx(m, randn([1, 4]), { inputNames: ['features'], outputNames: ['logits'], dynamicAxes: { features: { 0: 'b' } } });
    const ort = await loadOrt(bytes);
    expect([ort.inputNames, ort.outputNames]).toEqual([['features'], ['logits']]);
    const x = randn([6, 4]);
    expect(maxAbsDiff((await ort.run({ features: x })).logits!, m.forward(x))).toBeLessThanOrEqual(TOL);
  });

  it('rejects bad names, dynamic axes and example inputs with typed errors', () => {
    const m = new Linear(4, 2);
    const x = randn([3, 4]);
    expect(() => exportOnnx(m, x, { inputNames: ['a', 'b'] })).toThrow(/inputNames has 2 names but the module has 1 input/);
    expect(() => exportOnnx(m, x, { outputNames: [''] })).toThrow(/outputNames\[0\] must be a non-empty string/);
    expect(() => exportOnnx(m, x, { dynamicAxes: { inputs: [0] } })).toThrow(/dynamicAxes names 'inputs', which is neither an input \(input\) nor an output \(output\)/);
    expect(() => exportOnnx(m, x, { dynamicAxes: { input: [2] } })).toThrow(/dynamicAxes.input names axis 2, but 'input' has rank 2/);
    expect(() => exportOnnx(m, x, { dynamicAxes: { input: { 0: '' } } })).toThrow(/dynamicAxes.input\[0\] must be a non-empty string/);
    expect(() => exportOnnx(m, x, { outputNames: ['weight'] })).toThrow(/output name 'weight' is already used/);
    expect(() => exportOnnx(m, [x, 3 as unknown as Tensor])).toThrow(/exampleInputs\[1\] is not a Tensor/);
    expect(() => exportOnnx(m, randn([3, 5]))).toThrow(/linear/);
  });

  it('stores a parameter shared by two modules once, under its first state-dict name', async () => {
    const shared = new Linear(4, 4);
    const m = new Sequential(shared, new Tanh(), shared);
    const bytes = await expectParity(m, BATCH_SHAPES(4), floats, { dynamicAxes: B });
    expect(decode(bytes).graph.initializer.map((t) => t.name)).toEqual(['0.weight', '0.bias']);
  });

  it('throws UnsupportedModuleError naming the path, the class and what is missing', () => {
    const nested = new Sequential(new Linear(4, 4), new Sequential(new Tanh(), new Unknown(4, 4)));
    const err = (() => {
      try {
        exportOnnx(nested, randn([2, 4]));
      } catch (e) {
        return e as Error;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(UnsupportedModuleError);
    expect(err).toBeInstanceOf(OnnxExportError);
    expect(err!.message).toMatch(/no ONNX exporter for module '1.1' \(Unknown\); exporters exist for Linear, .*Sequential, RNN, LSTM, GRU, RecurrentNetwork, .*MultiheadAttention, TransformerEncoderLayer, .*; register one with registerOnnxExporter\(Unknown, exporter\)/);
  });
});
