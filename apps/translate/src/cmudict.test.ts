import { describe, expect, it } from 'vitest';
import { loadCmudict, splitG2P } from './cmudict.js';

describe('CMUdict loading', () => {
  const entries = loadCmudict();

  it('reads ~125 k letter-only words with their alternates folded in', () => {
    expect(entries.length).toBeGreaterThan(120_000);
    const byWord = new Map(entries.map((e) => [e.word, e.pronunciations]));
    expect(byWord.get('aachen')).toEqual([['AA1', 'K', 'AH0', 'N']]);
    expect(byWord.get('a')).toEqual([['AH0'], ['EY1']]);
    expect(byWord.has('a42128')).toBe(false);
    expect(byWord.has('a.')).toBe(false);
  });

  it('holds out a seeded 5 % of the words, disjoint from training', () => {
    const a = splitG2P(entries, 0.05, 1);
    expect(a.test.length).toBe(Math.round(entries.length * 0.05));
    expect(a.train.length + a.test.length).toBe(entries.length);
    const train = new Set(a.train.map((e) => e.word));
    expect(a.test.some((e) => train.has(e.word))).toBe(false);
    expect(splitG2P(entries, 0.05, 1).test.slice(0, 5)).toEqual(a.test.slice(0, 5));
    expect(splitG2P(entries, 0.05, 2).test.slice(0, 5)).not.toEqual(a.test.slice(0, 5));
    expect(() => splitG2P(entries, 0, 1)).toThrow(/testFraction must be in \(0, 1\)/);
  });
});
