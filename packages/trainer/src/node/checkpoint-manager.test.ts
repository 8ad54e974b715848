import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Adam,
  Linear,
  SerializationError,
  StateDictError,
  StepLR,
  ValueError,
  getBackend,
  loadSafetensors,
  manualSeed,
  saveSafetensors,
} from '@elman/core';
import { testBackends, useBackend } from '@elman/core/testing';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Callback } from '../callbacks.js';
import { CHECKPOINT_KEY } from '../checkpoint.js';
import { regression } from '../fixtures/data.js';
import { mlp } from '../fixtures/models.mjs';
import { Trainer } from '../trainer.js';
import { CheckpointManager, loadCheckpoint, saveCheckpoint } from './checkpoint-manager.js';
import { regressionData } from './fixtures/regression-data.mjs';
import { WorkerPool } from './worker-pool.js';

const MODELS = new URL('../fixtures/models.mjs', import.meta.url);
const MLP = { inputSize: 4, hidden: 16, dropout: 0.25 };

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'elman-ckpt-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A trainer with state everywhere a resume could miss it: dropout (global RNG), Adam, a scheduler, shuffling. */
function build(initSeed: number, workers = 0): Trainer {
  manualSeed(initSeed);
  const { model, loss } = mlp(MLP);
  const optimizer = new Adam(model.parameters(), { lr: 1e-2 });
  return new Trainer({
    model,
    loss,
    optimizer,
    scheduler: new StepLR(optimizer, { stepSize: 1, gamma: 0.8 }),
    workers: workers > 0 ? new WorkerPool({ size: workers, factory: { module: MODELS, export: 'mlp', options: MLP } }) : undefined,
    seed: initSeed + 10,
    progress: false,
  });
}

describe.each(testBackends())('checkpoints (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it.each([0, 2])('resume after epoch 1 reproduces epoch 2 of the uninterrupted run exactly (workers: %i)', async (workers) => {
    const train = regression(96, 1);
    const fitOptions = { batchSize: 16, validation: regression(32, 2), earlyStopping: { patience: 3, restoreBest: true } };
    const whole = build(1, workers);
    const full = await whole.fit(train, { ...fitOptions, epochs: 2 });
    await whole.close();

    const first = build(1, workers);
    await first.fit(train, { ...fitOptions, epochs: 1, checkpoint: new CheckpointManager({ dir }) });
    await first.close();
    expect((await readdir(dir)).sort()).toEqual(['epoch-0001.safetensors']);

    const second = build(77, workers); // different initial weights and seed: all state comes from the file
    const resumed = await second.fit(train, { ...fitOptions, epochs: 2, checkpoint: new CheckpointManager({ dir }), resume: true });
    await second.close();
    const epoch2 = (h: typeof full) => h.steps.filter((s) => s.epoch === 1).map((s) => s.loss);
    expect(epoch2(resumed)).toHaveLength(6);
    expect(epoch2(resumed)).toEqual(epoch2(full));
    expect(resumed.epochs).toEqual(full.epochs.map((e, i) => ({ ...e, seconds: resumed.epochs[i]!.seconds })));
    second.model.parameters().forEach((p, i) => {
      expect(p.f32).toEqual(whole.model.parameters()[i]!.f32);
    });
  });

  it('keeps the last k epoch checkpoints and the best one by a monitored log', async () => {
    const valLoss = [3, 1, 2, 0.5, 4];
    const script: Callback = { onEpochEnd: ({ epoch, logs }) => void (logs.val_score = valLoss[epoch]!) };
    const manager = new CheckpointManager({ dir, keepLast: 2, best: { monitor: 'val_score' } });
    const trainer = build(3);
    await trainer.fit(regression(32, 1), { epochs: 5, batchSize: 16, callbacks: [script], checkpoint: manager });
    expect((await readdir(dir)).sort()).toEqual(['best.safetensors', 'epoch-0004.safetensors', 'epoch-0005.safetensors']);
    const best = await manager.loadBest();
    expect(best!.metadata['elman.best.value']).toBe('0.5');
    expect(JSON.parse(best!.metadata[CHECKPOINT_KEY]!).epoch).toBe(4);
    expect(JSON.parse((await manager.loadLatest())!.metadata[CHECKPOINT_KEY]!).epoch).toBe(5);

    // A new manager over the same directory remembers the best value: a worse epoch does not replace it.
    const again = new CheckpointManager({ dir, keepLast: 2, best: { monitor: 'val_score' } });
    const before = (await stat(again.bestPath)).mtimeMs;
    await again.save(trainer.checkpoint(), { epoch: 6, step: 0, logs: { val_score: 0.7 } });
    expect((await stat(again.bestPath)).mtimeMs).toBe(before);
    await again.save(trainer.checkpoint(), { epoch: 7, step: 0, logs: { val_score: 0.4 } });
    expect((await again.loadBest())!.metadata['elman.best.value']).toBe('0.4');
    await expect(again.save(trainer.checkpoint(), { epoch: 8, step: 0, logs: { loss: 1 } })).rejects.toThrow(
      /best.monitor 'val_score' is not among the epoch logs \(loss\)/,
    );
  });

  it('saves every n epochs and keeps everything with keepLast: Infinity', async () => {
    const manager = new CheckpointManager({ dir, keepLast: Number.POSITIVE_INFINITY, every: 2 });
    await build(4).fit(regression(32, 1), { epochs: 5, batchSize: 16, checkpoint: manager });
    expect((await manager.list()).map((c) => c.epoch)).toEqual([2, 4]);
  });

  it('a crash while writing a checkpoint leaves the previous checkpoint intact, loadable and resumable', async () => {
    const script = fileURLToPath(new URL('./fixtures/crash-during-checkpoint.mjs', import.meta.url));
    const child = spawn(process.execPath, [script, dir, getBackend().name], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
    expect(signal, output).toBe('SIGKILL');

    const names = (await readdir(dir)).sort();
    // The half-written checkpoint never reached its name; only its temporary file is left behind.
    expect(names).toHaveLength(2);
    expect(names[0]).toMatch(/^\.epoch-0002\.safetensors\.[0-9a-f]+\.tmp$/);
    expect(names[1]).toBe('epoch-0001.safetensors');
    const partial = await readFile(join(dir, names[0]!));
    expect(partial.length).toBeGreaterThan(0);
    expect(() => loadSafetensors(partial)).toThrow(SerializationError); // it really was cut short

    const manager = new CheckpointManager({ dir, keepLast: 5 });
    expect((await manager.list()).map((c) => c.epoch)).toEqual([1]);
    const latest = await manager.loadLatest();
    expect(JSON.parse(latest!.metadata[CHECKPOINT_KEY]!).epoch).toBe(1);

    // Resuming from it gives the run the crashed process would have had.
    const rebuild = (seed: number) => {
      manualSeed(seed);
      const { model, loss } = mlp({ inputSize: 4, hidden: 16 });
      return new Trainer({ model, loss, optimizer: new Adam(model.parameters(), { lr: 1e-2 }), seed: 5, progress: false });
    };
    const reference = await rebuild(1).fit(regressionData(), { epochs: 3, batchSize: 16 });
    const resumed = await rebuild(9).fit(regressionData(), { epochs: 3, batchSize: 16, checkpoint: manager, resume: true });
    expect(resumed.steps.map((s) => s.loss)).toEqual(reference.steps.map((s) => s.loss));
    expect((await manager.list()).map((c) => c.epoch)).toEqual([1, 2, 3]);
  });

  it('resume: true with an empty directory starts from scratch', async () => {
    const trainer = build(5);
    const h = await trainer.fit(regression(32, 1), { epochs: 1, batchSize: 16, checkpoint: new CheckpointManager({ dir }), resume: true });
    expect(h.epochs).toHaveLength(1);
    expect(await new CheckpointManager({ dir: join(dir, 'none') }).loadLatest()).toBeNull();
    await expect(trainer.fit(regression(32, 1), { resume: true })).rejects.toThrow(/resume: true needs a checkpoint store/);
  });

  it('names damaged, foreign and mismatched checkpoint files', async () => {
    const trainer = build(6);
    await trainer.fit(regression(32, 1), { epochs: 1, batchSize: 16, checkpoint: new CheckpointManager({ dir }) });
    const path = join(dir, 'epoch-0001.safetensors');
    const good = await loadCheckpoint(path);

    await writeFile(path, new Uint8Array(10));
    const damaged = await new CheckpointManager({ dir }).loadLatest().catch((e: unknown) => e);
    expect(damaged).toBeInstanceOf(SerializationError);
    expect((damaged as Error).message).toContain(path);

    const foreign = join(dir, 'model.safetensors');
    await writeFile(foreign, saveSafetensors(new Linear(2, 2).stateDict()));
    await expect(loadCheckpoint(foreign)).rejects.toThrow(new SerializationError(`${foreign}: not a trainer checkpoint (no 'elman.trainer' metadata)`));

    manualSeed(0);
    const other = mlp({ inputSize: 4, hidden: 5 });
    const mismatch = new Trainer({ ...other, optimizer: new Adam(other.model.parameters()), progress: false });
    expect(() => mismatch.restore(good)).toThrow(StateDictError);
    expect(() => mismatch.restore({ tensors: {}, metadata: {} })).toThrow(/not a trainer checkpoint/);
    expect(() => mismatch.restore({ tensors: {}, metadata: { [CHECKPOINT_KEY]: '{"format":"x/0"}' } })).toThrow(
      /unsupported checkpoint format 'x\/0'/,
    );
    // The scheduler is part of the state: a trainer without one cannot take a checkpoint that has one.
    const plain = build(6);
    const noScheduler = new Trainer({ model: plain.model, loss: plain.loss, optimizer: plain.optimizer, progress: false });
    expect(() => noScheduler.restore(good)).toThrow(/saved with a scheduler but this trainer has none/);
    await saveCheckpoint(path, good);
    expect(Object.keys((await loadCheckpoint(path)).tensors)).toEqual(Object.keys(good.tensors));
  });

  it('rejects bad options', () => {
    expect(() => new CheckpointManager({ dir: '' })).toThrow(ValueError);
    expect(() => new CheckpointManager({ dir, keepLast: 0 })).toThrow(/keepLast must be an integer >= 1 or Infinity, got 0/);
    expect(() => new CheckpointManager({ dir, every: 1.5 })).toThrow(/every must be an integer >= 1/);
    expect(() => new CheckpointManager({ dir, best: { monitor: 'x', mode: 'up' as never } })).toThrow(/best.mode/);
  });
});
