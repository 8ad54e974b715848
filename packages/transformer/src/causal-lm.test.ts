import { DTypeError, Generator, ShapeError, ValueError, noGrad, normal_, tensor } from '@elman/core';
import { assertGradcheck, testBackends, useBackend } from '@elman/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { CausalLM } from './causal-lm.js';

const opts = { vocabSize: 11, dModel: 8, nhead: 2, numLayers: 2, maxLength: 10, dropout: 0 };
const ids = (rows: number[][]) => tensor(rows, undefined, { dtype: 'int32' });

describe.each(testBackends())('CausalLM (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it('names its state like a GPT built from torch layers', () => {
    const lm = new CausalLM(opts);
    const keys = Object.keys(lm.stateDict());
    expect(keys.slice(0, 3)).toEqual(['token_embedding.weight', 'position_embedding.weight', 'layers.0.self_attn.in_proj_weight']);
    expect(keys.slice(-3)).toEqual(['norm.weight', 'norm.bias', 'lm_head.weight']);
    expect(lm.lm_head.weight.shape).toEqual([11, 8]);
    expect(lm.layers[0]!.dimFeedforward).toBe(32);
    expect([lm.layers[0]!.activation, lm.layers[0]!.normFirst]).toEqual(['gelu', true]);
    const sinusoidal = new CausalLM({ ...opts, positional: 'sinusoidal', normFirst: false });
    const sk = Object.keys(sinusoidal.stateDict());
    expect(sk).not.toContain('position_embedding.weight');
    expect(sk).not.toContain('norm.weight');
    expect(sinusoidal.embedScale).toBeCloseTo(Math.sqrt(8), 6);
  });

  it('ties the output projection to the token embedding when asked', () => {
    const lm = new CausalLM({ ...opts, tieWeights: true });
    expect(lm.lm_head.weight).toBe(lm.token_embedding.weight);
    const sd = lm.stateDict();
    expect(sd['lm_head.weight']!.data).toBe(sd['token_embedding.weight']!.data);
    expect(lm.parameters().filter((p) => p === lm.token_embedding.weight)).toHaveLength(1);
    // Both uses of the shared table contribute to its gradient. Unit-scale values keep the finite-difference step
    // (1e-2) small relative to the entries; at the default N(0, 0.02²) it would swamp the LayerNorm's input.
    normal_(lm.token_embedding.weight, 0, 1, { generator: new Generator(9) });
    assertGradcheck(() => lm.forward(ids([[1, 2, 3]])), [lm.token_embedding.weight], { maxElements: 30 });
  });

  it('produces [B, T, V] logits where position t only sees tokens 0…t', () => {
    const lm = new CausalLM({ ...opts, generator: new Generator(2) });
    const a = noGrad(() => lm.forward(ids([[1, 2, 3, 4], [5, 6, 7, 8]])));
    expect(a.shape).toEqual([2, 4, 11]);
    const b = noGrad(() => lm.forward(ids([[1, 2, 9, 9], [5, 6, 7, 0]])));
    const V = 11;
    expect(Array.from(b.data.subarray(0, 2 * V))).toEqual(Array.from(a.data.subarray(0, 2 * V)));
    expect(Array.from(b.data.subarray(4 * V, 7 * V))).toEqual(Array.from(a.data.subarray(4 * V, 7 * V)));
    expect(Array.from(b.data.subarray(2 * V, 3 * V))).not.toEqual(Array.from(a.data.subarray(2 * V, 3 * V)));
  });

  it('passes gradcheck through embeddings, attention and head', () => {
    const lm = new CausalLM({ vocabSize: 5, dModel: 4, nhead: 2, numLayers: 1, maxLength: 4, dropout: 0, generator: new Generator(4) });
    const x = ids([[0, 3, 1]]);
    normal_(lm.token_embedding.weight, 0, 1, { generator: new Generator(9) });
    assertGradcheck(() => lm.forward(x), [lm.token_embedding.weight, lm.layers[0]!.self_attn.in_proj_weight!, lm.lm_head.weight], { maxElements: 20 });
  });

  it('generate returns prompt + continuation as int32 [B, P + N] and accepts tensors and arrays', () => {
    const lm = new CausalLM({ ...opts, generator: new Generator(5) });
    const one = lm.generate([3, 4], { maxNewTokens: 5, temperature: 0 });
    expect(one.dtype).toBe('int32');
    expect(one.shape).toEqual([1, 7]);
    expect(Array.from(one.data.subarray(0, 2))).toEqual([3, 4]);
    const fromTensor = lm.generate(tensor([3, 4], undefined, { dtype: 'int32' }), { maxNewTokens: 5, temperature: 0 });
    expect(Array.from(fromTensor.data)).toEqual(Array.from(one.data));
    const batch = lm.generate([[3, 4], [3, 4]], { maxNewTokens: 5, temperature: 0 });
    expect(Array.from(batch.data.subarray(7))).toEqual(Array.from(one.data));
    expect(lm.generate([1], { maxNewTokens: 0 }).shape).toEqual([1, 1]);
    for (const v of lm.generate([1], { maxNewTokens: 9, seed: 3 }).data) expect(v >= 0 && v < 11).toBe(true);
  });

  it('rejects bad ids, prompts and options with typed errors', () => {
    const lm = new CausalLM(opts);
    expect(() => lm.forward(tensor([[1, 2]]))).toThrow(DTypeError);
    expect(() => lm.forward(ids([[1, 11]]))).toThrow('CausalLM: token id 11 at [0, 1] is out of range for vocabSize 11');
    expect(() => lm.forward(ids([[-1]]))).toThrow(ValueError);
    expect(() => lm.forward(tensor([1, 2], undefined, { dtype: 'int32' }))).toThrow('CausalLM: ids must be [B, T], got [2]');
    expect(() => lm.forward(tensor(new Int32Array(0), [1, 0]))).toThrow('CausalLM: empty sequence: ids [1, 0]');
    expect(() => lm.forward(tensor(new Int32Array(11), [1, 11]))).toThrow('CausalLM: positions 0…10 exceed maxLength 10 (ids [1, 11])');
    expect(() => lm.generate([1, 2, 3], { maxNewTokens: 8 })).toThrow('CausalLM.generate: prompt length 3 + maxNewTokens 8 exceeds maxLength 10');
    expect(() => lm.generate([], { maxNewTokens: 2 })).toThrow(/empty sequence/);
    expect(() => lm.generate([[1, 2], [3]], { maxNewTokens: 2 })).toThrow(ShapeError);
    expect(() => lm.generate([1.5], { maxNewTokens: 2 })).toThrow(/token ids must be integers/);
    expect(() => lm.generate([1], { maxNewTokens: -1 })).toThrow(/maxNewTokens must be a non-negative integer/);
    expect(() => lm.generate([1], { maxNewTokens: 1, topK: 0 })).toThrow(/topK must be a positive integer/);
    expect(() => lm.generate([12], { maxNewTokens: 1 })).toThrow(/token id 12 at \[0, 0\] is out of range/);
    expect(() => new CausalLM({ ...opts, nhead: 3 })).toThrow('TransformerEncoderLayer: nhead 3 does not divide dModel 8');
    expect(() => new CausalLM({ ...opts, numLayers: 0 })).toThrow('CausalLM: numLayers must be a positive integer, got 0');
    expect(() => new CausalLM({ ...opts, positional: 'rotary' as 'learned' })).toThrow(/positional must be 'learned' or 'sinusoidal'/);
  });
});
