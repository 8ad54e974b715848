import { ValueError } from '@elman/core';
import { describe, expect, it } from 'vitest';
import { mix32, sampleNoise } from './kernel.js';
import { buildNoiseTable } from './noise-table.js';

const counts = [5000, 1200, 800, 300, 100, 40, 10, 5, 2, 1];

function unigramPow(c: number[], power: number): number[] {
  const w = c.map((x) => x ** power);
  const z = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / z);
}

describe('buildNoiseTable', () => {
  it('encodes exactly count^0.75 / Σ count^0.75', () => {
    const { prob, alias } = buildNoiseTable(counts);
    const V = counts.length;
    // P(i) = (prob[i] + Σ_{j: alias[j] = i} (1 − prob[j])) / V for an alias table.
    const implied = new Float64Array(V);
    for (let j = 0; j < V; j++) {
      implied[j]! += prob[j]! / V;
      implied[alias[j]!]! += (1 - prob[j]!) / V;
    }
    const expected = unigramPow(counts, 0.75);
    for (let i = 0; i < V; i++) expect(implied[i]).toBeCloseTo(expected[i]!, 14);
  });

  it('draws words with empirical frequencies ∝ count^0.75 (through the training loop sampler)', () => {
    const { prob, alias } = buildNoiseTable(counts);
    const V = counts.length;
    const N = 1_000_000;
    const hits = new Float64Array(V);
    let counter = 12345;
    for (let n = 0; n < N; n++) {
      counter = (counter + 0x9e3779b9) | 0;
      const r1 = mix32(counter);
      counter = (counter + 0x9e3779b9) | 0;
      hits[sampleNoise(prob, alias, V, r1, mix32(counter))]! += 1;
    }
    const p = unigramPow(counts, 0.75);
    let chi2 = 0;
    for (let i = 0; i < V; i++) {
      // Each frequency within 5 binomial standard deviations.
      expect(Math.abs(hits[i]! / N - p[i]!)).toBeLessThan(5 * Math.sqrt((p[i]! * (1 - p[i]!)) / N));
      chi2 += (hits[i]! - N * p[i]!) ** 2 / (N * p[i]!);
    }
    // χ² with 9 degrees of freedom: 27.9 is its 0.999 quantile.
    expect(chi2).toBeLessThan(27.9);
    // The 0.75 power flattens the distribution: the most frequent word is drawn less often than its unigram share.
    expect(hits[0]! / N).toBeLessThan(unigramPow(counts, 1)[0]! - 0.05);
  });

  it('rejects an empty vocabulary and non-positive counts', () => {
    expect(() => buildNoiseTable([])).toThrow(ValueError);
    expect(() => buildNoiseTable([3, 0])).toThrow(/count of word 1 is 0/);
  });
});
