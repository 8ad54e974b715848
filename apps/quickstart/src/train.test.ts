import { describe, expect, it } from 'vitest';
import { trainBirths } from './train.js';

describe('quickstart: MLP on US daily births', () => {
  it('learns: training loss falls ≥ 5× and validation beats the seasonal-naive baseline', () => {
    const result = trainBirths({ epochs: 8 });
    const first = result.history[0]!;
    const last = result.history[result.history.length - 1]!;
    // Epoch 1 averages the loss over a still-untrained model; after 8 epochs the fit is far tighter.
    expect(first.trainLoss / last.trainLoss).toBeGreaterThan(5);
    expect(last.valRmse).toBeLessThan(result.seasonalNaiveRmse);
    expect(result.valPredictions.length).toBe(result.valTargets.length);
  });
});
