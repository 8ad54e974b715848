import { ShapeError, ValueError, randn, tensor } from '@elman/core';
import { assertGradcheck, testBackends, useBackend } from '@elman/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { scaledDotProductAttention } from './scaled-dot-product-attention.js';

describe.each(testBackends())('scaledDotProductAttention (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it('weights sum to 1 over unmasked keys and are exactly 0 on masked ones', () => {
    const q = randn([2, 3, 4]);
    const k = randn([2, 5, 4]);
    const v = randn([2, 5, 2]);
    const keyPaddingMask = [
      [false, false, false, false, true],
      [false, false, true, true, true],
    ];
    const { context, weights } = scaledDotProductAttention(q, k, v, { keyPaddingMask, isCausal: true });
    expect(context.shape).toEqual([2, 3, 2]);
    expect(weights.shape).toEqual([2, 3, 5]);
    const w = weights.toArray() as number[][][];
    for (let b = 0; b < 2; b++) {
      for (let i = 0; i < 3; i++) {
        let sum = 0;
        for (let j = 0; j < 5; j++) {
          const masked = keyPaddingMask[b]![j]! || j > i;
          if (masked) expect(w[b]![i]![j]).toBe(0);
          else expect(w[b]![i]![j]).toBeGreaterThan(0);
          sum += w[b]![i]![j]!;
        }
        expect(sum).toBeCloseTo(1, 6);
      }
    }
  });

  it('a query whose keys are all masked gets NaN weights, as in PyTorch', () => {
    const { weights } = scaledDotProductAttention(randn([1, 2, 3]), randn([1, 2, 3]), randn([1, 2, 3]), {
      attnMask: [
        [true, true],
        [false, true],
      ],
    });
    const w = weights.toArray() as number[][][];
    expect(w[0]![0]!.every(Number.isNaN)).toBe(true);
    expect(w[0]![1]).toEqual([1, 0]);
  });

  it('uses 1/√D by default and honours scale', () => {
    const q = tensor([[[1, 0, 0, 0]]]);
    const k = tensor([[[2, 0, 0, 0], [0, 0, 0, 0]]]);
    const v = tensor([[[1], [0]]]);
    const w = scaledDotProductAttention(q, k, v).weights.data;
    // Scores 2/√4 = 1 and 0.
    expect(w[0]).toBeCloseTo(Math.E / (Math.E + 1), 6);
    const w3 = scaledDotProductAttention(q, k, v, { scale: 3 }).weights.data;
    expect(w3[0]).toBeCloseTo(Math.exp(6) / (Math.exp(6) + 1), 6);
  });

  it('dropout zeroes weights at rate p and rescales the survivors', () => {
    const q = randn([4, 16, 8]);
    const k = randn([4, 16, 8]);
    const v = randn([4, 16, 8]);
    const plain = scaledDotProductAttention(q, k, v).weights.data;
    const dropped = scaledDotProductAttention(q, k, v, { dropout: 0.5 }).weights.data;
    let zeros = 0;
    for (let i = 0; i < dropped.length; i++) {
      if (dropped[i] === 0) zeros++;
      else expect(dropped[i]).toBeCloseTo(2 * plain[i]!, 5);
    }
    expect(zeros / dropped.length).toBeGreaterThan(0.4);
    expect(zeros / dropped.length).toBeLessThan(0.6);
  });

  it('passes gradcheck for query, key and value (with masks)', () => {
    const mask = [
      [false, true, false],
      [false, false, true],
    ];
    assertGradcheck((q, k, v) => scaledDotProductAttention(q!, k!, v!, { attnMask: mask }).context, [
      randn([2, 2, 3]),
      randn([2, 3, 3]),
      randn([2, 3, 2]),
    ]);
    assertGradcheck((q, k, v) => scaledDotProductAttention(q!, k!, v!, { isCausal: true }).weights, [
      randn([1, 3, 2]),
      randn([1, 3, 2]),
      randn([1, 3, 2]),
    ]);
  });

  it('rejects bad shapes, masks and empty sequences with typed errors', () => {
    const q = randn([2, 3, 4]);
    const k = randn([2, 5, 4]);
    const v = randn([2, 5, 6]);
    expect(() => scaledDotProductAttention(q, randn([2, 5, 3]), v)).toThrow(
      'scaledDotProductAttention: query and key feature sizes differ: query [2, 3, 4], key [2, 5, 3]',
    );
    expect(() => scaledDotProductAttention(q, k, randn([2, 4, 6]))).toThrow(/key and value lengths differ/);
    expect(() => scaledDotProductAttention(q, randn([3, 5, 4]), randn([3, 5, 6]))).toThrow(/leading axes differ/);
    expect(() => scaledDotProductAttention(q, randn([5, 4]), v)).toThrow(ShapeError);
    expect(() => scaledDotProductAttention(q, k, v, { attnMask: tensor([0, 1, 0], undefined, { dtype: 'int32' }) })).toThrow(
      'scaledDotProductAttention: attnMask [3] cannot be broadcast to the scores [2, 3, 5]',
    );
    expect(() => scaledDotProductAttention(q, k, v, { keyPaddingMask: [[false, true]] })).toThrow(
      'scaledDotProductAttention: keyPaddingMask must be [2, 5] for scores [2, 3, 5], got [1, 2]',
    );
    expect(() => scaledDotProductAttention(randn([2, 0, 4]), k, v)).toThrow(ValueError);
    expect(() => scaledDotProductAttention(randn([2, 0, 4]), k, v)).toThrow(/empty sequence: the query has 0 positions/);
    expect(() => scaledDotProductAttention(q, k, v, { dropout: 1.5 })).toThrow(/dropout must be in \[0, 1\], got 1.5/);
  });
});
