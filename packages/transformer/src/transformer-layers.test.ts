import { Generator, type Tensor, ShapeError, ValueError, noGrad, randn, tensor } from '@elman/core';
import { assertGradcheck, testBackends, useBackend } from '@elman/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { TransformerDecoderLayer } from './transformer-decoder-layer.js';
import { TransformerDecoder } from './transformer-decoder.js';
import { TransformerEncoderLayer } from './transformer-encoder-layer.js';
import { TransformerEncoder } from './transformer-encoder.js';
import { Transformer } from './transformer.js';

const small = { dModel: 8, nhead: 2, dimFeedforward: 16, dropout: 0 };
const MHA = (p: string) => [`${p}.in_proj_weight`, `${p}.in_proj_bias`, `${p}.out_proj.weight`, `${p}.out_proj.bias`];
const LIN = ['linear1.weight', 'linear1.bias', 'linear2.weight', 'linear2.bias'];
const NORM = (n: number) => [`norm${n}.weight`, `norm${n}.bias`];

/** Row (b, t) of a [B, T, E] tensor. */
function row(x: Tensor, b: number, t: number): number[] {
  const [, T, E] = x.shape as [number, number, number];
  return Array.from(x.data.subarray((b * T + t) * E, (b * T + t + 1) * E));
}

function maxAbsDiff(a: number[], b: number[]): number {
  return Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));
}

describe.each(testBackends())('transformer layers (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it("use torch's state-dict keys and defaults", () => {
    const enc = new TransformerEncoderLayer({ dModel: 8, nhead: 2 });
    expect(Object.keys(enc.stateDict())).toEqual([...MHA('self_attn'), ...LIN, ...NORM(1), ...NORM(2)]);
    expect(enc.linear1.weight.shape).toEqual([2048, 8]);
    expect(enc.dropout.p).toBe(0.1);
    expect([enc.activation, enc.normFirst, enc.layerNormEps]).toEqual(['relu', false, 1e-5]);
    const dec = new TransformerDecoderLayer({ dModel: 8, nhead: 2, dimFeedforward: 4 });
    expect(Object.keys(dec.stateDict())).toEqual([...MHA('self_attn'), ...MHA('multihead_attn'), ...LIN, ...NORM(1), ...NORM(2), ...NORM(3)]);
    const noBias = new TransformerEncoderLayer({ ...small, bias: false });
    expect(Object.keys(noBias.stateDict())).toEqual(['self_attn.in_proj_weight', 'self_attn.out_proj.weight', 'linear1.weight', 'linear2.weight', 'norm1.weight', 'norm2.weight']);
  });

  it('post-norm outputs are normalised rows; pre-norm outputs are residual sums', () => {
    const x = randn([2, 3, 8]).mul(3).add(1);
    const post = new TransformerEncoderLayer(small).forward(x);
    for (let t = 0; t < 3; t++) {
      const r = row(post, 1, t);
      const mean = r.reduce((s, v) => s + v, 0) / 8;
      const variance = r.reduce((s, v) => s + (v - mean) ** 2, 0) / 8;
      expect(Math.abs(mean)).toBeLessThan(1e-5);
      expect(variance).toBeCloseTo(1, 3);
    }
    const pre = new TransformerEncoderLayer({ ...small, normFirst: true }).forward(x);
    const r = row(pre, 1, 0);
    expect(Math.abs(r.reduce((s, v) => s + v, 0) / 8)).toBeGreaterThan(0.05);
  });

  it('padded and future positions do not influence the others (encoder and decoder)', () => {
    for (const normFirst of [false, true]) {
      const enc = new TransformerEncoderLayer({ ...small, normFirst, activation: 'gelu' });
      const x = randn([2, 4, 8]);
      const pad = tensor([[0, 0, 0, 0], [0, 0, 1, 1]], undefined, { dtype: 'int32' });
      const a = enc.forward(x, { srcKeyPaddingMask: pad, isCausal: true });
      const x2 = x.clone();
      x2.data.fill(7, (1 * 4 + 2) * 8); // change batch 1's padded positions 2, 3
      x2.data.fill(-5, 3 * 8, 4 * 8); // change batch 0's last position
      const b = enc.forward(x2, { srcKeyPaddingMask: pad, isCausal: true });
      for (let t = 0; t < 2; t++) expect(maxAbsDiff(row(a, 1, t), row(b, 1, t))).toBeLessThan(1e-6);
      for (let t = 0; t < 3; t++) expect(maxAbsDiff(row(a, 0, t), row(b, 0, t))).toBeLessThan(1e-6);
      expect(maxAbsDiff(row(a, 0, 3), row(b, 0, 3))).toBeGreaterThan(1e-3);

      const dec = new TransformerDecoderLayer({ ...small, normFirst });
      const mem = randn([2, 5, 8]);
      const memPad = [[false, false, false, false, false], [false, false, false, true, true]];
      const y = randn([2, 3, 8]);
      const c = dec.forward(y, mem, { tgtIsCausal: true, memoryKeyPaddingMask: memPad });
      const mem2 = mem.clone();
      mem2.data.fill(9, (5 + 3) * 8); // batch 1's padded memory positions
      const y2 = y.clone();
      y2.data.fill(4, 2 * 8, 3 * 8); // batch 0's last target position
      const d = dec.forward(y2, mem2, { tgtIsCausal: true, memoryKeyPaddingMask: memPad });
      for (let t = 0; t < 3; t++) expect(maxAbsDiff(row(c, 1, t), row(d, 1, t))).toBeLessThan(1e-6);
      for (let t = 0; t < 2; t++) expect(maxAbsDiff(row(c, 0, t), row(d, 0, t))).toBeLessThan(1e-6);
    }
  });

  it('apply dropout only while training', () => {
    const layer = new TransformerEncoderLayer({ dModel: 8, nhead: 2, dimFeedforward: 16, generator: new Generator(4) });
    const x = randn([2, 3, 8]);
    const a = layer.forward(x);
    const b = layer.forward(x);
    expect(maxAbsDiff(Array.from(a.data), Array.from(b.data))).toBeGreaterThan(1e-3);
    layer.eval();
    expect(Array.from(layer.forward(x).data)).toEqual(Array.from(layer.forward(x).data));
  });

  it('pass gradcheck (encoder and decoder layers, both norm orders)', () => {
    const tiny = { dModel: 4, nhead: 2, dimFeedforward: 6, dropout: 0, activation: 'gelu' as const, generator: new Generator(8) };
    for (const normFirst of [false, true]) {
      const enc = new TransformerEncoderLayer({ ...tiny, normFirst });
      assertGradcheck((x) => enc.forward(x!, { isCausal: true }), [randn([2, 3, 4]), enc.self_attn.in_proj_weight!, enc.linear1.weight, enc.norm1.weight!], {
        maxElements: 24,
      });
      const dec = new TransformerDecoderLayer({ ...tiny, normFirst });
      assertGradcheck((y, m) => dec.forward(y!, m!, { tgtIsCausal: true }), [randn([1, 3, 4]), randn([1, 2, 4]), dec.multihead_attn.in_proj_weight!, dec.linear2.weight], {
        maxElements: 24,
      });
    }
  });

  it('reject bad configuration and input with typed errors', () => {
    expect(() => new TransformerEncoderLayer({ dModel: 10, nhead: 4 })).toThrow('TransformerEncoderLayer: nhead 4 does not divide dModel 10');
    expect(() => new TransformerDecoderLayer({ dModel: 8, nhead: 2, activation: 'tanh' as 'relu' })).toThrow(
      "TransformerDecoderLayer: activation must be 'relu' or 'gelu', got 'tanh'",
    );
    expect(() => new TransformerEncoderLayer({ dModel: 8, nhead: 2, dropout: 2 })).toThrow(ValueError);
    const enc = new TransformerEncoderLayer(small);
    expect(() => enc.forward(randn([2, 3, 6]))).toThrow('TransformerEncoderLayer: src must be [B, T, dModel=8], got [2, 3, 6]');
    expect(() => enc.forward(randn([2, 3, 8]), { srcMask: [[false, true]] })).toThrow(ShapeError);
    expect(() => enc.forward(randn([2, 3, 8]), { srcMask: [[false, true]] })).toThrow(/attnMask must be \[3, 3\] or \[4, 3, 3\], got \[1, 2\]/);
    expect(() => enc.forward(randn([2, 0, 8]))).toThrow(/empty sequence/);
    const dec = new TransformerDecoderLayer(small);
    expect(() => dec.forward(randn([2, 3, 8]), randn([2, 4, 4]))).toThrow('TransformerDecoderLayer: memory must be [B, S, dModel=8], got [2, 4, 4]');
    expect(() => dec.forward(randn([2, 3, 8]), randn([2, 4, 8]), { memoryKeyPaddingMask: [[false]] })).toThrow(/keyPaddingMask must be \[2, 4\]/);
  });
});

describe.each(testBackends())('TransformerEncoder, TransformerDecoder, Transformer (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it("stack layers under torch's keys, with an optional final norm", () => {
    const enc = new TransformerEncoder({ ...small, numLayers: 2, norm: true });
    const keys = Object.keys(enc.stateDict());
    expect(keys.filter((k) => k.startsWith('layers.0.'))).toHaveLength(12);
    expect(keys.filter((k) => k.startsWith('layers.1.'))).toHaveLength(12);
    expect(keys.slice(-2)).toEqual(['norm.weight', 'norm.bias']);
    expect(new TransformerDecoder({ ...small, numLayers: 1 }).norm).toBeNull();
    // Layers are independent copies, as torch's deep copies.
    expect(enc.layers[0]!.linear1.weight).not.toBe(enc.layers[1]!.linear1.weight);
    const x = randn([2, 3, 8]);
    const manual = enc.norm!.forward(enc.layers[1]!.forward(enc.layers[0]!.forward(x, { isCausal: true }), { isCausal: true }));
    expect(Array.from(enc.forward(x, { isCausal: true }).data)).toEqual(Array.from(manual.data));
  });

  it("Transformer: torch's keys, Xavier-initialised matrices, [B, T, dModel] output", () => {
    const model = new Transformer({ dModel: 8, nhead: 2, numEncoderLayers: 2, numDecoderLayers: 1, dimFeedforward: 16, dropout: 0 });
    const keys = Object.keys(model.stateDict());
    expect(keys[0]).toBe('encoder.layers.0.self_attn.in_proj_weight');
    expect(keys).toContain('encoder.layers.1.linear2.bias');
    expect(keys).toContain('encoder.norm.weight');
    expect(keys).toContain('decoder.layers.0.multihead_attn.out_proj.weight');
    expect(keys.at(-1)).toBe('decoder.norm.bias');
    const w = model.encoder.layers[0]!.linear1.weight;
    const bound = Math.sqrt(6 / (8 + 16));
    expect(Math.max(...w.data.map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...w.data.map(Math.abs))).toBeGreaterThan(0.8 * bound);
    const src = randn([2, 5, 8]);
    const tgt = randn([2, 3, 8]);
    const out = noGrad(() => model.forward(src, tgt, { tgtIsCausal: true }));
    expect(out.shape).toEqual([2, 3, 8]);
    const memory = model.encoder.forward(src);
    expect(Array.from(model.decoder.forward(tgt, memory, { tgtIsCausal: true }).data)).toEqual(Array.from(out.data));
    expect(Transformer.generateSquareSubsequentMask(2).toArray()).toEqual([[0, 1], [0, 0]]);
    const defaults = new Transformer({ dModel: 8, nhead: 2, dimFeedforward: 4 });
    expect([defaults.encoder.layers.length, defaults.decoder.layers.length]).toEqual([6, 6]);
  });

  it('Transformer rejects mismatched batches and feature sizes', () => {
    const model = new Transformer({ dModel: 8, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 8 });
    expect(() => model.forward(randn([2, 5, 8]), randn([3, 3, 8]))).toThrow(/need the same batch, got src \[2, 5, 8\], tgt \[3, 3, 8\]/);
    expect(() => model.forward(randn([2, 5, 8]), randn([2, 3, 6]))).toThrow('Transformer: the feature size of src and tgt must be dModel=8, got src [2, 5, 8], tgt [2, 3, 6]');
    expect(() => new Transformer({ dModel: 6, nhead: 4 })).toThrow('Transformer: nhead 4 does not divide dModel 6');
    expect(() => new TransformerEncoder({ ...small, numLayers: -1 })).toThrow(/numLayers must be a non-negative integer/);
  });
});
