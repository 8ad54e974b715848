import { ValueError } from '@elman/core';
import type { Normalization, Tokenizer } from './tokenizer.js';

/** What {@link WordTokenizer} does with punctuation and symbols. */
export type PunctuationMode = 'split' | 'strip' | 'keep';

/** Options of {@link WordTokenizer}. */
export interface WordTokenizerOptions {
  /** Lower-case every token (`String.prototype.toLowerCase`, locale-independent). Default false. */
  lowercase?: boolean;
  /**
   * `'split'` (default): each punctuation mark or symbol is a token of its own (`"Hi!"` → `Hi`, `!`);
   * `'strip'`: punctuation and symbols are dropped (`"Hi!"` → `Hi`);
   * `'keep'`: split on whitespace only, punctuation stays attached (`"Hi!"` → `Hi!`).
   */
  punctuation?: PunctuationMode;
  /** Unicode normalisation applied first, so composed and decomposed accents give the same token. Default `'NFC'`. */
  normalize?: Normalization;
}

const PUNCTUATION_MODES: readonly PunctuationMode[] = ['split', 'strip', 'keep'];

// A word is a run of letters, combining marks and digits; an apostrophe or hyphen between two such runs joins them
// ("don't", "well-known", "o’clock"). Everything else that is not whitespace is punctuation or a symbol.
const WORD = "[\\p{L}\\p{M}\\p{N}]+(?:['’\\-][\\p{L}\\p{M}\\p{N}]+)*";
const SPLIT_RE = new RegExp(`${WORD}|[^\\s\\p{L}\\p{M}\\p{N}]`, 'gu');
const STRIP_RE = new RegExp(WORD, 'gu');
const KEEP_RE = /\S+/gu;

/**
 * Unicode-aware word tokenizer: words are runs of letters (`\p{L}`), marks (`\p{M}`) and digits (`\p{N}`) in any
 * script, with inner apostrophes and hyphens kept; punctuation is split off, stripped, or kept attached.
 *
 * @example
 * ```ts run
 * import { WordTokenizer } from '@elman/text';
 *
 * const split = new WordTokenizer({ lowercase: true }); // punctuation split off (the default)
 * console.log(split.tokenize('Call me Ishmael. Some years ago—')); // ['call', 'me', 'ishmael', '.', 'some', 'years', 'ago', '—']
 * const strip = new WordTokenizer({ punctuation: 'strip' });
 * console.log(strip.tokenize("Don't panic, it's Zürich!")); // ["Don't", 'panic', "it's", 'Zürich']
 * ```
 */
export class WordTokenizer implements Tokenizer {
  /** Whether tokens are lower-cased. */
  readonly lowercase: boolean;
  /** The punctuation mode. */
  readonly punctuation: PunctuationMode;
  /** The Unicode normalisation applied first. */
  readonly normalize: Normalization;
  private readonly re: RegExp;

  /** Creates a tokenizer; see {@link WordTokenizerOptions}. */
  constructor(options: WordTokenizerOptions = {}) {
    const punctuation = options.punctuation ?? 'split';
    if (!PUNCTUATION_MODES.includes(punctuation)) {
      throw new ValueError(`WordTokenizer: punctuation must be one of ${PUNCTUATION_MODES.join(', ')}, got '${punctuation}'`);
    }
    this.lowercase = options.lowercase ?? false;
    this.punctuation = punctuation;
    this.normalize = options.normalize ?? 'NFC';
    this.re = punctuation === 'split' ? SPLIT_RE : punctuation === 'strip' ? STRIP_RE : KEEP_RE;
  }

  /** Splits `text` into word (and, in `'split'` mode, punctuation) tokens. */
  tokenize(text: string): string[] {
    let s = this.normalize === false ? text : text.normalize(this.normalize);
    if (this.lowercase) s = s.toLowerCase();
    return s.match(this.re) ?? [];
  }
}
