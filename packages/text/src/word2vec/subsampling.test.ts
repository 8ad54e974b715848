import { describe, expect, it } from 'vitest';
import { keepProbabilities, keepProbability } from './subsampling.js';

describe('keepProbability', () => {
  it("is word2vec.c's (√(f / t) + 1) · t / f with t = sample · total", () => {
    // t = 1e-3 · 1e6 = 1000.
    expect(keepProbability(100_000, 1e6, 1e-3)).toBeCloseTo((Math.sqrt(100) + 1) * 0.01, 15); // 0.11
    expect(keepProbability(4000, 1e6, 1e-3)).toBeCloseTo(0.75, 15); // (2 + 1) · 0.25
    expect(keepProbability(1000, 1e6, 1e-3)).toBeCloseTo(2, 15); // ≥ 1: always kept
  });

  it('keeps rare words always, discards frequent ones more the more frequent they are', () => {
    const p = keepProbabilities([1e6, 1e5, 1e4, 1e3, 10], 2e6, 1e-4);
    for (let i = 1; i < p.length; i++) expect(p[i]).toBeGreaterThan(p[i - 1]!);
    expect(p[4]).toBeGreaterThan(1);
    expect(p[0]).toBeLessThan(0.02);
  });

  it('is 1 (off) when sample is 0', () => {
    expect(keepProbability(1e6, 1e6, 0)).toBe(1);
  });
});
