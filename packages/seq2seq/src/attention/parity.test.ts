import { readFileSync } from 'node:fs';
import { type Tensor, add, mul, sum, tensor } from '@elman/core';
import { testBackends, useBackend } from '@elman/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Attention } from './attention.js';
import { BahdanauAttention } from './bahdanau-attention.js';
import { CosineAttention } from './cosine-attention.js';
import { LuongAttention } from './luong-attention.js';
import { ScaledDotProductAttention } from './scaled-dot-product-attention.js';

/** One case of fixtures/attention-fixtures.json (written by fixtures/make-fixtures.py). */
interface AttentionCase {
  name: string;
  kind: 'bahdanau' | 'dot' | 'general' | 'concat' | 'scaled' | 'cosine';
  B: number;
  T: number;
  S: number;
  querySize: number;
  keySize: number;
  attentionSize: number | null;
  step: boolean;
  mask: number[][] | null;
  options: { scale?: number };
  query: number[];
  keys: number[];
  params: Record<string, number[]>;
  wC: number[];
  wW: number[];
  context: number[];
  weights: number[];
  grads: Record<string, number[]>;
}

const fixtures = JSON.parse(readFileSync(new URL('../../fixtures/attention-fixtures.json', import.meta.url), 'utf8')) as {
  cases: AttentionCase[];
};
/** The bar for parity with the float64 reference. */
const TOL = 1e-5;

function maxAbsDiff(actual: ArrayLike<number>, expected: readonly number[]): number {
  expect(actual.length).toBe(expected.length);
  let m = 0;
  for (let i = 0; i < expected.length; i++) m = Math.max(m, Math.abs(actual[i]! - expected[i]!));
  return m;
}

function make(c: AttentionCase): Attention {
  const sizes = { querySize: c.querySize, keySize: c.keySize };
  const A = c.attentionSize ?? undefined;
  switch (c.kind) {
    case 'bahdanau':
      return new BahdanauAttention({ ...sizes, attentionSize: A });
    case 'dot':
    case 'general':
    case 'concat':
      return new LuongAttention({ ...sizes, score: c.kind, attentionSize: A });
    case 'scaled':
      return new ScaledDotProductAttention(sizes);
    case 'cosine':
      return new CosineAttention({ ...sizes, scale: c.options.scale });
  }
}

describe.each(testBackends())('attention matches the NumPy reference of each paper’s equations (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it.each(fixtures.cases.map((c) => [c.name, c] as const))('%s: context, weights and every gradient', (_, c) => {
    const { B, T, S } = c;
    const attn = make(c);
    const named = new Map(attn.namedParameters());
    expect([...named.keys()].sort()).toEqual(Object.keys(c.params).sort());
    for (const [name, values] of Object.entries(c.params)) {
      const p = named.get(name)!;
      p.data.set(values);
    }
    const qShape = c.step ? [B, c.querySize] : [B, T, c.querySize];
    const query = tensor(c.query, qShape, { requiresGrad: true });
    const keys = tensor(c.keys, [B, S, c.keySize], { requiresGrad: true });
    const mask = c.mask === null ? undefined : tensor(c.mask.flat(), [B, S], { dtype: 'int32' });
    const { context, weights } = attn.forward(query, keys, { keyPaddingMask: mask });
    expect(maxAbsDiff(context.data, c.context)).toBeLessThanOrEqual(TOL);
    expect(maxAbsDiff(weights.data, c.weights)).toBeLessThanOrEqual(TOL);
    const loss: Tensor = add(sum(mul(context, tensor(c.wC, context.shape))), sum(mul(weights, tensor(c.wW, weights.shape))));
    loss.backward();
    expect(maxAbsDiff(query.grad!.data, c.grads.query!)).toBeLessThanOrEqual(TOL);
    expect(maxAbsDiff(keys.grad!.data, c.grads.keys!)).toBeLessThanOrEqual(TOL);
    for (const name of Object.keys(c.params)) {
      expect(maxAbsDiff(named.get(name)!.grad!.data, c.grads[name]!), name).toBeLessThanOrEqual(TOL);
    }
  });
});
