import { ValueError } from '@elman/core';
import { describe, expect, it } from 'vitest';
import { ChunkBuilder, checkCorpus, tokensOf } from './corpus.js';

// Corpus plumbing only; no tensors.

describe('ChunkBuilder', () => {
  const index = new Map([
    ['a', 0],
    ['b', 1],
  ]);

  it('packs sentences of in-vocabulary ids, dropping unknown tokens and empty sentences', () => {
    const c = new ChunkBuilder(index, 10);
    expect(c.append(['a', 'x', 'b'], 0)).toBe(3);
    expect(c.append(['x', 'y'], 0)).toBe(2); // nothing known: no sentence
    expect(c.append(['b'], 0)).toBe(1);
    expect(Array.from(c.ids.subarray(0, c.length))).toEqual([0, 1, 1]);
    expect(Array.from(c.ends.subarray(0, c.sentences))).toEqual([2, 3]);
    expect(c.corpusWords).toBe(6);
    expect(c.full).toBe(false);
  });

  it('stops at capacity and resumes the sentence in the next chunk', () => {
    const c = new ChunkBuilder(index, 3);
    const tokens = ['a', 'b', 'a', 'b', 'x', 'a'];
    const at = c.append(tokens, 0);
    expect(at).toBe(3);
    expect(c.full).toBe(true);
    expect(Array.from(c.ends.subarray(0, c.sentences))).toEqual([3]);
    c.clear();
    expect(c.append(tokens, at)).toBe(6);
    expect(Array.from(c.ids.subarray(0, c.length))).toEqual([1, 0]);
    expect(c.corpusWords).toBe(6);
  });
});

describe('tokensOf and checkCorpus', () => {
  it('splits string sentences on any whitespace', () => {
    expect(tokensOf('op', '  the\tcat\r\nsat ')).toEqual(['the', 'cat', 'sat']);
    const tokens = ['a', 'b'];
    expect(tokensOf('op', tokens)).toBe(tokens);
    expect(() => tokensOf('op', 3 as never)).toThrow(/op: each sentence must be a string or an array of tokens, got number/);
  });

  it('tells sync from async corpora and refuses iterators when several passes are needed', () => {
    expect(checkCorpus('op', [['a']], 3)).toBe(true);
    expect(checkCorpus('op', new Set([['a']]), 3)).toBe(true);
    async function* gen() {
      yield ['a'];
    }
    expect(checkCorpus('op', { [Symbol.asyncIterator]: gen }, 3)).toBe(false);
    expect(checkCorpus('op', gen(), 1)).toBe(false);
    expect(() => checkCorpus('op', gen(), 2)).toThrow(/one-shot iterator/);
    expect(() => checkCorpus('op', [['a']].values(), 2)).toThrow(ValueError);
    expect(() => checkCorpus('op', 42, 1)).toThrow(/iterable or async iterable of sentences, got number/);
  });
});
