import { DTypeError, Generator, ShapeError, ValueError, randn, tensor } from '@elman/core';
import { assertGradcheck, testBackends, useBackend } from '@elman/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Attention } from './attention.js';
import { BahdanauAttention } from './bahdanau-attention.js';
import { CosineAttention } from './cosine-attention.js';
import { LuongAttention } from './luong-attention.js';
import { ScaledDotProductAttention } from './scaled-dot-product-attention.js';

const B = 2;
const T = 3;
const S = 5;
const D = 4;

function variants(): [string, Attention][] {
  const generator = new Generator(7);
  const sizes = { querySize: D, keySize: D };
  return [
    ['bahdanau', new BahdanauAttention({ ...sizes, attentionSize: 3, generator })],
    ['luong dot', new LuongAttention({ ...sizes, score: 'dot' })],
    ['luong general', new LuongAttention({ ...sizes, score: 'general', generator })],
    ['luong concat', new LuongAttention({ ...sizes, score: 'concat', attentionSize: 3, generator })],
    ['scaled dot-product', new ScaledDotProductAttention(sizes)],
    ['cosine', new CosineAttention({ ...sizes, scale: 2 })],
  ];
}

const BOOL_MASK = [
  [false, false, true, false, true],
  [false, true, true, true, true],
];

describe.each(testBackends())('attention modules (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it.each(variants())('%s: weights sum to 1 over unmasked keys and are exactly 0 on masked ones', (_, attn) => {
    const g = new Generator(1);
    const q = randn([B, T, D], { generator: g });
    const k = randn([B, S, D], { generator: g });
    const { context, weights } = attn.forward(q, k, { keyPaddingMask: BOOL_MASK });
    expect(context.shape).toEqual([B, T, D]);
    expect(weights.shape).toEqual([B, T, S]);
    const w = weights.data;
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) {
        let s = 0;
        for (let j = 0; j < S; j++) {
          const v = w[(b * T + t) * S + j]!;
          if (BOOL_MASK[b]![j]) expect(v).toBe(0);
          else expect(v).toBeGreaterThan(0);
          s += v;
        }
        expect(s).toBeCloseTo(1, 6);
      }
    }
    // The int32 form of the same mask gives the same weights.
    const int = tensor(BOOL_MASK.flat().map(Number), [B, S], { dtype: 'int32' });
    expect(Array.from(attn.forward(q, k, { keyPaddingMask: int }).weights.data)).toEqual(Array.from(w));
  });

  it.each(variants())('%s: a one-step query [B, D] equals the first row of a [B, 1, D] query', (_, attn) => {
    const g = new Generator(2);
    const q = randn([B, D], { generator: g });
    const k = randn([B, S, D], { generator: g });
    const one = attn.forward(q, k, { keyPaddingMask: BOOL_MASK });
    expect(one.context.shape).toEqual([B, D]);
    expect(one.weights.shape).toEqual([B, S]);
    const seq = attn.forward(q.reshape([B, 1, D]), k, { keyPaddingMask: BOOL_MASK });
    expect(Array.from(one.weights.data)).toEqual(Array.from(seq.weights.data));
  });

  it.each(variants())('%s: gradcheck of query, keys and values', (_, attn) => {
    const g = new Generator(3);
    const q = randn([B, 2, D], { generator: g });
    const k = randn([B, 3, D], { generator: g });
    const v = randn([B, 3, 2], { generator: g });
    const mask = [
      [false, false, true],
      [false, false, false],
    ];
    assertGradcheck((qq, kk, vv) => attn.forward(qq!, kk!, { values: vv!, keyPaddingMask: mask }).context, [q, k, v]);
    assertGradcheck((qq, kk) => attn.forward(qq!, kk!, { keyPaddingMask: mask }).weights, [q, k]);
  });
});

describe('attention bad input', () => {
  const attn = new BahdanauAttention({ querySize: 4, keySize: 6 });
  const q = randn([2, 3, 4]);
  const k = randn([2, 5, 6]);

  it('names the op and the shapes on mismatched dims', () => {
    expect(() => attn.forward(randn([2, 3, 5]), k)).toThrow(ShapeError);
    expect(() => attn.forward(randn([2, 3, 5]), k)).toThrow(/BahdanauAttention: query must be .* got \[2, 3, 5\]/);
    expect(() => attn.forward(q, randn([2, 5, 4]))).toThrow(/keys must be \[B, S, Dk\] with Dk = keySize 6, got \[2, 5, 4\]/);
    expect(() => attn.forward(randn([3, 3, 4]), k)).toThrow(ShapeError);
    expect(() => attn.forward(q, k, { values: randn([2, 4, 3]) })).toThrow(/values must be/);
    expect(() => new LuongAttention({ querySize: 4, keySize: 6, score: 'dot' })).toThrow(ShapeError);
    expect(() => new ScaledDotProductAttention({ querySize: 4, keySize: 6 })).toThrow(ShapeError);
    expect(() => new CosineAttention({ querySize: 4, keySize: 6 })).toThrow(ShapeError);
  });

  it('rejects masks of the wrong shape or dtype, and rows with every key masked', () => {
    expect(() => attn.forward(q, k, { keyPaddingMask: [[false, true]] })).toThrow(/keyPaddingMask must be \[B, S\] = \[2, 5\], got \[1, 2\]/);
    expect(() => attn.forward(q, k, { keyPaddingMask: tensor([[0, 1]], undefined, { dtype: 'int32' }) })).toThrow(ShapeError);
    expect(() => attn.forward(q, k, { keyPaddingMask: randn([2, 5]) })).toThrow(DTypeError);
    const all = [Array(5).fill(true) as boolean[], Array(5).fill(false) as boolean[]];
    expect(() => attn.forward(q, k, { keyPaddingMask: all })).toThrow(/masks every key of batch row 0/);
  });

  it('rejects empty sequences and bad options', () => {
    expect(() => attn.forward(randn([2, 0, 4]), k)).toThrow(ValueError);
    expect(() => attn.forward(q, randn([2, 0, 6]))).toThrow(/keys are empty/);
    expect(() => new BahdanauAttention({ querySize: 0, keySize: 6 })).toThrow(/querySize must be a positive integer/);
    expect(() => new LuongAttention({ querySize: 4, keySize: 4, score: 'bilinear' as 'dot' })).toThrow(ValueError);
  });
});
