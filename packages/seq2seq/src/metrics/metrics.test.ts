import { ValueError } from '@elman/core';
import { describe, expect, it } from 'vitest';
import { exactMatch, tokenAccuracy } from './accuracy.js';
import { corpusBleu } from './bleu.js';

describe('corpusBleu (Papineni et al. 2002), checked against hand-computed values', () => {
  it('clips unigram counts by the reference maximum (the paper’s "the the the …" example: p₁ = 2/7)', () => {
    const cand = 'the the the the the the the'.split(' ');
    const refs = ['the cat is on the mat'.split(' '), 'there is a cat on the mat'.split(' ')];
    const r = corpusBleu([cand], [refs], { maxOrder: 1 });
    expect(r.precisions[0]).toBeCloseTo(2 / 7, 12);
    expect(r.referenceLength).toBe(7); // the reference closest in length
    expect(r.brevityPenalty).toBe(1);
    expect(r.bleu).toBeCloseTo(2 / 7, 12);
  });

  it('sums n-gram counts over the corpus before dividing, with the brevity penalty', () => {
    const r = corpusBleu(
      [['a', 'b', 'c', 'd', 'x'], ['a', 'b', 'c', 'd', 'e']],
      [[['a', 'b', 'c', 'd', 'e']], [['a', 'b', 'c', 'd', 'e', 'f', 'g']]],
    );
    // p₁ = (4+5)/10, p₂ = (3+4)/8, p₃ = (2+3)/6, p₄ = (1+2)/4; c = 10, r = 12, BP = e^(1−12/10).
    const expected = [0.9, 7 / 8, 5 / 6, 3 / 4];
    for (const [i, p] of r.precisions.entries()) expect(p).toBeCloseTo(expected[i]!, 12);
    expect(r.brevityPenalty).toBeCloseTo(Math.exp(-0.2), 12);
    expect(r.bleu).toBeCloseTo(Math.exp(-0.2) * (0.9 * (7 / 8) * (5 / 6) * (3 / 4)) ** 0.25, 12);
  });

  it('is 1 for identical corpora, 0 when an order has no match, and works on ids', () => {
    expect(corpusBleu([[1, 2, 3, 4, 5]], [[[1, 2, 3, 4, 5]]]).bleu).toBe(1);
    expect(corpusBleu([[1, 2, 3]], [[[3, 2, 1]]]).bleu).toBe(0);
  });

  it('rejects mismatched or empty inputs', () => {
    expect(() => corpusBleu([[1]], [])).toThrow(/1 candidates but 0 reference sets/);
    expect(() => corpusBleu([], [])).toThrow(ValueError);
    expect(() => corpusBleu([[1]], [[]])).toThrow(/candidate 0 has no reference/);
    expect(() => corpusBleu([[1]], [[[1]]], { maxOrder: 0 })).toThrow(ValueError);
  });
});

describe('tokenAccuracy and exactMatch', () => {
  it('count position-wise matches and whole-sequence matches', () => {
    const pred = [[1, 2, 3], [4, 5], [7]];
    const ref = [[1, 2, 3], [4, 6], [7, 8, 9]];
    // 3 + 1 + 1 correct of max lengths 3 + 2 + 3.
    expect(tokenAccuracy(pred, ref)).toBeCloseTo(5 / 8, 12);
    expect(exactMatch(pred, ref)).toBeCloseTo(1 / 3, 12);
    expect(exactMatch([[1, 2, 0, 0]], [[1, 2]], { ignore: [0] })).toBe(1);
    expect(tokenAccuracy([[1, 2, 9]], [[1, 2]])).toBeCloseTo(2 / 3, 12);
  });

  it('rejects mismatched or empty inputs', () => {
    expect(() => tokenAccuracy([[1]], [])).toThrow(/1 predictions but 0 references/);
    expect(() => exactMatch([], [])).toThrow(ValueError);
    expect(() => tokenAccuracy([[]], [[]])).toThrow(/every sequence is empty/);
  });
});
