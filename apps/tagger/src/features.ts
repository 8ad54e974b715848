import { type Tensor, tensor } from '@elman/core';
import { Vocabulary } from '@elman/text';

/** Word-shape classes (id 0 is padding): what a lower-cased word id no longer tells the tagger. */
export const SHAPES = ['<pad>', 'lower', 'Capitalised', 'UPPER', 'digit', 'other'] as const;

/** Shape class of a word: capitalisation, digits, or punctuation and symbols. */
export function wordShape(word: string): number {
  if (/\d/.test(word)) return 4;
  if (!/\p{L}/u.test(word)) return 5;
  if (word === word.toLowerCase()) return 1;
  return word === word.toUpperCase() && word.length > 1 ? 3 : 2;
}

/** The last three characters of a lower-cased word (the whole word when shorter), marked so "ing" ≠ "-ing". */
export function suffixOf(word: string): string {
  const w = word.toLowerCase();
  return w.length > 3 ? `-${w.slice(-3)}` : w;
}

/**
 * Turns words into the tagger's three input features per token: the lower-cased word id, its 3-letter suffix id and
 * its shape class. Vocabularies are built from the training sentences only; rarer words and suffixes are `<unk>`, so
 * the model learns to tag unknown words from suffix, shape and context.
 */
export class TokenFeatures {
  /** Lower-cased words seen at least `minCount` times in training. */
  readonly words: Vocabulary;
  /** Suffixes seen at least `minCount` times in training. */
  readonly suffixes: Vocabulary;

  /** Builds both vocabularies from the training sentences. */
  constructor(training: readonly (readonly string[])[], minCount: number) {
    const specials = ['<pad>', '<unk>'];
    this.words = Vocabulary.build(training.map((s) => s.map((w) => w.toLowerCase())), { minCount, specials });
    this.suffixes = Vocabulary.build(training.map((s) => s.map(suffixOf)), { minCount, specials });
  }

  /** `[t, 3]` int32 features of one sentence: word id, suffix id, shape id per token. */
  encode(words: readonly string[]): Tensor {
    const ids = new Int32Array(words.length * 3);
    words.forEach((w, i) => {
      ids[3 * i] = this.words.idOf(w.toLowerCase());
      ids[3 * i + 1] = this.suffixes.idOf(suffixOf(w));
      ids[3 * i + 2] = wordShape(w);
    });
    return tensor(ids, [words.length, 3]); // [t, 3]
  }
}
