import { ValueError } from '@elman/core';
import { describe, expect, it } from 'vitest';
import { loadBrown } from './brown.js';
import { UNIVERSAL_TAGS, toUniversalTag } from './universal-tags.js';

describe('Brown → universal tags', () => {
  it('maps base tags and their title/headline/cited, negated, possessive and contracted forms', () => {
    expect(toUniversalTag('nn')).toBe('NOUN');
    expect(toUniversalTag('np-tl')).toBe('NOUN');
    expect(toUniversalTag('nn-tl-hl')).toBe('NOUN');
    expect(toUniversalTag('nn$')).toBe('NOUN');
    expect(toUniversalTag('pp$')).toBe('DET');
    expect(toUniversalTag('bedz*')).toBe('VERB');
    expect(toUniversalTag('*')).toBe('ADV');
    expect(toUniversalTag('ppss+md')).toBe('PRON');
    expect(toUniversalTag('fw-in+at-tl')).toBe('X');
    expect(toUniversalTag('---hl')).toBe('.');
    expect(toUniversalTag('cs')).toBe('ADP');
    expect(toUniversalTag('TO')).toBe('PRT');
  });

  it('rejects an unknown tag with a ValueError naming it', () => {
    expect(() => toUniversalTag('zz')).toThrow(ValueError);
    expect(() => toUniversalTag('zz')).toThrow("toUniversalTag: unknown Brown tag 'zz'");
  });

  it('covers every tag of the corpus: 57,340 sentences, 1,161,192 tokens, all 12 tags used', () => {
    const corpus = loadBrown();
    expect(corpus).toHaveLength(57340);
    const counts = new Map<string, number>();
    let tokens = 0;
    for (const s of corpus) {
      expect(s.tags).toHaveLength(s.words.length);
      for (const t of s.tags) counts.set(t, (counts.get(t) ?? 0) + 1);
      tokens += s.words.length;
    }
    expect(tokens).toBe(1161192);
    expect([...counts.keys()].sort()).toEqual([...UNIVERSAL_TAGS].sort());
    expect(corpus[0]!.words.slice(0, 4)).toEqual(['The', 'Fulton', 'County', 'Grand']);
    expect(corpus[0]!.tags.slice(0, 4)).toEqual(['DET', 'NOUN', 'NOUN', 'ADJ']); // Grand/jj-tl
  });
});
