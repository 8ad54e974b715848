import { Generator, ShapeError, randn } from '@elman/core';
import { assertGradcheck, testBackends, useBackend } from '@elman/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { segmentSum } from './segment-sum.js';

describe.each(testBackends())('segmentSum (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it('adds rows into their segments; empty segments stay zero', () => {
    const x = randn([4, 3], { generator: new Generator(2) });
    const out = segmentSum(x, Int32Array.from([2, 0, 2, 0]), 4);
    expect(out.shape).toEqual([4, 3]);
    for (let j = 0; j < 3; j++) {
      expect(out.data[j]).toBeCloseTo(x.data[3 + j]! + x.data[9 + j]!, 6);
      expect(out.data[3 + j]).toBe(0);
      expect(out.data[6 + j]).toBeCloseTo(x.data[j]! + x.data[6 + j]!, 6);
      expect(out.data[9 + j]).toBe(0);
    }
  });

  it('passes gradcheck', () => {
    const x = randn([5, 2], { generator: new Generator(4) });
    assertGradcheck((t) => segmentSum(t, Int32Array.from([1, 1, 0, 2, 1]), 3), [x]);
  });

  it('names the op and shapes on bad input', () => {
    const x = randn([3, 2]);
    expect(() => segmentSum(x, Int32Array.from([0, 1]), 2)).toThrow(ShapeError);
    expect(() => segmentSum(x, Int32Array.from([0, 1, 2]), 2)).toThrow(/segmentSum: segment\[2\] = 2 is outside \[0, 2\)/);
    expect(segmentSum(x, Int32Array.from([0, 1, 1]), 2).shape).toEqual([2, 2]);
    expect(() => segmentSum(randn([3]), Int32Array.from([0, 1, 1]), 2)).toThrow(/x must be \[M, H\]/);
  });
});
