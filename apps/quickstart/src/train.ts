import {
  Adam,
  Generator,
  Linear,
  Sequential,
  Tanh,
  mseLoss,
  noGrad,
  manualSeed,
  tensor,
  type Tensor,
} from '@elman/core';
import { birthsSeries, makeWindows } from './births.js';

/** Options of {@link trainBirths}. */
export interface TrainOptions {
  /** Days of history per prediction. Default 14 (two weekly cycles). */
  lags?: number;
  /** Hidden units of the MLP. Default 32. */
  hidden?: number;
  /** Passes over the training windows. Default 30. */
  epochs?: number;
  /** Mini-batch size. Default 128. */
  batchSize?: number;
  /** Adam learning rate. Default 3e-3. */
  lr?: number;
  /** Seed for weights and shuffling. Default 0. */
  seed?: number;
  /** Called after every epoch (for printing). */
  onEpoch?: (e: EpochReport) => void;
}

/**
 * One epoch's figures: losses are MSE on standardised births (train: mean over the epoch's mini-batches; epoch 0:
 * the untrained model on the whole training set); RMSE is in births per day.
 */
export interface EpochReport {
  epoch: number;
  trainLoss: number;
  valLoss: number;
  valRmse: number;
}

/** What {@link trainBirths} returns. */
export interface TrainResult {
  history: EpochReport[];
  /** RMSE (births/day) of predicting the value 7 days earlier, the seasonal-naive baseline. */
  seasonalNaiveRmse: number;
  /** Validation windows and the trained model's predictions (births/day), for plotting. */
  valTargets: Float32Array;
  valPredictions: Float32Array;
}

/**
 * Fits Linear(lags, hidden) → tanh → Linear(hidden, 1) to the births series: the first 80% of days train, the last
 * 20% validate (chronological split, no leakage), inputs standardised with training statistics.
 */
export function trainBirths(options: TrainOptions = {}): TrainResult {
  const lags = options.lags ?? 14;
  const hidden = options.hidden ?? 32;
  const epochs = options.epochs ?? 30;
  const batchSize = options.batchSize ?? 128;
  manualSeed(options.seed ?? 0);
  const shuffle = new Generator((options.seed ?? 0) + 1);

  const series = birthsSeries();
  const split = Math.floor(series.length * 0.8);
  let mu = 0;
  for (let i = 0; i < split; i++) mu += series[i]!;
  mu /= split;
  let sd = 0;
  for (let i = 0; i < split; i++) sd += (series[i]! - mu) ** 2;
  sd = Math.sqrt(sd / split);
  const scaled = series.map((v) => (v - mu) / sd);

  const train = makeWindows(scaled.subarray(0, split), lags);
  const val = makeWindows(scaled.subarray(split - lags), lags);

  const model = new Sequential(new Linear(lags, hidden), new Tanh(), new Linear(hidden, 1));
  const opt = new Adam(model.parameters(), { lr: options.lr ?? 3e-3 });

  const valX = tensor(val.x, [val.n, lags]);
  const valY = tensor(val.y, [val.n, 1]);
  const trainX = tensor(train.x, [train.n, lags]);
  const trainY = tensor(train.y, [train.n, 1]);
  const evaluate = (x: Tensor, y: Tensor): number => noGrad(() => mseLoss(model.forward(x) as Tensor, y).item());
  const order = Int32Array.from({ length: train.n }, (_, i) => i);
  const bx = new Float32Array(batchSize * lags);
  const by = new Float32Array(batchSize);
  // Epoch 0 is the untrained model, so the history shows the whole fall of the loss.
  const val0 = evaluate(valX, valY);
  const history: EpochReport[] = [{ epoch: 0, trainLoss: evaluate(trainX, trainY), valLoss: val0, valRmse: Math.sqrt(val0) * sd }];
  options.onEpoch?.(history[0]!);

  for (let epoch = 1; epoch <= epochs; epoch++) {
    model.train();
    // Fisher–Yates shuffle of window order each epoch.
    for (let i = order.length - 1; i > 0; i--) {
      const j = shuffle.randint(i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let sum = 0;
    for (let start = 0; start < train.n; start += batchSize) {
      const b = Math.min(batchSize, train.n - start);
      for (let k = 0; k < b; k++) {
        const w = order[start + k]!;
        bx.set(train.x.subarray(w * lags, (w + 1) * lags), k * lags);
        by[k] = train.y[w]!;
      }
      const x = tensor(bx.subarray(0, b * lags), [b, lags]);
      const y = tensor(by.subarray(0, b), [b, 1]);
      const loss = mseLoss(model.forward(x) as Tensor, y);
      opt.zeroGrad();
      loss.backward();
      opt.step();
      sum += loss.item() * b;
    }
    model.eval();
    const valLoss = evaluate(valX, valY);
    const report = { epoch, trainLoss: sum / train.n, valLoss, valRmse: Math.sqrt(valLoss) * sd };
    history.push(report);
    options.onEpoch?.(report);
  }

  const pred = noGrad(() => model.forward(valX) as Tensor).data as Float32Array;
  const valPredictions = pred.map((v) => v * sd + mu);
  const valTargets = val.y.map((v) => v * sd + mu);
  let naive = 0;
  for (let i = split; i < series.length; i++) naive += (series[i]! - series[i - 7]!) ** 2;
  return {
    history,
    seasonalNaiveRmse: Math.sqrt(naive / (series.length - split)),
    valTargets,
    valPredictions,
  };
}
