/** Forecast errors in the series' units. */
export interface Errors {
  /** Root mean squared error. */
  rmse: number;
  /** Mean absolute error. */
  mae: number;
}

/** RMSE and MAE of `predicted` against `truth`. */
export function errors(truth: ArrayLike<number>, predicted: ArrayLike<number>): Errors {
  let se = 0;
  let ae = 0;
  for (let i = 0; i < truth.length; i++) {
    const d = truth[i]! - predicted[i]!;
    se += d * d;
    ae += Math.abs(d);
  }
  return { rmse: Math.sqrt(se / truth.length), mae: ae / truth.length };
}

/**
 * One-step-ahead baseline forecasts of `series[start..end)`, each from the values before it:
 * seasonal naive `ŷ_t = y_{t−period}` (Hyndman & Athanasopoulos, "Forecasting: Principles and Practice", §5.2),
 * last value `ŷ_t = y_{t−1}`, and the training mean.
 */
export function baselineForecasts(
  series: Float32Array,
  start: number,
  end: number,
  period: number,
  trainMean: number,
): { seasonalNaive: Float32Array; lastValue: Float32Array; mean: Float32Array } {
  const n = end - start;
  const seasonalNaive = new Float32Array(n);
  const lastValue = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    seasonalNaive[i] = series[start + i - period]!;
    lastValue[i] = series[start + i - 1]!;
  }
  return { seasonalNaive, lastValue, mean: new Float32Array(n).fill(trainMean) };
}
