import { describe, expect, it } from 'vitest';
import { baselineForecasts, errors } from './baselines.js';
import { birthsSeries, co2Series } from './data.js';

describe('forecast data', () => {
  it('loads 7,305 days of US births, 1969 to 1988', () => {
    const s = birthsSeries();
    expect(s.values).toHaveLength(7305);
    expect(s.period).toBe(7);
    expect(Math.floor(s.years[0]!)).toBe(1969);
    expect(Math.floor(s.years.at(-1)!)).toBe(1988);
    expect(Math.min(...s.values)).toBeGreaterThan(5000);
  });

  it('loads monthly CO₂ from March 1958 to April 2020 with the skipped months interpolated', () => {
    const s = co2Series();
    expect(s.values).toHaveLength((2020 - 1958) * 12 + 2); // 1958-03 … 2020-04, one step per month
    expect(s.values[0]).toBeCloseTo(315.7, 4);
    expect(s.values[2]).toBeCloseTo(317.51, 4); // 1958-05
    // 1958-06 is missing from the file: halfway between May (317.51) and July (315.86).
    expect(s.values[3]).toBeCloseTo((317.51 + 315.86) / 2, 4);
    expect(s.values.at(-1)).toBeCloseTo(416.18, 4);
    expect(s.years[0]).toBeCloseTo(1958 + 2 / 12, 10);
  });

  it('baselines forecast from earlier values only, and errors are RMSE and MAE', () => {
    const series = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const b = baselineForecasts(series, 5, 8, 3, 2.5);
    expect(Array.from(b.seasonalNaive)).toEqual([3, 4, 5]);
    expect(Array.from(b.lastValue)).toEqual([5, 6, 7]);
    expect(Array.from(b.mean)).toEqual([2.5, 2.5, 2.5]);
    const e = errors([0, 0], [3, -4]);
    expect(e.rmse).toBeCloseTo(Math.sqrt(12.5), 10);
    expect(e.mae).toBe(3.5);
  });
});
