import { beforeAll, describe, expect, it } from 'vitest';
import { testBackends, useBackend } from '../../testing/index.js';
import { getBackend } from '../registry.js';

describe.each(testBackends())('reduce and argReduce kernels (%s)', (backend) => {
  beforeAll(() => useBackend(backend));
  const nan = Number.NaN;

  it('sums, maxes and mins the middle axis of [outer, n, inner]', () => {
    const x = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]); // [2, 3, 2]
    const out = new Float32Array(4);
    getBackend().reduce('sum', x, 2, 3, 2, out);
    expect(Array.from(out)).toEqual([9, 12, 27, 30]);
    getBackend().reduce('max', x, 2, 3, 2, out);
    expect(Array.from(out)).toEqual([5, 6, 11, 12]);
    getBackend().reduce('min', x, 2, 3, 2, out);
    expect(Array.from(out)).toEqual([1, 2, 7, 8]);
    const flat = new Float32Array(1);
    getBackend().reduce('sum', x, 1, 12, 1, flat);
    expect(flat[0]).toBe(78);
    const ints = new Int32Array(2);
    getBackend().reduce('sum', Int32Array.from([1, 2, 3, 4]), 2, 2, 1, ints);
    expect(Array.from(ints)).toEqual([3, 7]);
  });

  it('propagates NaN through max/min/sum, wherever it sits', () => {
    const x = Float32Array.from([nan, 1, 2, 5, 0, nan, 3, 3, 3]); // [3, 3] rows
    const out = new Float32Array(3);
    for (const op of ['max', 'min', 'sum'] as const) {
      getBackend().reduce(op, x, 3, 3, 1, out);
      expect(out[0]).toBeNaN();
      expect(out[1]).toBeNaN();
      expect(out[2]).toBe(op === 'sum' ? 9 : 3);
    }
  });

  it('returns the first index of the extreme, and of the first NaN (like PyTorch)', () => {
    const x = Float32Array.from([1, 7, 7, 0, nan, 2, nan, 9, 5, -1, -1, 5]); // [3 rows, 4]
    const out = new Int32Array(3);
    getBackend().argReduce('argmax', x, 3, 4, 1, out);
    expect(Array.from(out)).toEqual([1, 0, 0]);
    getBackend().argReduce('argmin', x, 3, 4, 1, out);
    expect(Array.from(out)).toEqual([3, 0, 1]);
    // Along a strided middle axis: [1, 3, 2].
    const y = Float32Array.from([1, 4, nan, 4, 2, 0]);
    const o2 = new Int32Array(2);
    getBackend().argReduce('argmax', y, 1, 3, 2, o2);
    expect(Array.from(o2)).toEqual([1, 0]);
    getBackend().argReduce('argmin', y, 1, 3, 2, o2);
    expect(Array.from(o2)).toEqual([1, 2]);
  });
});
