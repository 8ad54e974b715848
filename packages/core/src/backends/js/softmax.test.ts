import { beforeAll, describe, expect, it } from 'vitest';
import { testBackends, useBackend } from '../../testing/index.js';
import { getBackend } from '../registry.js';

describe.each(testBackends())('softmax kernel (%s)', (backend) => {
  beforeAll(() => useBackend(backend));
  const inf = Number.POSITIVE_INFINITY;

  it('normalises along a strided middle axis', () => {
    const x = Float32Array.from([0, 1, Math.log(3), 1, 0, 1]); // [1, 3, 2]: columns [0, ln3, 0] and [1, 1, 1]
    const out = new Float32Array(6);
    getBackend().softmax(x, 1, 3, 2, false, out);
    const want = [0.2, 1 / 3, 0.6, 1 / 3, 0.2, 1 / 3];
    out.forEach((v, i) => {
      expect(v).toBeCloseTo(want[i]!, 6);
    });
    getBackend().softmax(x, 1, 3, 2, true, out);
    out.forEach((v, i) => {
      expect(v).toBeCloseTo(Math.log(want[i]!), 6);
    });
  });

  it('gives NaN for a row of all −Infinity (fully masked), like torch, and exact zeros for masked entries', () => {
    const x = Float32Array.from([-inf, -inf, -inf, -inf, 0, -inf]);
    const out = new Float32Array(6);
    getBackend().softmax(x, 2, 3, 1, false, out);
    expect(Array.from(out.slice(0, 3)).every(Number.isNaN)).toBe(true);
    expect(Array.from(out.slice(3))).toEqual([0, 1, 0]);
    getBackend().softmax(x, 2, 3, 1, true, out);
    expect(Array.from(out.slice(0, 3)).every(Number.isNaN)).toBe(true);
    expect(Array.from(out.slice(3))).toEqual([-inf, 0, -inf]);
  });

  it('propagates NaN and stays finite for huge inputs', () => {
    const out = new Float32Array(3);
    getBackend().softmax(Float32Array.from([1, Number.NaN, 2]), 1, 3, 1, false, out);
    expect(Array.from(out).every(Number.isNaN)).toBe(true);
    getBackend().softmax(Float32Array.from([3e38, 3e38, -3e38]), 1, 3, 1, false, out);
    expect(Array.from(out)).toEqual([0.5, 0.5, 0]);
  });
});
