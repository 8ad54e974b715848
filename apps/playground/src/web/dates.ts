import type { Generator } from '@elman/core';

/** Month names, lower case, January first. */
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** The source formats: each renders a date the way people write it. */
const FORMATS: readonly ((y: number, m: number, d: number) => string)[] = [
  (y, m, d) => `${d} ${MONTHS[m - 1]} ${y}`, // 3 march 2021
  (y, m, d) => `${MONTHS[m - 1]!.slice(0, 3)} ${d}, ${y}`, // mar 3, 2021
  (y, m, d) => `${pad(d)}/${pad(m)}/${y}`, // 03/03/2021
  (y, m, d) => `${d}.${m}.${y}`, // 3.3.2021
  (y, m, d) => `${MONTHS[m - 1]} ${d} ${y}`, // march 3 2021
  (y, m, d) => `${d} ${MONTHS[m - 1]!.slice(0, 3)} ${y}`, // 3 mar 2021
  (y, m, d) => `${y}/${m}/${d}`, // 2021/3/3
];

/** Characters any source string can contain; the source vocabulary is built from them. */
export const DATE_SOURCE_CHARS = ' ,./0123456789abcdefghijklmnopqrstuvwxyz';

/** Characters of the ISO targets. */
export const DATE_TARGET_CHARS = '-0123456789';

/** Two-digit zero padding. */
function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Days in month `m` (1–12) of year `y` (Gregorian). */
export function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** One example of the date-normalisation task: a date as people write it, and its ISO 8601 form. */
export interface DatePair {
  /** E.g. `mar 3, 2021`. */
  source: string;
  /** E.g. `2021-03-03`. */
  target: string;
}

/**
 * Draws `n` random dates between 1950 and 2049, each rendered in a random human format (the source) and as ISO
 * `YYYY-MM-DD` (the target): the classic toy task for attention, whose alignments are easy to read.
 */
export function generateDates(n: number, generator: Generator): DatePair[] {
  const out: DatePair[] = [];
  for (let i = 0; i < n; i++) {
    const y = 1950 + generator.randint(100);
    const m = 1 + generator.randint(12);
    const d = 1 + generator.randint(daysInMonth(y, m));
    const format = FORMATS[generator.randint(FORMATS.length)]!;
    out.push({ source: format(y, m, d), target: `${y}-${pad(m)}-${pad(d)}` });
  }
  return out;
}
