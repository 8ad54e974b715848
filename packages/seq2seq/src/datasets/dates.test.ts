import { ValueError } from '@elman/core';
import { describe, expect, it } from 'vitest';
import { DATE_FORMATS, formatDate, generateDates } from './dates.js';

const MARCH_3_2021 = new Date(Date.UTC(2021, 2, 3));

describe('date corpus', () => {
  it('writes 3 March 2021 (a Wednesday) in all 20 formats, each distinct, with field spans', () => {
    const written = DATE_FORMATS.map((f) => formatDate(MARCH_3_2021, f));
    expect(written.map((p) => p.source)).toEqual([
      '3 March 2021',
      'Mar 3, 21',
      '03/03/2021',
      'wednesday march 3 2021',
      '2021.03.03',
      '3rd of March, 2021',
      'Wednesday, 3 March 2021',
      'Wed, Mar 3, 2021',
      'March 3rd, 2021',
      '3 Mar 2021',
      '3-Mar-2021',
      '03.03.21',
      '2021/3/3',
      'MARCH 3, 2021',
      'the 3rd of march 2021',
      '3/3/21',
      '20210303',
      'Mar 03 2021',
      'wed 3 mar 21',
      '03 march, 2021',
    ]);
    for (const p of written) {
      expect(p.target).toBe('2021-03-03');
      expect(p.source.slice(...p.spans.year)).toMatch(/^(2021|21)$/);
      expect(p.source.slice(...p.spans.month).toLowerCase()).toMatch(/^(march|mar|03|3)$/);
      expect(p.source.slice(...p.spans.day)).toMatch(/^(3|03|3rd)$/);
    }
  });

  it('uses correct weekdays, ordinals and the two-digit year window', () => {
    expect(formatDate(new Date(Date.UTC(1969 + 1, 0, 1)), 'Weekday, d Month yyyy').source).toBe('Thursday, 1 January 1970');
    expect(formatDate(new Date(Date.UTC(2000, 1, 29)), 'Wkd, Mon d, yyyy').source).toBe('Tue, Feb 29, 2000');
    expect(formatDate(new Date(Date.UTC(2011, 10, 11)), 'Month dth, yyyy').source).toBe('November 11th, 2011');
    expect(formatDate(new Date(Date.UTC(2012, 11, 22)), 'dth of Month, yyyy').source).toBe('22nd of December, 2012');
    expect(formatDate(new Date(Date.UTC(1999, 6, 31)), 'the dth of month yyyy').source).toBe('the 31st of july 1999');
    expect(formatDate(new Date(Date.UTC(1950, 4, 9)), 'd/m/yy')).toMatchObject({ source: '9/5/50', target: '1950-05-09' });
  });

  it('is seeded, and its held-out days never occur in training', () => {
    const a = generateDates(500, 100, { seed: 7 });
    expect(generateDates(500, 100, { seed: 7 })).toEqual(a);
    expect(generateDates(500, 100, { seed: 8 }).train).not.toEqual(a.train);
    const trainDays = new Set(a.train.map((p) => p.target));
    expect(trainDays.size).toBe(500);
    expect(a.test.filter((p) => trainDays.has(p.target))).toEqual([]);
    // Every format is drawn, and every ISO target is a real date whose weekday the source states correctly.
    expect(new Set(a.train.map((p) => p.format)).size).toBe(DATE_FORMATS.length);
    for (const p of a.train) {
      const d = new Date(`${p.target}T00:00:00Z`);
      expect(d.toISOString().slice(0, 10)).toBe(p.target);
      if (p.format === 'weekday month d yyyy') expect(p.source.split(' ')[0]).toBe(d.toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' }).toLowerCase());
    }
  });

  it('rejects bad sizes, year ranges and formats with ValueErrors', () => {
    expect(() => generateDates(-1, 0)).toThrow(/generateDates: train and test must be non-negative integers/);
    expect(() => generateDates(1, 1, { minYear: 1900 })).toThrow(ValueError);
    expect(() => generateDates(400, 0, { minYear: 2000, maxYear: 2000 })).toThrow(/has only 366/);
    expect(() => generateDates(1, 1, { formats: ['yyyy'] as never })).toThrow(/unknown format 'yyyy'/);
    expect(() => formatDate(MARCH_3_2021, 'nope' as never)).toThrow(/formatDate: unknown format 'nope'/);
  });
});
