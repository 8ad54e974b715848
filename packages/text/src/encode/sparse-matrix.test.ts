import { ShapeError, ValueError } from '@elman/core';
import { testBackends, useBackend } from '@elman/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { SparseMatrix } from './sparse-matrix.js';

describe.each(testBackends())('SparseMatrix (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it('expands CSR arrays into the dense matrix', () => {
    // [[0, 2, 0], [0, 0, 0], [1, 0, 3]]
    const m = new SparseMatrix([3, 3], Int32Array.of(0, 1, 1, 3), Int32Array.of(1, 0, 2), Float32Array.of(2, 1, 3));
    expect(m.nnz).toBe(3);
    expect(m.toDense().toArray()).toEqual([
      [0, 2, 0],
      [0, 0, 0],
      [1, 0, 3],
    ]);
  });

  it('rejects inconsistent arrays', () => {
    expect(() => new SparseMatrix([2, 2], Int32Array.of(0, 1), Int32Array.of(0), Float32Array.of(1))).toThrow(ShapeError);
    expect(() => new SparseMatrix([1, 2], Int32Array.of(0, 1), Int32Array.of(0), Float32Array.of(1, 2))).toThrow(ShapeError);
    expect(() => new SparseMatrix([1, 2], Int32Array.of(0, 1), Int32Array.of(2), Float32Array.of(1))).toThrow(ValueError);
    expect(() => new SparseMatrix([1, 3], Int32Array.of(0, 2), Int32Array.of(1, 1), Float32Array.of(1, 1))).toThrow(
      /row 0 has column 1, not increasing/,
    );
  });
});
