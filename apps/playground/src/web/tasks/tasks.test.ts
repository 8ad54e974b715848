import { testBackends, useBackend } from '@elman/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPlaygroundData } from '../../node/data.js';
import { DEFAULTS, type TaskName, type TrainConfig } from '../protocol.js';
import { createTask } from './task.js';

const data = loadPlaygroundData();

/** Mean of the first and of the last `k` losses of `steps` steps of `task`. */
function train(config: TrainConfig, k: number) {
  const task = createTask(config, data);
  const losses: number[] = [];
  for (let i = 0; i < config.steps; i++) losses.push(task.step());
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return { task, first: mean(losses.slice(0, k)), last: mean(losses.slice(-k)) };
}

describe.each(testBackends())('playground tasks learn (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it('sine: the LSTM forecast beats the seasonal-naive baseline on held-out points', () => {
    const { task, first, last } = train({ ...DEFAULTS.sine, steps: 60 }, 10);
    // Measured: 0.81 → 0.0074 (mean of the first vs the last 10 steps) on both backends.
    expect(last).toBeLessThan(first / 20);
    const s = task.sample();
    if (s.kind !== 'forecast') throw new Error(`expected a forecast, got ${s.kind}`);
    expect(s.truth).toHaveLength(400);
    expect(s.prediction.slice(0, 25).every(Number.isNaN)).toBe(true);
    expect(Number.isNaN(s.prediction[25]!)).toBe(false);
    expect(s.testStart).toBe(320);
    // The noise is N(0, 0.05²); the naive one-period-ago forecast carries two noise draws (RMSE ≈ 0.07).
    expect(s.testRmse).toBeLessThan(0.2);
    expect(s.baselineRmse).toBeGreaterThan(0.03);
  });

  it('births: the GRU loss falls and its predictions are in births per month', () => {
    const { task, first, last } = train({ ...DEFAULTS.births, steps: 50 }, 10);
    // Measured: 0.53 → 0.19 (standardised MSE of the year-on-year change) in 50 steps.
    expect(last).toBeLessThan(first / 2);
    const s = task.sample();
    if (s.kind !== 'forecast') throw new Error(`expected a forecast, got ${s.kind}`);
    expect(s.truth).toHaveLength(240);
    // The first prediction needs a year for the difference plus a 24-month window.
    expect(s.prediction.findIndex((x) => !Number.isNaN(x))).toBe(36);
    // The network corrects the seasonal-naive forecast (it models year-on-year changes), so it should beat it.
    expect(s.testRmse).toBeLessThan(s.baselineRmse);
    const p = s.prediction[200]!;
    expect(p).toBeGreaterThan(200_000);
    expect(p).toBeLessThan(400_000);
    expect(task.metadata()).toMatchObject({ task: 'births', cell: 'gru', window: '24', seasonal_difference_lag: '12' });
    expect(Object.keys(task.model.stateDict())).toEqual(['rnn.weight_ih_l0', 'rnn.weight_hh_l0', 'rnn.bias_ih_l0', 'rnn.bias_hh_l0', 'head.weight', 'head.bias']);
  });

  it('char LM (LSTM): the loss falls by 1 nat in 25 steps and the sample continues the prompt', () => {
    const { task, first, last } = train({ ...DEFAULTS.charlm, hiddenSize: 64, batchSize: 4, steps: 25 }, 5);
    // Measured: 3.79 → 2.70 nats (both backends); ln(V) ≈ 4.2 is the uniform guess.
    expect(last).toBeLessThan(first - 1);
    const s = task.sample();
    if (s.kind !== 'text') throw new Error(`expected text, got ${s.kind}`);
    expect(s.text.startsWith('Call me ')).toBe(true);
    expect(s.text).toHaveLength(200);
    expect(s.bitsPerChar).toBeGreaterThan(0);
    expect(s.bitsPerChar).toBeLessThan(first / Math.LN2);
    expect(task.metadata()).toMatchObject({ task: 'charlm', model: 'CharRnn', cell: 'lstm', hidden_size: '64' });
  });

  it('char LM (transformer): the loss falls by 0.8 nats in 25 steps and the sample continues the prompt', () => {
    const { task, first, last } = train({ ...DEFAULTS.charlm, cell: 'transformer', hiddenSize: 32, learningRate: 0.003, batchSize: 4, steps: 25 }, 5);
    // Measured: 3.98 → 2.92 nats.
    expect(last).toBeLessThan(first - 0.8);
    const s = task.sample();
    if (s.kind !== 'text') throw new Error(`expected text, got ${s.kind}`);
    expect(s.text.startsWith('Call me ')).toBe(true);
    expect(s.text).toHaveLength(64);
    expect(task.metadata()).toMatchObject({ model: 'CausalLM', d_model: '32' });
  });

  it('dates: the seq2seq loss falls; the attention has a row per output character summing to 1', () => {
    const { task, first, last } = train({ ...DEFAULTS.dates, hiddenSize: 16, batchSize: 16, steps: 25 }, 5);
    // Measured: 2.53 → 1.79 nats in 25 steps.
    expect(last).toBeLessThan(first * 0.75);
    const s = task.sample();
    if (s.kind !== 'dates') throw new Error(`expected dates, got ${s.kind}`);
    expect(s.rows).toHaveLength(6);
    expect(s.accuracy).toBeGreaterThanOrEqual(0);
    const first0 = s.rows[0]!;
    expect(s.attention[0]).toHaveLength(first0.input.length);
    for (const row of s.attention) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
  });

});

describe('playground tasks, construction', () => {
  it('rejects a char-LM width that the 4 heads do not divide', () => {
    expect(() => createTask({ ...DEFAULTS.charlm, cell: 'transformer', hiddenSize: 30 }, data)).toThrow(/multiple of 4 heads, got 30/);
    expect(createTask({ ...DEFAULTS.charlm, hiddenSize: 30 }, data).metadata().hidden_size).toBe('30');
  });

  it.each(['sine', 'births', 'charlm', 'dates'] as TaskName[])('%s: metadata names the task and the weights are a non-empty state dict', (name) => {
    const task = createTask({ ...DEFAULTS[name], hiddenSize: 8 }, data);
    expect(task.metadata().task).toBe(name);
    expect(Object.keys(task.model.stateDict()).length).toBeGreaterThan(1);
  });
});
