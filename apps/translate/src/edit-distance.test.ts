import { describe, expect, it } from 'vitest';
import { editDistance, errorRates } from './edit-distance.js';

describe('edit distance, WER and PER', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance([...'kitten'], [...'sitting'])).toBe(3);
    expect(editDistance([], ['A'])).toBe(1);
    expect(editDistance(['K', 'AE1', 'T'], ['K', 'AE1', 'T'])).toBe(0);
    expect(editDistance(['K', 'AE1', 'T'], ['K', 'AH0', 'T', 'S'])).toBe(2);
  });

  it('scores each word against its closest reference', () => {
    const r = errorRates(
      [['T', 'AH0', 'M', 'EY1', 'T', 'OW2'], ['K', 'AE1', 'T']],
      [[['T', 'AH0', 'M', 'AA1', 'T', 'OW2'], ['T', 'AH0', 'M', 'EY1', 'T', 'OW2']], [['K', 'AE1', 'T', 'S']]],
    );
    expect(r.wer).toBe(0.5);
    expect(r.per).toBeCloseTo(1 / 10, 12);
    expect(() => errorRates([], [])).toThrow(/errorRates: need as many predictions/);
  });
});
