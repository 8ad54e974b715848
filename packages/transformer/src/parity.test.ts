import { readFileSync } from 'node:fs';
import { type Module, type Tensor, tensor } from '@elman/core';
import { testBackends, useBackend } from '@elman/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AttentionMask, BooleanMask } from './masks.js';
import { MultiheadAttention } from './multihead-attention.js';
import { scaledDotProductAttention } from './scaled-dot-product-attention.js';
import { sinusoidTable } from './sinusoidal-positional-encoding.js';
import { TransformerDecoderLayer } from './transformer-decoder-layer.js';
import { TransformerEncoderLayer } from './transformer-encoder-layer.js';
import { Transformer } from './transformer.js';

// Reference values from fixtures/make-fixtures.py: PyTorch's equations and layouts re-implemented in float64 NumPy,
// gradients by central finite differences of that forward. Regenerate with `python3 make-fixtures.py` there.
interface Arr {
  shape: number[];
  data: number[];
}
interface MaskJson {
  kind: 'bool' | 'float';
  shape: number[];
  data: (number | null)[];
}
interface Checked {
  name: string;
  inputs: Record<string, Arr>;
  outputs: Record<string, Arr>;
  lossWeights: Record<string, Arr>;
  grads: Record<string, Arr>;
  masks: Record<string, MaskJson | boolean>;
}
interface MhaCase extends Checked {
  embedDim: number;
  numHeads: number;
  kdim: number;
  vdim: number;
  bias: boolean;
  selfAttention: boolean;
  averageWeights: boolean;
  params: string[];
}
interface LayerConfig {
  dModel: number;
  nhead: number;
  dimFeedforward: number;
  activation: 'relu' | 'gelu';
  normFirst: boolean;
  layerNormEps: number;
}
interface LayerCase extends Checked {
  config: LayerConfig;
  params: string[];
}
interface TransformerCase extends LayerCase {
  config: LayerConfig & { numEncoderLayers: number; numDecoderLayers: number };
}
interface Fixtures {
  sdpa: Checked[];
  mha: MhaCase[];
  encoderLayer: LayerCase[];
  decoderLayer: LayerCase[];
  transformer: TransformerCase;
  sinusoid: { rows: number; dModel: number; table: Arr };
}

const fx = JSON.parse(readFileSync(new URL('../fixtures/transformer-fixtures.json', import.meta.url), 'utf8')) as Fixtures;
const TOL = 1e-5;

function maxAbsError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  return worst;
}

function leaf(a: Arr): Tensor {
  return tensor(a.data, a.shape, { requiresGrad: true });
}

/** A fixture mask as an int32 tensor or, with `nested`, as nested boolean arrays; float masks as float32 tensors. */
function toMask(m: MaskJson, nested = false): AttentionMask {
  if (m.kind === 'float') return tensor(m.data.map((v) => (v === null ? Number.NEGATIVE_INFINITY : v)), m.shape);
  const ints = m.data as number[];
  if (!nested) return tensor(ints, m.shape, { dtype: 'int32' });
  const cols = m.shape[m.shape.length - 1]!;
  const rows: boolean[][] = [];
  for (let i = 0; i < ints.length; i += cols) rows.push(ints.slice(i, i + cols).map((v) => v !== 0));
  if (m.shape.length === 2) return rows;
  const per = m.shape[1]!;
  const out: BooleanMask[] = [];
  for (let i = 0; i < rows.length; i += per) out.push(rows.slice(i, i + per));
  return out;
}

function masks(c: Checked, nested = false): Record<string, AttentionMask | boolean> {
  const out: Record<string, AttentionMask | boolean> = {};
  for (const [k, v] of Object.entries(c.masks)) out[k] = typeof v === 'boolean' ? v : toMask(v, nested);
  return out;
}

/** L = Σ wOut ⊙ output (+ Σ wWeights ⊙ weights), the scalar the fixtures differentiate. */
function backwardLoss(c: Checked, outputs: Record<string, Tensor | null>): void {
  let loss: Tensor | null = null;
  for (const [name, w] of Object.entries(c.lossWeights)) {
    const term = outputs[name]!.mul(tensor(w.data, w.shape)).sum();
    loss = loss ? loss.add(term) : term;
  }
  loss!.backward();
}

function expectOutputs(c: Checked, outputs: Record<string, Tensor | null>): void {
  for (const [name, ref] of Object.entries(c.outputs)) {
    const out = outputs[name]!;
    expect(out.shape).toEqual(ref.shape);
    expect(maxAbsError(out.data, ref.data), `${name}`).toBeLessThanOrEqual(TOL);
  }
}

function expectGrads(c: Checked, leaves: Record<string, Tensor>): void {
  for (const [name, ref] of Object.entries(c.grads)) {
    const g = leaves[name]!.grad;
    expect(g, `gradient of ${name}`).not.toBeNull();
    expect(maxAbsError(g!.data, ref.data), `gradient of ${name}`).toBeLessThanOrEqual(TOL);
  }
}

/** Loads the fixture's parameters into `module` and returns them, by state-dict key, as the leaves to check. */
function loadParams(module: Module, c: LayerCase | MhaCase): Record<string, Tensor> {
  const dict: Record<string, Tensor> = {};
  for (const k of c.params) dict[k] = tensor(c.inputs[k]!.data, c.inputs[k]!.shape);
  module.loadStateDict(dict);
  return Object.fromEntries(module.namedParameters());
}

describe.each(testBackends())('parity with the NumPy reference (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it.each(fx.sdpa.map((c) => [c.name, c] as const))('scaledDotProductAttention, %s: forward and gradients', (_n, c) => {
    const leaves = { query: leaf(c.inputs.query!), key: leaf(c.inputs.key!), value: leaf(c.inputs.value!) };
    const out = scaledDotProductAttention(leaves.query, leaves.key, leaves.value, masks(c));
    const outputs = { context: out.context, weights: out.weights };
    expectOutputs(c, outputs);
    backwardLoss(c, outputs);
    expectGrads(c, leaves);
  });

  it.each(fx.mha.map((c, i) => [c.name, c, i] as const))('MultiheadAttention, %s: forward and gradients', (_n, c, i) => {
    const mha = new MultiheadAttention({ embedDim: c.embedDim, numHeads: c.numHeads, kdim: c.kdim, vdim: c.vdim, bias: c.bias });
    expect(Object.keys(mha.stateDict())).toEqual(c.params);
    const leaves = loadParams(mha, c);
    // Alternate the two mask encodings across cases: int32 tensors and nested booleans.
    const m = masks(c, i % 2 === 1);
    const opts = { ...m, averageWeights: c.averageWeights };
    let out: ReturnType<MultiheadAttention['forward']>;
    if (c.selfAttention) {
      const x = leaf(c.inputs.x!);
      leaves.x = x;
      out = mha.forward(x, x, x, opts);
    } else {
      const q = leaf(c.inputs.query!);
      const k = leaf(c.inputs.key!);
      const v = leaf(c.inputs.value!);
      Object.assign(leaves, { query: q, key: k, value: v });
      out = mha.forward(q, k, v, opts);
    }
    const outputs = { context: out.context, weights: out.weights };
    expectOutputs(c, outputs);
    backwardLoss(c, outputs);
    expectGrads(c, leaves);
  });

  it.each(fx.encoderLayer.map((c) => [c.name, c] as const))('TransformerEncoderLayer, %s: forward and gradients', (_n, c) => {
    const layer = new TransformerEncoderLayer({ ...c.config, dropout: 0 });
    expect(Object.keys(layer.stateDict())).toEqual(c.params);
    const leaves = loadParams(layer, c);
    leaves.src = leaf(c.inputs.src!);
    const output = layer.forward(leaves.src, masks(c));
    expectOutputs(c, { output });
    backwardLoss(c, { output });
    expectGrads(c, leaves);
  });

  it.each(fx.decoderLayer.map((c) => [c.name, c] as const))('TransformerDecoderLayer, %s: forward and gradients', (_n, c) => {
    const layer = new TransformerDecoderLayer({ ...c.config, dropout: 0 });
    expect(Object.keys(layer.stateDict())).toEqual(c.params);
    const leaves = loadParams(layer, c);
    leaves.tgt = leaf(c.inputs.tgt!);
    leaves.memory = leaf(c.inputs.memory!);
    const output = layer.forward(leaves.tgt, leaves.memory, masks(c));
    expectOutputs(c, { output });
    backwardLoss(c, { output });
    expectGrads(c, leaves);
  });

  it(`Transformer, ${fx.transformer.name}: forward and gradients`, () => {
    const c = fx.transformer;
    const model = new Transformer({ ...c.config, dropout: 0 });
    expect(Object.keys(model.stateDict())).toEqual(c.params);
    const leaves = loadParams(model, c);
    leaves.src = leaf(c.inputs.src!);
    leaves.tgt = leaf(c.inputs.tgt!);
    const output = model.forward(leaves.src, leaves.tgt, masks(c));
    expectOutputs(c, { output });
    backwardLoss(c, { output });
    expectGrads(c, leaves);
  });

  it('sinusoidal table', () => {
    const { rows, dModel, table } = fx.sinusoid;
    expect(maxAbsError(sinusoidTable(rows, dModel).data, table.data)).toBeLessThanOrEqual(1e-6);
  });
});
