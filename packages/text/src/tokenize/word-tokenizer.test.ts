import { ValueError } from '@elman/core';
import { describe, expect, it } from 'vitest';
import { WordTokenizer } from './word-tokenizer.js';

describe('WordTokenizer', () => {
  it("splits punctuation into tokens of its own by default", () => {
    expect(new WordTokenizer().tokenize('Call me Ishmael. Some years ago—never mind how long!')).toEqual([
      'Call', 'me', 'Ishmael', '.', 'Some', 'years', 'ago', '—', 'never', 'mind', 'how', 'long', '!',
    ]);
  });

  it('strips punctuation, or keeps it attached (whitespace split)', () => {
    const text = 'Hello, world! (It works.)';
    expect(new WordTokenizer({ punctuation: 'strip' }).tokenize(text)).toEqual(['Hello', 'world', 'It', 'works']);
    expect(new WordTokenizer({ punctuation: 'keep' }).tokenize(text)).toEqual(['Hello,', 'world!', '(It', 'works.)']);
  });

  it('keeps inner apostrophes and hyphens, but not leading or trailing ones', () => {
    expect(new WordTokenizer().tokenize("don't o’clock well-known 'quoted' -dash")).toEqual([
      "don't", 'o’clock', 'well-known', "'", 'quoted', "'", '-', 'dash',
    ]);
  });

  it('lower-cases when asked, in any script', () => {
    expect(new WordTokenizer({ lowercase: true }).tokenize('ÉCOLE Straße ΟΔΥΣΣΕΙΑ Москва')).toEqual([
      'école', 'straße', 'οδυσσεια', 'москва',
    ]);
    expect(new WordTokenizer().tokenize('ÉCOLE')).toEqual(['ÉCOLE']);
  });

  it('is Unicode-aware: letters, marks and digits of any script form words', () => {
    expect(new WordTokenizer().tokenize('naïve café 東京 3.14 ١٢٣ कि')).toEqual(['naïve', 'café', '東京', '3', '.', '14', '١٢٣', 'कि']);
    // Symbols and emoji are not words: each is a token of its own in split mode.
    expect(new WordTokenizer().tokenize('a+b=c 🐳')).toEqual(['a', '+', 'b', '=', 'c', '🐳']);
  });

  it('normalises to NFC first, so composed and decomposed accents give the same token', () => {
    const decomposed = 'cafe\u0301';
    expect(new WordTokenizer().tokenize(decomposed)).toEqual(['caf\u00e9']);
    expect(new WordTokenizer({ normalize: false }).tokenize(decomposed)).toEqual([decomposed]);
    expect(new WordTokenizer({ normalize: 'NFKC' }).tokenize('ﬁne')).toEqual(['fine']);
  });

  it('returns no tokens for empty or blank text', () => {
    expect(new WordTokenizer().tokenize('')).toEqual([]);
    expect(new WordTokenizer({ punctuation: 'strip' }).tokenize(' \n\t... ')).toEqual([]);
  });

  it('rejects an unknown punctuation mode', () => {
    expect(() => new WordTokenizer({ punctuation: 'drop' as never })).toThrow(ValueError);
    expect(() => new WordTokenizer({ punctuation: 'drop' as never })).toThrow(/WordTokenizer: punctuation must be one of split, strip, keep, got 'drop'/);
  });
});
