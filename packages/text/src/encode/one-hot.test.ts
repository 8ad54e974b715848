import { DTypeError, ValueError, tensor } from '@elman/core';
import { testBackends, useBackend } from '@elman/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { oneHot, oneHotSparse } from './one-hot.js';

describe.each(testBackends())('oneHot (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it('encodes a list of ids as rows with a single 1', () => {
    const t = oneHot([2, 0, 1], 3);
    expect(t.shape).toEqual([3, 3]);
    expect(t.dtype).toBe('float32');
    expect(t.toArray()).toEqual([
      [0, 0, 1],
      [1, 0, 0],
      [0, 1, 0],
    ]);
  });

  it('keeps the shape of an int32 tensor and appends the class axis', () => {
    const ids = tensor([[1, 3], [0, 0]], undefined, { dtype: 'int32' }); // [2, 2]
    const t = oneHot(ids, 4); // [2, 2, 4]
    expect(t.shape).toEqual([2, 2, 4]);
    expect(t.toArray()).toEqual([
      [[0, 1, 0, 0], [0, 0, 0, 1]],
      [[1, 0, 0, 0], [1, 0, 0, 0]],
    ]);
    // The rows sum to one and argmax recovers the ids.
    expect(Array.from(t.argmax(-1).data)).toEqual([1, 3, 0, 0]);
  });

  it('gives the same rows in sparse index form', () => {
    const ids = tensor([[1, 3], [0, 2]], undefined, { dtype: 'int32' });
    const s = oneHotSparse(ids, 4);
    expect(s.shape).toEqual([4, 4]);
    expect(s.nnz).toBe(4);
    expect(Array.from(s.indices)).toEqual([1, 3, 0, 2]);
    expect(Array.from(s.indptr)).toEqual([0, 1, 2, 3, 4]);
    expect(s.toDense().toArray()).toEqual(oneHot(ids, 4).reshape([4, 4]).toArray());
  });

  it('rejects bad ids, dtypes and class counts, naming the op', () => {
    expect(() => oneHot([0, 3], 3)).toThrow(/oneHot: id 3 at flat position 1 is out of range for numClasses 3/);
    expect(() => oneHot([-1], 3)).toThrow(ValueError);
    expect(() => oneHot([0.5], 3)).toThrow(ValueError);
    expect(() => oneHot(tensor([0, 1]), 3)).toThrow(DTypeError);
    expect(() => oneHot([0], 0)).toThrow(/oneHot: numClasses must be a positive integer, got 0/);
    expect(() => oneHotSparse([5], 2)).toThrow(/oneHotSparse: id 5/);
  });
});
