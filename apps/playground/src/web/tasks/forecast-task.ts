import {
  Adam,
  Generator,
  Linear,
  Module,
  type Tensor,
  clipGradNorm,
  mseLoss,
  noGrad,
  tensor,
} from '@elman/core';
import { GRU, LSTM } from '@elman/cells';
import type { PlaygroundData } from '../../node/data.js';
import type { ForecastSample, RecurrentKind, TrainConfig } from '../protocol.js';

/** A series to forecast, in its original units. */
export interface Series {
  /** What it is, for the weights' metadata. */
  name: string;
  /** The values, oldest first. */
  values: Float32Array;
}

/** Layout of a forecasting task: input window length and seasonal period of the naive baseline. */
export interface ForecastLayout {
  /** Past values the model reads to predict the next one. */
  window: number;
  /** Period of the seasonal-naive baseline (predict the value one season ago). */
  season: number;
  /**
   * Model the seasonal difference y_t − y_{t−season} instead of the level, so the network learns a correction to the
   * seasonal-naive forecast (Box & Jenkins' seasonal differencing); the forecast adds y_{t−season} back.
   */
  seasonalDifference?: boolean;
}

/** A noisy sine wave of period 25: 400 points, the same for every seed (the seed draws the weights and batches). */
export function sineSeries(): Series {
  const g = new Generator(12345);
  const values = new Float32Array(400);
  for (let t = 0; t < values.length; t++) values[t] = Math.sin((2 * Math.PI * t) / 25) + 0.05 * g.normal();
  return { name: 'sine', values };
}

/** The bundled monthly US births series. */
export function birthsSeries(births: PlaygroundData['births']): Series {
  return { name: `US births monthly from ${births.start}`, values: Float32Array.from(births.values) };
}

/** Recurrent layer + linear head: `x [B, W, 1] → ŷ [B, 1]` (the last hidden state predicts the next value). */
export class ForecastNet extends Module {
  /** The recurrence. */
  rnn: LSTM | GRU;
  /** Hidden state → next value. */
  head: Linear;

  /** An LSTM or GRU of `hiddenSize` units on scalar inputs. */
  constructor(cell: RecurrentKind, hiddenSize: number, generator: Generator) {
    super();
    const options = { inputSize: 1, hiddenSize, returnSequences: false, generator };
    this.rnn = cell === 'lstm' ? new LSTM(options) : new GRU(options);
    this.head = new Linear(hiddenSize, 1, { generator });
  }

  /** Next-value prediction for each window. */
  forward(x: Tensor): Tensor {
    return this.head.forward(this.rnn.forward(x).output); // [B, H] → [B, 1]
  }
}

/**
 * One-step-ahead forecasting: standardise with the training part's statistics, cut sliding windows, hold out the last
 * 20 % of the series, train on random minibatches of training windows with MSE and Adam (clipped at norm 1).
 */
export class ForecastTask {
  /** The network. */
  readonly model: ForecastNet;
  readonly #config: TrainConfig;
  readonly #series: Series;
  readonly #layout: ForecastLayout;
  readonly #scaled: Float32Array;
  readonly #mean: number;
  readonly #std: number;
  /** First index whose value is held out. */
  readonly #testStart: number;
  /** Lag of the differencing (the season, or 0 when the level is modelled). */
  readonly #lag: number;
  /** First index with a full window of modelled values before it. */
  readonly #first: number;
  readonly #optimizer: Adam;
  readonly #generator: Generator;
  /** Reused batch buffers `[B, W]` and `[B]`. */
  readonly #x: Float32Array;
  readonly #y: Float32Array;

  /** Builds the network and the data layout; the series needs room for a window plus a held-out part. */
  constructor(config: TrainConfig, series: Series, layout: ForecastLayout) {
    const N = series.values.length;
    const v = series.values;
    if (config.cell === 'transformer') throw new Error('forecast: the cell must be lstm or gru');
    this.#testStart = Math.floor(N * 0.8);
    this.#lag = layout.seasonalDifference ? layout.season : 0;
    this.#first = this.#lag + layout.window;
    if (this.#testStart - this.#first < 2) throw new Error(`forecast: series of ${N} points is too short for window ${layout.window}`);
    this.#config = config;
    this.#series = series;
    this.#layout = layout;
    const lag = this.#lag;
    // The modelled series: the level, or its seasonal difference (0 for the first `lag` points, which are never read).
    const modelled = v.map((x, t) => (t < lag ? 0 : lag > 0 ? x - v[t - lag]! : x));
    // Scaler statistics from the training part only, so nothing of the held-out part leaks into training.
    const n = this.#testStart - lag;
    let sum = 0;
    let sq = 0;
    for (let t = lag; t < this.#testStart; t++) sum += modelled[t]!;
    this.#mean = sum / n;
    for (let t = lag; t < this.#testStart; t++) sq += (modelled[t]! - this.#mean) ** 2;
    this.#std = Math.sqrt(sq / n) || 1;
    this.#scaled = modelled.map((x) => (x - this.#mean) / this.#std);
    this.#generator = new Generator(config.seed);
    this.model = new ForecastNet(config.cell, config.hiddenSize, this.#generator);
    this.#optimizer = new Adam(this.model.parameters(), { lr: config.learningRate });
    this.#x = new Float32Array(config.batchSize * layout.window);
    this.#y = new Float32Array(config.batchSize);
  }

  /** One Adam step on `batchSize` random training windows; the MSE is in standardised units. */
  step(): number {
    const W = this.#layout.window;
    const B = this.#config.batchSize;
    // Targets t in [first, testStart): the window [t − W, t) and the target never reach the held-out part.
    const span = this.#testStart - this.#first;
    for (let b = 0; b < B; b++) {
      const t = this.#first + this.#generator.randint(span);
      this.#x.set(this.#scaled.subarray(t - W, t), b * W);
      this.#y[b] = this.#scaled[t]!;
    }
    this.model.train();
    const loss = mseLoss(this.model.forward(tensor(this.#x, [B, W, 1])), tensor(this.#y, [B, 1])); // [B, 1] vs [B, 1]
    this.#optimizer.zeroGrad();
    loss.backward();
    clipGradNorm(this.model.parameters(), 1);
    this.#optimizer.step();
    return loss.item();
  }

  /** One-step-ahead predictions for every point from the first full window on, in the original units. */
  sample(): ForecastSample {
    const W = this.#layout.window;
    const N = this.#scaled.length;
    const first = this.#first;
    const count = N - first;
    const x = new Float32Array(count * W);
    for (let i = 0; i < count; i++) x.set(this.#scaled.subarray(first + i - W, first + i), i * W);
    this.model.eval();
    const pred = noGrad(() => this.model.forward(tensor(x, [count, W, 1]))).data as Float32Array; // [N − first, 1]
    const truth = Array.from(this.#series.values);
    const lag = this.#lag;
    const prediction = truth.map((_, t) => (t < first ? Number.NaN : (lag > 0 ? truth[t - lag]! : 0) + pred[t - first]! * this.#std + this.#mean));
    let model = 0;
    let naive = 0;
    const S = this.#layout.season;
    for (let t = this.#testStart; t < N; t++) {
      model += (prediction[t]! - truth[t]!) ** 2;
      naive += (truth[t - S]! - truth[t]!) ** 2;
    }
    const n = N - this.#testStart;
    return { kind: 'forecast', truth, prediction, testStart: this.#testStart, testRmse: Math.sqrt(model / n), baselineRmse: Math.sqrt(naive / n) };
  }

  /** Model configuration and the scaler, so the saved weights can be used on raw values. */
  metadata(): Record<string, string> {
    return {
      task: this.#config.task,
      series: this.#series.name,
      cell: this.#config.cell,
      hidden_size: String(this.#config.hiddenSize),
      window: String(this.#layout.window),
      seasonal_difference_lag: String(this.#lag),
      scaler_mean: String(this.#mean),
      scaler_std: String(this.#std),
    };
  }
}
