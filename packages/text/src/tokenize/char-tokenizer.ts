import { ValueError } from '@elman/core';
import type { Normalization, Tokenizer } from './tokenizer.js';

/** Options of {@link CharTokenizer}. */
export interface CharTokenizerOptions {
  /** Lower-case the text first. Default false. */
  lowercase?: boolean;
  /**
   * `'codepoint'` (default): one token per Unicode code point, so a surrogate pair (emoji, rare CJK) stays whole;
   * `'grapheme'`: one token per user-perceived character (`Intl.Segmenter`), so `é` written as `e` + combining
   * accent, flags and emoji sequences stay whole.
   */
  unit?: 'codepoint' | 'grapheme';
  /** `'keep'` (default) or `'strip'` punctuation and symbols (anything not a letter, mark, digit or space). */
  punctuation?: 'keep' | 'strip';
  /** `'keep'` (default) every whitespace character, `'collapse'` each run into one space, or `'strip'` it. */
  whitespace?: 'keep' | 'collapse' | 'strip';
  /** Unicode normalisation applied first. Default `'NFC'`. */
  normalize?: Normalization;
}

const PUNCT_RE = /[^\s\p{L}\p{M}\p{N}]/gu;

/**
 * Character tokenizer for character-level language models: one token per code point or grapheme, with optional
 * lower-casing and punctuation/whitespace handling.
 *
 * @example
 * ```ts run
 * import { CharTokenizer } from '@elman/text';
 *
 * console.log(new CharTokenizer().tokenize('naïve 🐳')); // ['n', 'a', 'ï', 'v', 'e', ' ', '🐳']: code points
 * const chars = new CharTokenizer({ lowercase: true, whitespace: 'collapse' });
 * console.log(chars.tokenize('Call  me\nIshmael').join('')); // 'call me ishmael'
 * ```
 */
export class CharTokenizer implements Tokenizer {
  /** Whether the text is lower-cased. */
  readonly lowercase: boolean;
  /** Token unit. */
  readonly unit: 'codepoint' | 'grapheme';
  /** Punctuation handling. */
  readonly punctuation: 'keep' | 'strip';
  /** Whitespace handling. */
  readonly whitespace: 'keep' | 'collapse' | 'strip';
  /** The Unicode normalisation applied first. */
  readonly normalize: Normalization;
  private readonly segmenter: Intl.Segmenter | null;

  /** Creates a tokenizer; see {@link CharTokenizerOptions}. */
  constructor(options: CharTokenizerOptions = {}) {
    this.lowercase = options.lowercase ?? false;
    this.unit = checkMode('unit', options.unit ?? 'codepoint', ['codepoint', 'grapheme']);
    this.punctuation = checkMode('punctuation', options.punctuation ?? 'keep', ['keep', 'strip']);
    this.whitespace = checkMode('whitespace', options.whitespace ?? 'keep', ['keep', 'collapse', 'strip']);
    this.normalize = options.normalize ?? 'NFC';
    this.segmenter = this.unit === 'grapheme' ? new Intl.Segmenter(undefined, { granularity: 'grapheme' }) : null;
  }

  /** Splits `text` into characters. */
  tokenize(text: string): string[] {
    let s = this.normalize === false ? text : text.normalize(this.normalize);
    if (this.lowercase) s = s.toLowerCase();
    if (this.punctuation === 'strip') s = s.replace(PUNCT_RE, '');
    if (this.whitespace === 'collapse') s = s.replace(/\s+/gu, ' ');
    else if (this.whitespace === 'strip') s = s.replace(/\s+/gu, '');
    if (this.segmenter === null) return Array.from(s);
    const out: string[] = [];
    for (const seg of this.segmenter.segment(s)) out.push(seg.segment);
    return out;
  }
}

function checkMode<T extends string>(name: string, value: T, allowed: readonly T[]): T {
  if (!allowed.includes(value)) {
    throw new ValueError(`CharTokenizer: ${name} must be one of ${allowed.join(', ')}, got '${value}'`);
  }
  return value;
}
