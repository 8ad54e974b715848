import { Generator } from '@elman/core';
import { describe, expect, it } from 'vitest';
import { DATE_SOURCE_CHARS, DATE_TARGET_CHARS, daysInMonth, generateDates } from './dates.js';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Independent reading of a source string back to ISO, for the formats the generator uses. */
function parse(source: string): string {
  const p = (n: string | number) => String(n).padStart(2, '0');
  let m: RegExpExecArray | null = /^(\d+) ([a-z]+) (\d{4})$/.exec(source);
  if (m) return `${m[3]}-${p(MONTHS.indexOf(m[2]!.slice(0, 3)) + 1)}-${p(m[1]!)}`;
  m = /^([a-z]+) (\d+),? (\d{4})$/.exec(source);
  if (m) return `${m[3]}-${p(MONTHS.indexOf(m[1]!.slice(0, 3)) + 1)}-${p(m[2]!)}`;
  m = /^(\d+)[/.](\d+)[/.](\d{4})$/.exec(source);
  if (m) return `${m[3]}-${p(m[2]!)}-${p(m[1]!)}`;
  m = /^(\d{4})\/(\d+)\/(\d+)$/.exec(source);
  if (m) return `${m[1]}-${p(m[2]!)}-${p(m[3]!)}`;
  throw new Error(`unparsed: ${source}`);
}

describe('date generator', () => {
  const pairs = generateDates(500, new Generator(7));

  it('pairs each source with the ISO form of the same, valid date', () => {
    for (const { source, target } of pairs) {
      expect(target).toMatch(/^(19[5-9]\d|20[0-4]\d)-\d\d-\d\d$/);
      const [y, m, d] = target.split('-').map(Number) as [number, number, number];
      expect(m).toBeGreaterThanOrEqual(1);
      expect(m).toBeLessThanOrEqual(12);
      expect(d).toBeLessThanOrEqual(daysInMonth(y, m));
      expect(parse(source)).toBe(target);
    }
  });

  it('uses only the declared characters, varies the format, and repeats for a seed', () => {
    for (const { source, target } of pairs) {
      for (const c of source) expect(DATE_SOURCE_CHARS).toContain(c);
      for (const c of target) expect(DATE_TARGET_CHARS).toContain(c);
    }
    expect(new Set(pairs.map((p) => p.source.replace(/\d/g, '9').replace(/[a-z]+/g, 'x'))).size).toBeGreaterThanOrEqual(5);
    expect(generateDates(5, new Generator(7))).toEqual(pairs.slice(0, 5));
  });

  it('knows leap years', () => {
    expect(daysInMonth(2000, 2)).toBe(29);
    expect(daysInMonth(1900, 2)).toBe(28);
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2023, 4)).toBe(30);
  });
});
