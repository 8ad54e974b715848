import { Adam, ShapeError, type Tensor, ValueError, manualSeed, mseLoss } from '@elman/core';
import { testBackends, useBackend } from '@elman/core/testing';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TensorDataset } from '../data/dataset.js';
import { WorkerError } from '../errors.js';
import { raggedSequences, regression, sequences } from '../fixtures/data.js';
import { EXIT_SENTINEL, THROW_SENTINEL, faulty, lstm, mlp, rnn } from '../fixtures/models.mjs';
import { RecordingSGD, expectClose } from '../fixtures/test-utils.js';
import type { TbpttOptions } from '../tbptt.js';
import { Trainer } from '../trainer.js';
import { WorkerPool } from './worker-pool.js';

// Worker threads run the compiled dist/node/worker.js (built by `pnpm test` / `pnpm build`) and import this
// JavaScript module of test models.
const MODELS = new URL('../fixtures/models.mjs', import.meta.url);
const MLP = { inputSize: 4, hidden: 16 };
const RNN = { inputSize: 3, hiddenSize: 8, outputSize: 2 };

const pools: WorkerPool[] = [];
function pool(size: number, exportName: string, options: unknown): WorkerPool {
  const p = new WorkerPool({ size, factory: { module: MODELS, export: exportName, options } });
  pools.push(p);
  return p;
}
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

interface Run {
  losses: number[];
  params: Float32Array[];
}

/** Trains from the same seed with `workers` threads (0: the calling thread) and returns per-update losses. */
async function train(
  workers: number,
  kind: 'mlp' | 'rnn' | 'lstm',
  data: TensorDataset,
  extra: { tbptt?: TbpttOptions; epochs?: number; batchSize?: number; dropout?: number } = {},
): Promise<Run> {
  manualSeed(42);
  const options = kind === 'mlp' ? { ...MLP, dropout: extra.dropout ?? 0 } : RNN;
  const { model, loss } = kind === 'mlp' ? mlp(options) : kind === 'rnn' ? rnn(options) : lstm(options);
  const trainer = new Trainer({
    model,
    loss,
    optimizer: new Adam(model.parameters(), { lr: 1e-2 }),
    workers: workers > 0 ? pool(workers, kind, options) : undefined,
    tbptt: extra.tbptt,
    clipGradNorm: 5,
    seed: 9,
    progress: false,
  });
  const h = await trainer.fit(data, { epochs: extra.epochs ?? 2, batchSize: extra.batchSize ?? 16 });
  await trainer.close();
  return { losses: h.steps.map((s) => s.loss), params: model.parameters().map((p) => new Float32Array(p.f32)) };
}

describe.each(testBackends())('WorkerPool (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it('workers: 2 follows the workers: 0 trajectory within float32 summation tolerance (MLP, 20 updates)', async () => {
    const data = regression(160, 1);
    const serial = await train(0, 'mlp', data);
    const parallel = await train(2, 'mlp', data);
    expect(serial.losses).toHaveLength(20);
    expectClose(parallel.losses, serial.losses, 1e-5, 0, 'loss per update');
    parallel.params.forEach((p, i) => {
      expectClose(p, serial.params[i]!, 1e-4, 1e-5, `parameter ${i}`);
    });
    // One worker computes the very same thing as the calling thread.
    const one = await train(1, 'mlp', data);
    expectClose(one.losses, serial.losses, 1e-6, 0, 'loss per update, 1 worker');
  });

  it('workers: 2 gives the workers: 0 losses per step within 1e-5 relative over 20 steps on an LSTM model', async () => {
    const data = sequences(160, 12, 5); // 2 epochs × 10 batches of 16
    const serial = await train(0, 'lstm', data);
    const parallel = await train(2, 'lstm', data);
    expect(serial.losses).toHaveLength(20);
    expect(serial.losses[19]!).toBeLessThan(serial.losses[0]! * 0.9); // it is training, not standing still
    expectClose(parallel.losses, serial.losses, 1e-5, 0, 'LSTM loss per step');
    parallel.params.forEach((p, i) => {
      expectClose(p, serial.params[i]!, 1e-4, 1e-5, `LSTM parameter ${i}`);
    });
  });

  it('workers: 2 follows workers: 0 on right-padded LSTM batches under TBPTT, shards weighted by valid steps', async () => {
    // Ragged lengths make the shards' valid-step counts differ (and some windows empty for a whole shard).
    const data = raggedSequences(32, 12, 6);
    for (const tbptt of [{ k1: 4, k2: 4 }, { k1: 3, k2: 5 }]) {
      const serial = await train(0, 'lstm', data, { tbptt, batchSize: 8, epochs: 1 });
      const parallel = await train(2, 'lstm', data, { tbptt, batchSize: 8, epochs: 1 });
      expect(serial.losses.length).toBeGreaterThan(4);
      expectClose(parallel.losses, serial.losses, 1e-5, 0, `ragged LSTM loss per update, k1 ${tbptt.k1} k2 ${tbptt.k2}`);
    }
  });

  it('workers: 2 follows workers: 0 under truncated BPTT, carrying each shard’s state (Elman RNN)', async () => {
    const data = sequences(24, 12, 3);
    const tbptt = { k1: 4, k2: 6 };
    const serial = await train(0, 'rnn', data, { tbptt, batchSize: 8, epochs: 1 });
    const parallel = await train(2, 'rnn', data, { tbptt, batchSize: 8, epochs: 1 });
    expect(serial.losses).toHaveLength(9); // 3 batches × 3 windows
    expectClose(parallel.losses, serial.losses, 1e-5, 0, 'loss per update');
    // The same in unequal shards (7 rows: 3 + 4) and with a batch smaller than the pool.
    const odd = sequences(15, 12, 4);
    const a = await train(0, 'rnn', odd, { tbptt, batchSize: 7, epochs: 1 });
    const b = await train(3, 'rnn', odd, { tbptt, batchSize: 7, epochs: 1 }); // last batch: 1 row for 3 workers
    expectClose(b.losses, a.losses, 1e-5, 0, 'loss per update, uneven shards');
  });

  it('writes the example-weighted full-batch mean gradient', async () => {
    manualSeed(3);
    const { model, loss } = mlp(MLP);
    const optimizer = new RecordingSGD(model.parameters(), { lr: 0 });
    const trainer = new Trainer({ model, loss, optimizer, workers: pool(2, 'mlp', MLP), progress: false });
    const data = regression(5, 2); // shards of 2 and 3 rows
    const batch = { input: data.inputs, target: data.targets };
    await trainer.trainOnBatch(batch);
    // The same batch object with new values in place (a reused buffer) is read afresh.
    data.targets.f32.forEach((v, i, a) => {
      a[i] = 2 * v + 1;
    });
    await trainer.trainOnBatch(batch);
    for (const [step, target] of [[0, regression(5, 2).targets], [1, data.targets]] as const) {
      for (const p of model.parameters()) p.grad = null;
      mseLoss(model.forward(data.inputs), target).backward();
      model.parameters().forEach((p, i) => {
        expectClose(optimizer.recorded[step]![i]!, p.grad!.f32, 1e-5, 1e-7, `step ${step} parameter ${i}`);
      });
    }
  });

  it('draws dropout masks from per-shard streams, so runs are reproducible', async () => {
    const data = regression(64, 1);
    const a = await train(2, 'mlp', data, { dropout: 0.5, epochs: 1 });
    const b = await train(2, 'mlp', data, { dropout: 0.5, epochs: 1 });
    const plain = await train(2, 'mlp', data, { epochs: 1 });
    expect(b.losses).toEqual(a.losses);
    expect(a.losses).not.toEqual(plain.losses);
  });

  it('a worker that throws fails the update with that error (message, class, stack) and the pool stays usable', async () => {
    manualSeed(4);
    const { model, loss, forward } = faulty(MLP);
    const workers = pool(2, 'faulty', MLP);
    const trainer = new Trainer({ model, loss, forward, optimizer: new Adam(model.parameters()), workers, progress: false });
    const data = regression(8, 1);
    await trainer.trainOnBatch({ input: data.inputs, target: data.targets });
    const before = model.parameters().map((p) => new Float32Array(p.f32));
    const bad = data.inputs.clone();
    bad.f32[4 * 4] = THROW_SENTINEL; // first row of the second shard
    const err = (await trainer.trainOnBatch({ input: bad, target: data.targets }).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(ShapeError);
    expect(err.message).toBe(`faulty: sentinel input ${THROW_SENTINEL} reached the model`);
    expect(err.stack).toContain('models.mjs'); // where it was thrown, in the worker
    expect(err.stack).toContain('<WorkerPool shard 2 of 2>');
    model.parameters().forEach((p, i) => {
      expect(p.f32).toEqual(before[i]);
    });
    expect(trainer.step).toBe(1);
    await trainer.trainOnBatch({ input: data.inputs, target: data.targets });
    expect(trainer.step).toBe(2);
    expect(workers.threads).toBe(2);
  });

  it('a worker that exits fails with a WorkerError, does not hang, and shuts the pool down', async () => {
    manualSeed(5);
    const { model, loss, forward } = faulty(MLP);
    const workers = pool(2, 'faulty', MLP);
    const trainer = new Trainer({ model, loss, forward, optimizer: new Adam(model.parameters()), workers, progress: false });
    const data = regression(8, 1);
    const bad = data.inputs.clone();
    bad.f32[0] = EXIT_SENTINEL;
    const started = performance.now();
    const err = (await trainer.trainOnBatch({ input: bad, target: data.targets }).catch((e: unknown) => e)) as Error;
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(err).toBeInstanceOf(WorkerError);
    expect(err.message).toMatch(
      /^WorkerPool shard 1 of 2: the worker thread died \(worker exited with code: 7\) before finishing its task; the pool has been shut down$/,
    );
    expect(workers.threads).toBe(0);
    await expect(trainer.trainOnBatch({ input: data.inputs, target: data.targets })).rejects.toThrow(
      /WorkerPool: the pool is closed after a worker failure \(.*worker exited with code: 7.*\); create a new WorkerPool/,
    );
  });

  it('reports factory problems as typed errors when the pool starts', async () => {
    const attach = async (exportName: string, options: unknown) => {
      manualSeed(6);
      const { model } = mlp(MLP);
      const workers = pool(2, exportName, options);
      const err = await workers.attach(model).catch((e: unknown) => e);
      expect(workers.threads).toBe(0);
      return err as Error;
    };
    const missing = await attach('createModel', MLP);
    expect(missing).toBeInstanceOf(ValueError);
    expect(missing.message).toMatch(/the factory module file:.*models\.mjs has no function export 'createModel' \(it exports: .*mlp.*\)/);
    expect(await attach('notAFactory', MLP)).toBeInstanceOf(ValueError);
    const other = await attach('mlp', { ...MLP, hidden: 3 });
    expect(other).toBeInstanceOf(ShapeError);
    expect(other.message).toContain('trainer: 0.weight [16, 4], 0.bias [16], 2.weight [1, 16], 2.bias [1]');
    expect(other.message).toContain('factory: 0.weight [3, 4], 0.bias [3], 2.weight [1, 3], 2.bias [1]');
    expect(() => new WorkerPool({ size: 2, factory: { module: '/no/such/model.mjs' } })).toThrow(
      new ValueError('WorkerPool: the factory module /no/such/model.mjs does not exist'),
    );
    expect(() => new WorkerPool({ size: 0, factory: { module: MODELS } })).toThrow(/size must be an integer >= 1, got 0/);
    expect(() => new WorkerPool({ size: 1, factory: { module: MODELS, options: { f: () => 1 } } })).toThrow(/structured-cloneable/);
  });

  it('binds the model to one pool only', async () => {
    manualSeed(7);
    const a = mlp(MLP).model;
    const workers = pool(1, 'mlp', MLP);
    await workers.attach(a);
    await workers.attach(a);
    await expect(workers.attach(mlp(MLP).model)).rejects.toThrow(/already attached to another model/);
    const grads = new Float32Array(3);
    await expect(
      workers.computeGradients({ batch: { input: {} as Tensor, target: {} as Tensor }, update: null, resetState: true, seed: 0, into: grads }),
    ).rejects.toThrow(/the gradient slab has 3 elements/);
  });
});
