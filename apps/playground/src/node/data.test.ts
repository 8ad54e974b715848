import { describe, expect, it } from 'vitest';
import { type BirthsRecord, MOBY_CHARS, loadPlaygroundData, monthlyBirths, normaliseText } from './data.js';

const day = (year: number, month: number, date: number, births: number): BirthsRecord => ({ year, month, date_of_month: date, births });

describe('build-time data extraction', () => {
  it('sums daily births into calendar months', () => {
    const records = [day(1969, 12, 30, 5), day(1969, 12, 31, 6), day(1970, 1, 1, 7), day(1970, 1, 2, 8), day(1970, 2, 1, 1)];
    expect(monthlyBirths(records)).toEqual({ start: '1969-12', values: [11, 15, 1] });
  });

  it('refuses unordered days, a missing month, and no data', () => {
    expect(() => monthlyBirths([day(1970, 2, 1, 1), day(1970, 1, 1, 1)])).toThrow('1970-1 comes after a later month');
    expect(() => monthlyBirths([day(1970, 1, 1, 1), day(1970, 3, 1, 1)])).toThrow('month before 1970-3 is missing');
    expect(() => monthlyBirths([])).toThrow('no records');
  });

  it('makes typographic text ASCII, collapses whitespace and cuts at a word boundary', () => {
    expect(normaliseText('“Call me\n\n Ishmael’—now', 100)).toBe('"Call me Ishmael\'-now');
    expect(normaliseText('the whale is white', 11)).toBe('the whale');
    expect(normaliseText('the whale is white', 12)).toBe('the whale is');
  });

  it('extracts 240 months of US births (1969–1988) and the start of Moby Dick from node_modules', () => {
    const { births, moby } = loadPlaygroundData();
    expect(births.start).toBe('1969-01');
    expect(births.values).toHaveLength(240);
    // 3.1–3.9 million US births a year then (February, the shortest month, is the smallest).
    for (const v of births.values) {
      expect(v).toBeGreaterThan(200_000);
      expect(v).toBeLessThan(400_000);
    }
    for (let y = 0; y < 20; y++) {
      const year = births.values.slice(12 * y, 12 * y + 12).reduce((a, b) => a + b, 0);
      expect(year).toBeGreaterThan(3_000_000);
      expect(year).toBeLessThan(4_000_000);
    }
    expect(moby.startsWith('Call me Ishmael.')).toBe(true);
    expect(moby.length).toBeGreaterThan(MOBY_CHARS - 30);
    expect(moby.length).toBeLessThanOrEqual(MOBY_CHARS);
    expect(moby).not.toMatch(/[\u2014\u2019\n]/);
  });
});
