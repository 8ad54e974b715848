import { beforeAll, describe, expect, it } from 'vitest';
import { stridesOf } from '../../shape.js';
import { testBackends, useBackend } from '../../testing/index.js';
import { getBackend } from '../registry.js';

describe.each(testBackends())('stridedCopy kernel (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it('transposes through strides', () => {
    const src = Float32Array.from([0, 1, 2, 3, 4, 5]); // [2, 3]
    const dst = new Float32Array(6); // [3, 2]
    getBackend().stridedCopy(src, 0, [1, 3], dst, 0, stridesOf([3, 2]), [3, 2], false);
    expect(Array.from(dst)).toEqual([0, 3, 1, 4, 2, 5]);
  });

  it('reads a window at an offset and broadcasts with stride 0', () => {
    const src = Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]); // [3, 4]
    const win = new Float32Array(4);
    getBackend().stridedCopy(src, 5, [4, 1], win, 0, [2, 1], [2, 2], false); // rows 1–2, cols 1–2
    expect(Array.from(win)).toEqual([5, 6, 9, 10]);
    const rep = new Int32Array(6);
    getBackend().stridedCopy(Int32Array.from([7, 8]), 0, [0, 1], rep, 0, [2, 1], [3, 2], false);
    expect(Array.from(rep)).toEqual([7, 8, 7, 8, 7, 8]);
  });

  it('accumulates into the destination, including repeated targets (stride-0 destination)', () => {
    const dst = Float32Array.from([1, 1, 1, 1, 1, 1]); // [2, 3]
    getBackend().stridedCopy(Float32Array.from([1, 2, 3, 4, 5, 6]), 0, [3, 1], dst, 0, [3, 1], [2, 3], true);
    expect(Array.from(dst)).toEqual([2, 3, 4, 5, 6, 7]);
    // Summing the rows of [2, 3] into one row of 3: dst stride 0 on the outer axis.
    const row = new Float32Array(3);
    getBackend().stridedCopy(Float32Array.from([1, 2, 3, 4, 5, 6]), 0, [3, 1], row, 0, [0, 1], [2, 3], true);
    expect(Array.from(row)).toEqual([5, 7, 9]);
    // And along the innermost axis: every element of a row into one slot.
    const cols = new Float32Array(2);
    getBackend().stridedCopy(Float32Array.from([1, 2, 3, 4, 5, 6]), 0, [3, 1], cols, 0, [1, 0], [2, 3], true);
    expect(Array.from(cols)).toEqual([6, 15]);
  });

  it('handles rank 0, rank 4 and empty shapes', () => {
    const one = Float32Array.from([2]);
    getBackend().stridedCopy(Float32Array.from([3]), 0, [], one, 0, [], [], true);
    expect(one[0]).toBe(5);
    const src = Float32Array.from({ length: 24 }, (_, i) => i); // [2, 3, 2, 2]
    const dst = new Float32Array(24); // [2, 2, 3, 2]: dst[a, b, c, d] = src[b, c, d, a]
    getBackend().stridedCopy(src, 0, [1, 12, 4, 2], dst, 0, stridesOf([2, 2, 3, 2]), [2, 2, 3, 2], false);
    for (let a = 0; a < 2; a++) {
      for (let b = 0; b < 2; b++) {
        for (let c = 0; c < 3; c++) {
          for (let d = 0; d < 2; d++) expect(dst[((a * 2 + b) * 3 + c) * 2 + d]).toBe(src[b * 12 + c * 4 + d * 2 + a]);
        }
      }
    }
    const untouched = Float32Array.from([9]);
    getBackend().stridedCopy(new Float32Array(0), 0, [1, 1], untouched, 0, [1, 1], [0, 3], false);
    expect(untouched[0]).toBe(9);
  });
});
