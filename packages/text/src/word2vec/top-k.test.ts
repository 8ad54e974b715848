import { describe, expect, it } from 'vitest';
import { topK } from './top-k.js';

describe('topK', () => {
  const scores = Float32Array.of(9, 0.5, 0.9, 0.1, 0.9, 0.7, -1);

  it('returns the best indices first, ties by lower index, within an offset window', () => {
    expect(topK(scores, 1, 5, 3, () => false)).toEqual([1, 3, 4]); // 0.9 (index 1), 0.9 (index 3), 0.7
    expect(topK(scores, 0, 7, 1, () => false)).toEqual([0]);
    expect(topK(scores, 1, 6, 10, () => false)).toEqual([1, 3, 4, 0, 2, 5]);
  });

  it('leaves out skipped indices and returns nothing for k = 0', () => {
    expect(topK(scores, 1, 5, 2, (i) => i === 1)).toEqual([3, 4]);
    expect(topK(scores, 0, 7, 0, () => false)).toEqual([]);
  });
});
