import { describe, expect, it } from 'vitest';
import { MostFrequentTag } from './baseline.js';
import { SHAPES, TokenFeatures, suffixOf, wordShape } from './features.js';

describe('tagger features', () => {
  it('classifies word shapes and takes 3-letter suffixes', () => {
    expect(['the', 'Fulton', 'NATO', 'A', '1913', ',', "don't"].map((w) => SHAPES[wordShape(w)])).toEqual([
      'lower', 'Capitalised', 'UPPER', 'Capitalised', 'digit', 'other', 'lower',
    ]);
    expect(suffixOf('Running')).toBe('-ing');
    expect(suffixOf('ing')).toBe('ing');
  });

  it('encodes a sentence as [t, 3] ids, unseen words and suffixes as <unk>', () => {
    const f = new TokenFeatures([['the', 'dog', 'runs'], ['The', 'cat', 'runs']], 2);
    const x = f.encode(['The', 'zebra', 'runs']);
    expect(x.shape).toEqual([3, 3]);
    const ids = Array.from(x.data);
    expect(f.words.tokenOf(ids[0]!)).toBe('the');
    expect(ids[3]).toBe(f.words.unkId); // "zebra" never seen
    expect(f.suffixes.tokenOf(ids[7]!)).toBe('-uns');
    expect(ids[5]).toBe(1); // lower-case shape
  });

  it('the baseline tags a word with its most frequent training tag, unseen words with the overall one', () => {
    const b = new MostFrequentTag([
      { words: ['Can', 'you', 'can', 'it'], tags: ['VERB', 'PRON', 'VERB', 'PRON'] },
      { words: ['a', 'can', 'dog'], tags: ['DET', 'NOUN', 'NOUN'] },
      { words: ['dog'], tags: ['NOUN'] },
    ]);
    expect(b.tag('can')).toBe('VERB');
    expect(b.tag('CAN')).toBe('VERB');
    expect(b.knows('zebra')).toBe(false);
    expect(b.tag('zebra')).toBe('NOUN');
  });
});
