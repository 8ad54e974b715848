import { epochLogger } from '@elman/app-kit';
import { Adam, Tensor, manualSeed, mseLoss, reshape } from '@elman/core';
import { MinMaxScaler, Trainer, type TensorDataset, chronologicalSplit, slidingWindows } from '@elman/trainer';
import { type Errors, baselineForecasts, errors } from './baselines.js';
import type { TimeSeries } from './data.js';
import { Forecaster, type ForecasterKind } from './model.js';

/** The recurrent models compared. */
export const MODELS: readonly ForecasterKind[] = ['LSTM', 'GRU'];

/** The baselines compared, by the names the tables use. */
export const BASELINES = ['seasonal naive', 'last value', 'training mean'] as const;

/** Options of {@link forecastSeries}. */
export interface ForecastOptions {
  /** Steps of history per forecast. */
  window: number;
  /** Maximum passes over the training windows (early stopping on validation loss may end sooner). */
  epochs: number;
  /** Epochs without a better validation loss before stopping. */
  patience: number;
  /** Hidden units of the LSTM and GRU. */
  hiddenSize: number;
  /** Seed of the weights and the shuffling (the same for both models). */
  seed: number;
  /** Receives the progress lines. */
  onProgress?: (line: string) => void;
}

/** One model's training record. */
export interface ModelRun {
  /** Mean training loss (MSE on scaled differences) per epoch. */
  trainLoss: number[];
  /** Validation loss per epoch. */
  valLoss: number[];
  /** Training loss of the untrained model. */
  initialLoss: number;
  /** Wall-clock seconds of training. */
  seconds: number;
}

/** What {@link forecastSeries} measured on one series. */
export interface SeriesResult {
  /** The series' name. */
  name: string;
  /** Its units. */
  units: string;
  /** Seasonal period used by the seasonal-naive baseline. */
  period: number;
  /** Steps of history per forecast. */
  window: number;
  /** The epoch limit of each model (early stopping may end a run sooner). */
  maxEpochs: number;
  /** Training / validation / test observations (chronological, 70 / 15 / 15 % of the differences). */
  sizes: { train: number; validation: number; test: number };
  /** Decimal years of the test targets. */
  testYears: Float64Array;
  /** The test targets, in the series' units. */
  truth: Float32Array;
  /** One-step forecasts of the test period by model and baseline name, in the series' units. */
  predictions: Record<string, Float32Array>;
  /** RMSE and MAE on the test period by model and baseline name, in the series' units. */
  errors: Record<string, Errors>;
  /** Training records of the recurrent models. */
  runs: Record<string, ModelRun>;
}

/** `[n, 1]` series part → windows `[N, W, 1]` with one-step targets `[N, 1]`. */
function windows(part: Tensor, window: number): TensorDataset {
  const { inputs, targets } = slidingWindows(part, { window }); // [N, W, 1], [N, 1, 1]
  return { inputs, targets: reshape(targets, [targets.shape[0]!, 1]) };
}

/**
 * The seeds' time-series pipeline on one series: load → first differences (`d_t = y_t − y_{t−1}`, which removes
 * CO₂'s trend so the test period does not leave the range seen in training) → chronological 70/15/15 split
 * (validation and test parts start `window` steps early, so their first windows end exactly at the boundary) →
 * MinMax scaling fitted on the training part → sliding windows → train an LSTM and a GRU with early stopping on
 * validation loss → one-step forecasts of the test period → inverse transform, plus the last observed level →
 * RMSE/MAE in the series' units, against seasonal-naive, last-value and training-mean baselines on the same targets.
 */
export async function forecastSeries(series: TimeSeries, options: ForecastOptions): Promise<SeriesResult> {
  const log = options.onProgress ?? (() => {});
  const { window } = options;
  const levels = series.values;
  const D = levels.length - 1;
  const diffs = new Float32Array(D); // diffs[i] = change from step i to step i + 1
  for (let i = 0; i < D; i++) diffs[i] = levels[i + 1]! - levels[i]!;
  const split = chronologicalSplit(new Tensor(diffs, [D, 1]), { train: 0.7, validation: 0.15, overlap: window }); // [n, 1] parts
  const nTrain = Math.floor(D * 0.7);
  const testFrom = nTrain + Math.floor(D * 0.15); // first test difference
  const scaler = new MinMaxScaler().fit(split.train); // training statistics only: no look-ahead
  const trainSet = windows(scaler.transform(split.train), window);
  const valSet = windows(scaler.transform(split.validation), window);
  const testSet = windows(scaler.transform(split.test), window);
  // Test target k is the level at step testFrom + 1 + k, forecast from the level before it.
  const testStart = testFrom + 1;
  const truth = levels.slice(testStart);
  log(
    `${series.name}: ${levels.length} observations (${series.units}); train ${nTrain + 1}, validation ${testStart - nTrain - 1}, ` +
      `test ${truth.length}; ${trainSet.inputs.shape[0]} training windows of ${window} differences`,
  );

  const predictions: Record<string, Float32Array> = {};
  const runs: Record<string, ModelRun> = {};
  for (const kind of MODELS) {
    manualSeed(options.seed);
    const model = new Forecaster(kind, options.hiddenSize);
    const trainer = new Trainer({
      model,
      optimizer: new Adam(model.parameters(), { lr: 3e-3 }),
      loss: mseLoss,
      clipGradNorm: 1,
      seed: options.seed,
      progress: false,
    });
    const initialLoss = (await trainer.evaluate(trainSet, { batchSize: 256 })).loss!;
    const started = performance.now();
    const history = await trainer.fit(trainSet, {
      epochs: options.epochs,
      batchSize: 64,
      validation: valSet,
      validationBatchSize: 256,
      earlyStopping: { monitor: 'val_loss', patience: options.patience, restoreBest: true },
      callbacks: [epochLogger(log, trainSet.inputs.shape[0]!, `${series.name} ${kind} `)],
    });
    runs[kind] = {
      trainLoss: history.epochs.map((e) => e.logs.loss!),
      valLoss: history.epochs.map((e) => e.logs.val_loss!),
      initialLoss,
      seconds: (performance.now() - started) / 1000,
    };
    const scaled = await trainer.predict(testSet.inputs, { batchSize: 256 }); // [N, 1] scaled differences
    const change = scaler.inverseTransform(scaled).data; // [N, 1] in the series' units
    predictions[kind] = Float32Array.from(truth, (_, k) => levels[testStart + k - 1]! + change[k]!);
  }

  let trainMean = 0;
  for (let i = 0; i <= nTrain; i++) trainMean += levels[i]!;
  trainMean /= nTrain + 1;
  const base = baselineForecasts(levels, testStart, levels.length, series.period, trainMean);
  predictions['seasonal naive'] = base.seasonalNaive;
  predictions['last value'] = base.lastValue;
  predictions['training mean'] = base.mean;
  const errs: Record<string, Errors> = {};
  for (const [name, p] of Object.entries(predictions)) errs[name] = errors(truth, p);
  return {
    name: series.name,
    units: series.units,
    period: series.period,
    window,
    maxEpochs: options.epochs,
    sizes: { train: nTrain + 1, validation: testStart - nTrain - 1, test: truth.length },
    testYears: series.years.slice(testStart),
    truth,
    predictions,
    errors: errs,
    runs,
  };
}
