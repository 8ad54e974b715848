import { ValueError } from '@elman/core';
import { describe, expect, it } from 'vitest';
import { CharTokenizer } from './char-tokenizer.js';

describe('CharTokenizer', () => {
  it('splits into code points, keeping surrogate pairs whole', () => {
    expect(new CharTokenizer().tokenize('ab 🐳𝄞')).toEqual(['a', 'b', ' ', '🐳', '𝄞']);
  });

  it('splits into graphemes on request: combining marks, flags and emoji sequences stay whole', () => {
    const text = 'e\u0301🇫🇷👩‍👩‍👧';
    expect(new CharTokenizer({ unit: 'grapheme', normalize: false }).tokenize(text)).toEqual(['e\u0301', '🇫🇷', '👩‍👩‍👧']);
    // Code points break the same text apart.
    expect(new CharTokenizer({ normalize: false }).tokenize(text).length).toBe(2 + 2 + 5);
  });

  it('normalises to NFC first', () => {
    expect(new CharTokenizer().tokenize('e\u0301')).toEqual(['\u00e9']);
  });

  it('lower-cases, strips punctuation, and keeps, collapses or strips whitespace', () => {
    const text = 'Hi,  Bob!\n';
    expect(new CharTokenizer({ lowercase: true }).tokenize(text).join('')).toBe('hi,  bob!\n');
    expect(new CharTokenizer({ punctuation: 'strip' }).tokenize(text).join('')).toBe('Hi  Bob\n');
    expect(new CharTokenizer({ whitespace: 'collapse' }).tokenize(text)).toEqual(['H', 'i', ',', ' ', 'B', 'o', 'b', '!', ' ']);
    expect(new CharTokenizer({ whitespace: 'strip', punctuation: 'strip' }).tokenize(text)).toEqual(['H', 'i', 'B', 'o', 'b']);
  });

  it('rejects unknown modes with the option name', () => {
    expect(() => new CharTokenizer({ unit: 'byte' as never })).toThrow(ValueError);
    expect(() => new CharTokenizer({ whitespace: 'trim' as never })).toThrow(/CharTokenizer: whitespace must be one of keep, collapse, strip, got 'trim'/);
    expect(() => new CharTokenizer({ punctuation: 'split' as never })).toThrow(/punctuation/);
  });
});
