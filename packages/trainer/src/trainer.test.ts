import {
  Adam,
  Linear,
  SGD,
  ShapeError,
  StepLR,
  type Tensor,
  ValueError,
  manualSeed,
  mseLoss,
  noGrad,
  tensor,
  zeros,
} from '@elman/core';
import { testBackends, useBackend } from '@elman/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Callback } from './callbacks.js';
import type { Example } from './data/dataset.js';
import { regression } from './fixtures/data.js';
import { mlp } from './fixtures/models.mjs';
import { RecordingSGD, expectClose } from './fixtures/test-utils.js';
import { NonFiniteError } from './errors.js';
import { meanAbsoluteError } from './metrics/mean-absolute-error.js';
import { rootMeanSquaredError } from './metrics/mean-squared-error.js';
import { Trainer, type TrainerOptions } from './trainer.js';

/** A seeded MLP trainer on the regression task (progress off). */
function setup(options: Partial<TrainerOptions> & { dropout?: number; lr?: number } = {}) {
  manualSeed(123);
  const { model, loss } = mlp({ inputSize: 4, hidden: 16, dropout: options.dropout ?? 0 });
  const optimizer = options.optimizer ?? new Adam(model.parameters(), { lr: options.lr ?? 1e-2 });
  const trainer = new Trainer({ model, optimizer, loss, progress: false, seed: 7, ...options });
  return { model, optimizer, trainer };
}

function snapshot(params: readonly Tensor[]): Float32Array[] {
  return params.map((p) => new Float32Array(p.f32));
}

describe.each(testBackends())('Trainer (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it('fit lowers the loss and records the history per epoch and per update', async () => {
    const { trainer } = setup();
    const train = regression(256, 1);
    const history = await trainer.fit(train, { epochs: 12, batchSize: 32, validation: regression(64, 2) });
    expect(history.epochs.map((e) => e.epoch)).toEqual([...Array(12).keys()]);
    expect(history.steps).toHaveLength(12 * 8);
    expect(history.steps.map((s) => s.step)).toEqual([...Array(96).keys()]);
    const first = history.epochs[0]!.logs;
    const last = history.epochs.at(-1)!.logs;
    expect(last.loss!).toBeLessThan(first.loss! / 3);
    expect(last.val_loss!).toBeLessThan(first.val_loss! / 3);
    expect(trainer.epoch).toBe(12);
    expect(trainer.step).toBe(96);
    // The epoch loss is the example-weighted mean of its updates' losses.
    const e0 = history.steps.slice(0, 8).reduce((s, x) => s + x.loss, 0) / 8;
    expect(first.loss).toBeCloseTo(e0, 6);
  });

  it('is reproducible from the seed, and the seed matters', async () => {
    const run = async (seed: number) => {
      const { trainer } = setup({ seed, dropout: 0.2 });
      const h = await trainer.fit(regression(96, 1), { epochs: 2, batchSize: 16 });
      return h.steps.map((s) => s.loss);
    };
    const a = await run(5);
    expect(await run(5)).toEqual(a);
    expect(await run(6)).not.toEqual(a);
  });

  it('evaluate and predict run in eval mode on any batching, and restore training mode', async () => {
    const { model, trainer } = setup({ dropout: 0.5, metrics: { mae: meanAbsoluteError(), rmse: rootMeanSquaredError() } });
    const data = regression(50, 3);
    await trainer.fit(data, { epochs: 1, batchSize: 10 });
    model.train();
    const whole = noGrad(() => {
      model.eval();
      const out = model.forward(data.inputs);
      model.train();
      return out;
    });
    const predicted = await trainer.predict(data.inputs, { batchSize: 7 });
    expect(predicted.shape).toEqual([50, 1]);
    expectClose(predicted.f32, whole.f32, 1e-5, 1e-6, 'predict');
    const logs = await trainer.evaluate(data, { batchSize: 7 });
    let se = 0;
    let ae = 0;
    for (let i = 0; i < 50; i++) {
      const d = whole.f32[i]! - data.targets.f32[i]!;
      se += d * d;
      ae += Math.abs(d);
    }
    expect(logs.loss).toBeCloseTo(se / 50, 5);
    expect(logs.rmse).toBeCloseTo(Math.sqrt(se / 50), 5);
    expect(logs.mae).toBeCloseTo(ae / 50, 5);
    expect(model.training).toBe(true);
  });

  it('reports training and validation metrics as <name> and val_<name>', async () => {
    const { trainer } = setup({ metrics: { mae: meanAbsoluteError(), half: (o, t) => o.data.length / t.data.length / 2 } });
    const val = regression(40, 4);
    const seen: Record<string, number>[] = [];
    const check: Callback = {
      onEpochEnd: async ({ logs }) => {
        seen.push({ ...logs });
        // Validation figures are those of the model right after the epoch.
        const now = await trainer.evaluate(val, { batchSize: 40 });
        expect(logs.val_loss).toBeCloseTo(now.loss!, 6);
        expect(logs.val_mae).toBeCloseTo(now.mae!, 6);
      },
    };
    await trainer.fit(regression(64, 1), { epochs: 2, batchSize: 16, validation: val, callbacks: [check] });
    expect(Object.keys(seen[0]!).sort()).toEqual(['half', 'loss', 'mae', 'val_half', 'val_loss', 'val_mae']);
    expect(seen[0]!.half).toBe(0.5);
    expect(seen[0]!.mae!).toBeGreaterThan(0);
  });

  it('calls every callback hook in order with the epoch and batch indices', async () => {
    const { trainer } = setup();
    const events: string[] = [];
    const cb: Callback = {
      onTrainBegin: ({ initialEpoch, epochs }) => void events.push(`train+ ${initialEpoch}/${epochs}`),
      onEpochBegin: ({ epoch, numBatches }) => void events.push(`epoch+ ${epoch} of ${numBatches}`),
      onBatchBegin: ({ batch, size }) => void events.push(`batch+ ${batch} (${size})`),
      onBatchEnd: async ({ batch, step, loss }) => {
        await Promise.resolve();
        events.push(`batch- ${batch} step ${step} ${Number.isFinite(loss)}`);
      },
      onEpochEnd: ({ epoch, logs }) => void events.push(`epoch- ${epoch} ${Object.keys(logs).join(',')}`),
      onTrainEnd: () => void events.push('train-'),
    };
    await trainer.fit(regression(20, 1), { epochs: 2, batchSize: 16, callbacks: [cb] });
    expect(events).toEqual([
      'train+ 0/2',
      'epoch+ 0 of 2',
      'batch+ 0 (16)',
      'batch- 0 step 1 true',
      'batch+ 1 (4)',
      'batch- 1 step 2 true',
      'epoch- 0 loss',
      'epoch+ 1 of 2',
      'batch+ 0 (16)',
      'batch- 0 step 3 true',
      'batch+ 1 (4)',
      'batch- 1 step 4 true',
      'epoch- 1 loss',
      'train-',
    ]);
  });

  it('steps the scheduler per epoch or per update', async () => {
    for (const interval of ['epoch', 'step'] as const) {
      manualSeed(1);
      const { model, loss } = mlp({ inputSize: 4, hidden: 4 });
      const optimizer = new SGD(model.parameters(), { lr: 0.1 });
      const scheduler = new StepLR(optimizer, { stepSize: 1, gamma: 0.5 });
      const trainer = new Trainer({ model, optimizer, loss, scheduler, schedulerInterval: interval, progress: false, seed: 1 });
      const h = await trainer.fit(regression(32, 1), { epochs: 3, batchSize: 16 });
      if (interval === 'epoch') {
        expect(h.steps.map((s) => s.lr)).toEqual([0.1, 0.1, 0.05, 0.05, 0.025, 0.025]);
        expect(h.epochs.map((e) => e.lr)).toEqual([0.05, 0.025, 0.0125]);
      } else {
        expect(h.steps.map((s) => s.lr)).toEqual([0.1, 0.05, 0.025, 0.0125, 0.00625, 0.003125]);
      }
    }
  });

  it('clips gradients by global norm (logging the norm before clipping) and by value', async () => {
    manualSeed(2);
    const { model, loss } = mlp({ inputSize: 4, hidden: 8 });
    const optimizer = new RecordingSGD(model.parameters(), { lr: 0.01 });
    const big = regression(32, 1);
    big.targets.f32.forEach((v, i, a) => {
      a[i] = v * 100;
    });
    const trainer = new Trainer({ model, optimizer, loss, clipGradNorm: 0.5, progress: false, seed: 1 });
    const h = await trainer.fit(big, { epochs: 1, batchSize: 16 });
    for (const [i, grads] of optimizer.recorded.entries()) {
      const norm = Math.sqrt(grads.reduce((s, g) => s + g.reduce((a, v) => a + v * v, 0), 0));
      expect(h.steps[i]!.gradNorm!).toBeGreaterThan(0.5);
      expect(norm).toBeCloseTo(0.5, 4);
    }

    const byValue = new RecordingSGD(model.parameters(), { lr: 0.01 });
    const t2 = new Trainer({ model, optimizer: byValue, loss, clipGradValue: 0.01, progress: false, seed: 1 });
    await t2.fit(big, { epochs: 1, batchSize: 16 });
    const all = byValue.recorded.flat().flatMap((g) => [...g]);
    expect(Math.max(...all.map(Math.abs))).toBeCloseTo(0.01, 7);
  });

  it('stops early after `patience` epochs without improvement and restores the best weights', async () => {
    const { model, trainer } = setup();
    const scores = [5, 4, 3, 3.5, 3.2, 3.0001, 1, 1];
    let best: Float32Array[] = [];
    const script: Callback = {
      onEpochEnd: ({ epoch, logs }) => {
        logs.score = scores[epoch]!;
        if (epoch === 2) best = snapshot(model.parameters());
      },
    };
    const h = await trainer.fit(regression(64, 1), {
      epochs: 8,
      batchSize: 16,
      callbacks: [script],
      earlyStopping: { monitor: 'score', patience: 2, minDelta: 0.01, restoreBest: true },
    });
    // Epochs 3, 4, 5 do not improve on 3 by more than 0.01: the third of them exceeds patience 2.
    expect(h.epochs).toHaveLength(6);
    model.parameters().forEach((p, i) => {
      expect(p.f32).toEqual(best[i]);
    });
  });

  it('names the missing monitor of early stopping', async () => {
    const { trainer } = setup();
    await expect(trainer.fit(regression(32, 1), { epochs: 2, batchSize: 16, earlyStopping: {} })).rejects.toThrow(
      /EarlyStopping: monitor 'val_loss' is not among the epoch logs \(loss\)/,
    );
  });

  it('stops on a NaN or infinite loss or gradient before the optimizer touches the weights', async () => {
    const cases = [
      ['inputs', Number.NaN, 'the loss is NaN'],
      ['targets', Number.POSITIVE_INFINITY, 'the loss is Infinity'],
      ['inputs', Number.NEGATIVE_INFINITY, 'a gradient is NaN or infinite'], // tanh(−∞) is finite, its gradient is not
    ] as const;
    for (const [where, bad, what] of cases) {
      const { model, trainer } = setup();
      const data = regression(64, 1);
      const width = where === 'inputs' ? 4 : 1;
      data[where].f32[2 * 16 * width + 1] = bad; // in the third batch (no shuffling)
      let before: Float32Array[] = [];
      const spy: Callback = { onBatchEnd: () => void (before = snapshot(model.parameters())) };
      const err = await trainer.fit(data, { epochs: 1, batchSize: 16, shuffle: false, callbacks: [spy] }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(NonFiniteError);
      expect(err).toBeInstanceOf(ValueError);
      expect((err as Error).message).toMatch(
        new RegExp(`Trainer: ${what} at epoch 1, update 2; the weights were not changed`),
      );
      model.parameters().forEach((p, i) => {
        expect(p.f32).toEqual(before[i]);
      });
      expect(trainer.step).toBe(2);
    }
  });

  it("skips non-finite updates with onNonFinite: 'skip'", async () => {
    const { model, trainer } = setup({ onNonFinite: 'skip' });
    const data = regression(64, 1);
    data.inputs.f32[5] = Number.NaN; // first batch
    const h = await trainer.fit(data, { epochs: 2, batchSize: 16, shuffle: false });
    expect(h.steps.filter((s) => s.skipped).map((s) => s.step)).toEqual([0, 4]);
    expect(h.steps[1]!.skipped).toBeUndefined();
    for (const p of model.parameters()) expect(p.f32.every(Number.isFinite)).toBe(true);
    // The epoch loss averages the updates that ran.
    const ran = h.steps.slice(1, 4).reduce((s, x) => s + x.loss, 0) / 3;
    expect(h.epochs[0]!.logs.loss).toBeCloseTo(ran, 6);
  });

  it('trains the same from a stream of examples or pre-made batches as from tensors', async () => {
    const data = regression(40, 1);
    const examples: Example[] = [...Array(40).keys()].map((i) => ({
      input: data.inputs.select(0, i),
      target: data.targets.select(0, i),
    }));
    const losses = async (train: Parameters<Trainer['fit']>[0], shuffle?: boolean) => {
      const { trainer } = setup();
      const h = await trainer.fit(train, { epochs: 2, batchSize: 16, ...(shuffle === undefined ? {} : { shuffle }) });
      return h.steps.map((s) => s.loss);
    };
    const reference = await losses(data, false);
    const stream = { *[Symbol.iterator]() { yield* examples; } };
    const asyncStream = { async *[Symbol.asyncIterator]() { yield* examples; } };
    const batched = {
      numBatches: 3,
      *batches() {
        for (let s = 0; s < 40; s += 16) yield { input: data.inputs.slice(0, s, s + 16), target: data.targets.slice(0, s, s + 16) };
      },
    };
    expect(await losses(stream)).toEqual(reference);
    expect(await losses(asyncStream)).toEqual(reference);
    expect(await losses(batched)).toEqual(reference);
    expect(await losses(examples, false)).toEqual(reference);
  });

  it('continues exactly from checkpoint() through fit({resume})', async () => {
    const build = (seed: number) => {
      manualSeed(seed);
      const { model, loss } = mlp({ inputSize: 4, hidden: 16, dropout: 0.3 });
      const optimizer = new Adam(model.parameters(), { lr: 1e-2 });
      const scheduler = new StepLR(optimizer, { stepSize: 1, gamma: 0.7 });
      return new Trainer({ model, optimizer, loss, scheduler, progress: false, seed: seed + 100 });
    };
    const train = regression(64, 1);
    const val = regression(32, 2);
    const options = { batchSize: 16, validation: val, earlyStopping: { patience: 5 } };
    const whole = await build(1).fit(train, { ...options, epochs: 3 });

    const first = build(1);
    await first.fit(train, { ...options, epochs: 1 });
    const saved = first.checkpoint();
    await first.fit(train, { ...options, epochs: 2 }); // training on must not change the snapshot
    manualSeed(999); // the global stream (dropout) is part of the checkpoint too
    const resumed = build(2); // other initial weights and seed: all of it comes from the checkpoint
    const h = await resumed.fit(train, { ...options, epochs: 3, resume: saved });
    expect(h.steps.map((s) => s.loss)).toEqual(whole.steps.map((s) => s.loss));
    expect(h.epochs.map((e) => e.logs)).toEqual(whole.epochs.map((e) => e.logs));
    expect(resumed.seed).toBe(101);
  });

  it('rejects bad data with typed errors before any update', async () => {
    const { trainer } = setup();
    const data = regression(10, 1);
    await expect(trainer.fit(data, { batchSize: 11 })).rejects.toThrow(
      new ValueError('Trainer.fit: batchSize 11 is larger than the dataset (10 examples)'),
    );
    await expect(trainer.fit({ inputs: zeros([0, 4]), targets: zeros([0, 1]) })).rejects.toThrow(
      new ValueError('Trainer.fit: the dataset is empty'),
    );
    await expect(trainer.fit([])).rejects.toThrow(ValueError);
    await expect(trainer.fit({ inputs: zeros([10, 4]), targets: zeros([9, 1]) }, { batchSize: 2 })).rejects.toThrow(
      new ShapeError('Trainer.fit: inputs have 10 examples ([10, 4]) but targets have 9 ([9, 1])'),
    );
    await expect(
      trainer.fit([
        { input: zeros([4]), target: zeros([1]) },
        { input: zeros([3]), target: zeros([1]) },
      ]),
    ).rejects.toThrow(/example 1 has input float32 \[3\] but example 0 has float32 \[4\]/);
    await expect(
      trainer.fit(data, { batchSize: 2, validation: { inputs: zeros([3, 4]), targets: zeros([2, 1]) } }),
    ).rejects.toThrow(ShapeError);
    await expect(trainer.fit(data, { epochs: 0 })).rejects.toThrow(/epochs must be an integer >= 1, got 0/);
    await expect(trainer.fit(data, { batchSize: 2.5 })).rejects.toThrow(/batchSize must be an integer >= 1, got 2.5/);
    expect(trainer.step).toBe(0);
    const once = (function* () {
      for (let i = 0; i < 4; i++) yield { input: zeros([4]), target: zeros([1]) };
    })();
    await expect(trainer.fit(once, { epochs: 2, batchSize: 2 })).rejects.toThrow(/no batches in epoch 2 \(a generator object/);
    await expect(trainer.fit({ *[Symbol.iterator]() {} }, { shuffle: true })).rejects.toThrow(/shuffle applies to in-memory data only/);
    await expect(trainer.fit(42 as never)).rejects.toThrow(/unsupported data/);
    await expect(trainer.trainOnBatch({ input: zeros([3, 4]), target: zeros([2, 1]) })).rejects.toThrow(
      /batch input \[3, 4\] and target \[2, 1\] must have the same leading batch size/,
    );
  });

  it('rejects bad options with typed errors', () => {
    manualSeed(0);
    const { model, loss } = mlp();
    const other = new Linear(2, 2);
    const opt = new SGD(model.parameters(), { lr: 0.1 });
    expect(() => new Trainer({ model, optimizer: new SGD(other.parameters(), { lr: 1 }), loss })).toThrow(
      /the optimizer holds 2 parameter\(s\) that are not the model's/,
    );
    expect(() => new Trainer({ model, optimizer: opt, loss, clipGradNorm: -1 })).toThrow(/clipGradNorm must be a number > 0, got -1/);
    expect(() => new Trainer({ model, optimizer: opt, loss, tbptt: { k1: 0, k2: 1 } })).toThrow(/tbptt.k1 must be an integer >= 1/);
    expect(() => new Trainer({ model, optimizer: opt, loss, onNonFinite: 'ignore' as never })).toThrow(
      /onNonFinite must be 'error' or 'skip', got 'ignore'/,
    );
    expect(() => new Trainer({ model, optimizer: opt, loss: 'mse' as never })).toThrow(ValueError);
  });

  it('names a loss that does not return one element', async () => {
    const { model } = setup();
    const trainer = new Trainer({
      model,
      optimizer: new SGD(model.parameters(), { lr: 0.1 }),
      loss: (o, t) => mseLoss(o, t, { reduction: 'none' }),
      progress: false,
    });
    await expect(trainer.trainOnBatch({ input: tensor([[1, 2, 3, 4], [5, 6, 7, 8]]), target: tensor([[1], [2]]) })).rejects.toThrow(
      'Trainer: the loss must return a one-element tensor, got [2, 1]',
    );
  });
});
