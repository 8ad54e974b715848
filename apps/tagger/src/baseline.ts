import type { TaggedSentence } from './brown.js';
import type { UniversalTag } from './universal-tags.js';

/**
 * The most-frequent-tag baseline: each (lower-cased) training word gets the tag it carries most often in training;
 * a word never seen in training gets the most frequent tag overall.
 */
export class MostFrequentTag {
  readonly #byWord = new Map<string, UniversalTag>();
  /** The overall most frequent training tag, used for unseen words. */
  readonly fallback: UniversalTag;

  /** Counts the tags of every training word. */
  constructor(training: readonly TaggedSentence[]) {
    const counts = new Map<string, Map<UniversalTag, number>>();
    const overall = new Map<UniversalTag, number>();
    for (const s of training) {
      s.words.forEach((w, i) => {
        const tag = s.tags[i]!;
        const key = w.toLowerCase();
        let c = counts.get(key);
        if (!c) counts.set(key, (c = new Map()));
        c.set(tag, (c.get(tag) ?? 0) + 1);
        overall.set(tag, (overall.get(tag) ?? 0) + 1);
      });
    }
    // Ties go to the tag met first, so the result does not depend on Map iteration subtleties.
    const best = (c: Map<UniversalTag, number>): UniversalTag => [...c].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
    for (const [word, c] of counts) this.#byWord.set(word, best(c));
    this.fallback = best(overall);
  }

  /** Whether the word was seen in training. */
  knows(word: string): boolean {
    return this.#byWord.has(word.toLowerCase());
  }

  /** The baseline's tag for `word`. */
  tag(word: string): UniversalTag {
    return this.#byWord.get(word.toLowerCase()) ?? this.fallback;
  }
}
