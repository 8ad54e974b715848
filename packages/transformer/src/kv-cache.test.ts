import { Generator, type Tensor, ValueError, noGrad, tensor } from '@elman/core';
import { testBackends, useBackend } from '@elman/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { CausalLM, type CausalLMOptions } from './causal-lm.js';
import { KVCache } from './kv-cache.js';

const base: CausalLMOptions = { vocabSize: 13, dModel: 12, nhead: 3, numLayers: 2, maxLength: 24, dropout: 0.1 };

function model(options: Partial<CausalLMOptions> = {}): CausalLM {
  return new CausalLM({ ...base, generator: new Generator(7), ...options });
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

describe.each(testBackends())('KV cache (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it.each([
    ['pre-norm, learned positions', {}],
    ['post-norm, sinusoidal positions, relu, tied', { normFirst: false, positional: 'sinusoidal', activation: 'relu', tieWeights: true }],
  ] as const)('cached logits equal the full forward pass position by position (%s)', (_n, opts) => {
    const lm = model(opts).eval();
    const ids = tensor([[1, 4, 2, 9, 0, 3, 7, 5], [12, 11, 10, 2, 2, 6, 8, 1]], undefined, { dtype: 'int32' });
    const full = noGrad(() => lm.forward(ids)); // [2, 8, V]
    const cache = lm.createCache(2);
    // A prompt of 3 tokens, a chunk of 2 after it (causal within the chunk, over the cache), then one at a time.
    const parts: Tensor[] = [lm.forwardWithCache(ids.slice(1, 0, 3), cache), lm.forwardWithCache(ids.slice(1, 3, 5), cache)];
    for (let t = 5; t < 8; t++) parts.push(lm.forwardWithCache(ids.slice(1, t, t + 1), cache));
    expect(cache.length).toBe(8);
    const V = base.vocabSize;
    const f = full.data;
    let offset = 0;
    for (const part of parts) {
      const n = part.shape[1]!;
      for (let b = 0; b < 2; b++) {
        const got = part.data.subarray(b * n * V, (b + 1) * n * V);
        const want = f.subarray((b * 8 + offset) * V, (b * 8 + offset + n) * V);
        expect(maxAbsDiff(got, want)).toBeLessThan(1e-5);
      }
      offset += n;
    }
  });

  it('greedy generation with the cache equals full recomputation token for token', () => {
    const lm = model();
    const prompt = [[3, 1, 4], [1, 5, 9]];
    const withCache = lm.generate(prompt, { maxNewTokens: 15, temperature: 0 });
    const without = lm.generate(prompt, { maxNewTokens: 15, temperature: 0, useCache: false });
    expect(withCache.shape).toEqual([2, 18]);
    expect(Array.from(withCache.data)).toEqual(Array.from(without.data));
    expect(Array.from(withCache.data.subarray(0, 3))).toEqual([3, 1, 4]);
  });

  it('seeded sampling (temperature, top-k) with the cache equals full recomputation token for token', () => {
    const lm = model({ positional: 'sinusoidal' });
    for (const opts of [{ temperature: 1 }, { temperature: 0.7, topK: 4 }]) {
      const a = lm.generate([2, 7], { maxNewTokens: 20, seed: 11, ...opts });
      const b = lm.generate([2, 7], { maxNewTokens: 20, seed: 11, ...opts, useCache: false });
      expect(Array.from(a.data)).toEqual(Array.from(b.data));
      // A different seed gives a different continuation (the draws matter).
      const c = lm.generate([2, 7], { maxNewTokens: 20, seed: 12, ...opts });
      expect(Array.from(c.data)).not.toEqual(Array.from(a.data));
    }
  });

  it('generate leaves the training flags as they were and applies no dropout', () => {
    const lm = model({ dropout: 0.5 });
    lm.layers[0]!.eval();
    const a = lm.generate([1, 2], { maxNewTokens: 6, temperature: 0, useCache: false });
    const b = lm.generate([1, 2], { maxNewTokens: 6, temperature: 0 });
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(lm.training).toBe(true);
    expect(lm.layers[0]!.training).toBe(false);
    expect(lm.layers[1]!.training).toBe(true);
  });

  it('truncate rolls the cache back so a prefix can be continued again', () => {
    const lm = model().eval();
    const cache = lm.createCache(1);
    const prompt = tensor([[4, 4, 2]], undefined, { dtype: 'int32' });
    lm.forwardWithCache(prompt, cache);
    const first = lm.forwardWithCache(tensor([[5]], undefined, { dtype: 'int32' }), cache);
    lm.forwardWithCache(tensor([[6]], undefined, { dtype: 'int32' }), cache);
    cache.truncate(3);
    const again = lm.forwardWithCache(tensor([[5]], undefined, { dtype: 'int32' }), cache);
    expect(Array.from(again.data)).toEqual(Array.from(first.data));
    expect(() => cache.truncate(7)).toThrow(ValueError);
    cache.truncate(0);
    expect(cache.length).toBe(0);
  });

  it('rejects a cache of another model, a wrong batch, and running past maxLength', () => {
    const lm = model();
    const ids = tensor([[1, 2]], undefined, { dtype: 'int32' });
    const other = new KVCache({ batchSize: 1, numLayers: 3, numHeads: 3, headDim: 4, maxLength: 24 });
    expect(() => lm.forwardWithCache(ids, other)).toThrow(/cache \[layers, heads, headDim, maxLength\] \[3, 3, 4, 24\] was not made for this model \[2, 3, 4, 24\]/);
    expect(() => lm.forwardWithCache(ids, lm.createCache(2))).toThrow(/batch 1 but the cache holds 2/);
    const cache = lm.createCache(1);
    lm.forwardWithCache(tensor([new Array(23).fill(1)], undefined, { dtype: 'int32' }), cache);
    expect(() => lm.forwardWithCache(ids, cache)).toThrow(/positions 23…24 exceed maxLength 24/);
    expect(() => new KVCache({ batchSize: 0, numLayers: 1, numHeads: 1, headDim: 1, maxLength: 1 })).toThrow(/batchSize must be a positive integer/);
  });
});
