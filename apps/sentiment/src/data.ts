import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Generator, ValueError } from '@elman/core';

/** The three review sources of the `sentiment` package's labelled fixtures (Kotzias et al. 2015, UCI). */
export const SOURCES = ['imdb', 'amazon', 'yelp'] as const;

/** One labelled sentence. */
export interface LabelledSentence {
  /** The sentence as written. */
  text: string;
  /** 0 = negative, 1 = positive. */
  label: number;
  /** Which site the review comes from. */
  source: (typeof SOURCES)[number];
}

/**
 * The 3 × 1,000 labelled review sentences shipped as test fixtures of the `sentiment` npm package
 * (`test/fixtures/{imdb,amazon,yelp}.json`). Each file ends with an empty record (`{"text": "", "class": null}`),
 * which is dropped.
 */
export function loadSentences(): LabelledSentence[] {
  const require = createRequire(import.meta.url);
  const root = require.resolve('sentiment/package.json').replace(/package\.json$/, '');
  const out: LabelledSentence[] = [];
  for (const source of SOURCES) {
    const records = JSON.parse(readFileSync(`${root}test/fixtures/${source}.json`, 'utf8')) as { text: string; class: number | null }[];
    for (const r of records) {
      if (r.class === null || r.text.trim() === '') continue;
      out.push({ text: r.text.trim(), label: r.class, source });
    }
  }
  return out;
}

/** A held-out split of labelled items. */
export interface Split<T> {
  /** Items to train on. */
  train: T[];
  /** Held-out items, never seen in training. */
  test: T[];
}

/**
 * Stratified, seeded hold-out split: within every stratum (e.g. source × label) a fraction `testFraction` of the
 * items, chosen by a seeded shuffle, is held out, so the held-out set has the same class and source balance.
 */
export function stratifiedSplit<T>(items: readonly T[], stratum: (item: T) => string, testFraction: number, seed: number): Split<T> {
  if (!(testFraction > 0 && testFraction < 1)) throw new ValueError(`stratifiedSplit: testFraction must be in (0, 1), got ${testFraction}`);
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = stratum(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  const gen = new Generator(seed);
  const split: Split<T> = { train: [], test: [] };
  for (const key of [...groups.keys()].sort()) {
    const group = groups.get(key)!;
    // Fisher–Yates with the seeded stream.
    for (let i = group.length - 1; i > 0; i--) {
      const j = gen.randint(i + 1);
      [group[i], group[j]] = [group[j]!, group[i]!];
    }
    const nTest = Math.round(group.length * testFraction);
    split.test.push(...group.slice(0, nTest));
    split.train.push(...group.slice(nTest));
  }
  return split;
}
