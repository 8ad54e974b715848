import { SerializationError, ValueError } from '@elman/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SPECIALS, Vocabulary } from './vocabulary.js';

const corpus = [
  ['the', 'cat', 'sat', 'on', 'the', 'mat'],
  ['the', 'dog', 'sat'],
  ['a', 'cat', 'and', 'a', 'dog'],
];

describe('Vocabulary', () => {
  it('puts the specials <pad> <unk> <s> </s> at ids 0..3, then tokens by decreasing count', () => {
    const v = Vocabulary.build(corpus);
    expect(v.tokens.slice(0, 4)).toEqual(['<pad>', '<unk>', '<s>', '</s>']);
    expect([v.padId, v.unkId, v.bosId, v.eosId]).toEqual([0, 1, 2, 3]);
    // the ×3; a, cat, dog, sat ×2 (ties in code-unit order); and, mat, on ×1.
    expect(v.tokens.slice(4)).toEqual(['the', 'a', 'cat', 'dog', 'sat', 'and', 'mat', 'on']);
    expect(v.count('the')).toBe(3);
    expect(v.count('<pad>')).toBe(0);
    expect(v.size).toBe(12);
    expect(v.specials).toEqual(DEFAULT_SPECIALS);
  });

  it('breaks ties the same way whatever the input order', () => {
    const reversed = Vocabulary.build(corpus.map((s) => [...s].reverse()).reverse());
    expect(reversed.tokens).toEqual(Vocabulary.build(corpus).tokens);
    expect(Vocabulary.fromCounts({ b: 1, a: 1, B: 1 }, { specials: [] }).tokens).toEqual(['B', 'a', 'b']);
  });

  it('drops tokens below minCount and truncates to maxSize (specials included)', () => {
    expect(Vocabulary.build(corpus, { minCount: 2 }).tokens.slice(4)).toEqual(['the', 'a', 'cat', 'dog', 'sat']);
    const small = Vocabulary.build(corpus, { maxSize: 6 });
    expect(small.size).toBe(6);
    expect(small.tokens.slice(4)).toEqual(['the', 'a']);
    expect(() => Vocabulary.build(corpus, { maxSize: 3 })).toThrow(/maxSize 3 is smaller than the 4 specials/);
    expect(() => Vocabulary.build(corpus, { minCount: -1 })).toThrow(ValueError);
  });

  it('encodes unknown tokens as <unk>, with optional <s> and </s>, and decodes back', () => {
    const v = Vocabulary.build(corpus);
    const ids = v.encode(['the', 'cat', 'flew'], { addBos: true, addEos: true });
    expect(ids).toEqual([2, 4, 6, 1, 3]);
    expect(v.decode(ids)).toEqual(['<s>', 'the', 'cat', '<unk>', '</s>']);
    expect(v.decode(ids, { skipSpecials: true })).toEqual(['the', 'cat']);
    expect(v.idOf('flew')).toBe(1);
    expect(v.has('flew')).toBe(false);
    expect(v.tokenOf(5)).toBe('a');
  });

  it('rejects out-of-range ids with the position', () => {
    const v = Vocabulary.build(corpus);
    expect(() => v.decode([4, 12])).toThrow(/Vocabulary.decode: id 12 at position 1 is out of range \[0, 12\)/);
    expect(() => v.decode([1.5])).toThrow(ValueError);
    expect(() => v.tokenOf(-1)).toThrow(ValueError);
  });

  it('without an unknown token, encoding an unknown word is an error', () => {
    const v = Vocabulary.build(corpus, { specials: [] });
    expect(v.unkId).toBeNull();
    expect(v.padId).toBeNull();
    expect(v.tokens[0]).toBe('the');
    expect(() => v.encode(['zebra'])).toThrow(/unknown token 'zebra' and no unkToken/);
    expect(() => v.encode(['the'], { addEos: true })).toThrow(/addEos needs a '<\/s>' token/);
  });

  it('accepts custom specials and unknown token', () => {
    const v = new Vocabulary(['x', 'y'], { specials: ['[PAD]', '[UNK]'], unkToken: '[UNK]' });
    expect(v.encode(['y', 'z'])).toEqual([3, 1]);
    expect(() => new Vocabulary(['x'], { specials: ['<pad>'], unkToken: '<unk>' })).toThrow(/unkToken '<unk>' must be one of the specials/);
    expect(() => new Vocabulary(['x', 'x'])).toThrow(/duplicate token 'x' at id 5/);
    expect(() => new Vocabulary(['<pad>'])).toThrow(/duplicate token '<pad>'/);
    expect(() => new Vocabulary(['x'], {}, [1, 2])).toThrow(/2 counts for 1 tokens/);
  });

  it('rejects a string where a token array is expected', () => {
    expect(() => Vocabulary.build(['the cat'] as never)).toThrow(/each document must be a token array/);
  });

  it('round-trips through JSON', () => {
    const v = Vocabulary.build(corpus, { minCount: 2 });
    const back = Vocabulary.fromJSON(JSON.stringify(v));
    expect(back.tokens).toEqual(v.tokens);
    expect(back.unkId).toBe(v.unkId);
    expect(back.numSpecials).toBe(4);
    expect(back.count('the')).toBe(3);
    const plain = Vocabulary.fromJSON(new Vocabulary(['a'], { specials: [] }).toJSON());
    expect(plain.unkToken).toBeNull();
    expect(plain.count('a')).toBe(0);
  });

  it('rejects malformed JSON with a SerializationError', () => {
    expect(() => Vocabulary.fromJSON('{not json')).toThrow(SerializationError);
    expect(() => Vocabulary.fromJSON('{"tokens": [1, 2]}')).toThrow(/string array "tokens"/);
    expect(() => Vocabulary.fromJSON('{"tokens": ["a"], "numSpecials": 2, "unkToken": null}')).toThrow(/numSpecials 2/);
    expect(() => Vocabulary.fromJSON('{"tokens": ["a", "a"], "numSpecials": 0, "unkToken": null}')).toThrow(SerializationError);
    expect(() => Vocabulary.fromJSON('{"tokens": ["a"], "numSpecials": 0, "unkToken": "<unk>"}')).toThrow(/unkToken '<unk>'/);
    expect(() => Vocabulary.fromJSON('{"tokens": ["a"], "numSpecials": 0, "unkToken": null, "counts": [1, 2]}')).toThrow(/counts/);
  });
});
