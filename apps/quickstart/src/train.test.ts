import { describe, expect, it } from 'vitest';
import { trainBirths } from './train.js';

describe('quickstart: MLP on US daily births', () => {
  it('learns: training MSE falls ≥ 5× from the untrained model and validation beats seasonal-naive', () => {
    const result = trainBirths({ epochs: 8 });
    const untrained = result.history[0]!;
    const last = result.history[result.history.length - 1]!;
    expect(untrained.epoch).toBe(0);
    expect(untrained.trainLoss / last.trainLoss).toBeGreaterThan(5);
    expect(last.valRmse).toBeLessThan(result.seasonalNaiveRmse);
    expect(result.valPredictions.length).toBe(result.valTargets.length);
  });
});
