import { Adam, manualSeed } from '@elman/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { BatchEndInfo } from './callbacks.js';
import { regression } from './fixtures/data.js';
import { mlp } from './fixtures/models.mjs';
import { ProgressReporter, formatLogs } from './progress.js';
import { Trainer } from './trainer.js';

/** A stream that records what is written. */
function sink(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, write: (s: string) => chunks.push(s) } };
}

/** Drives one epoch of `numBatches` batches of 32 examples, one batch per simulated second. */
function runEpoch(reporter: ProgressReporter, clock: { now: number }, numBatches: number | undefined, batches: number): void {
  const trainer = {} as BatchEndInfo['trainer'];
  reporter.onEpochBegin({ trainer, epoch: 1, epochs: 3, numBatches });
  for (let b = 0; b < batches; b++) {
    clock.now += 1000;
    reporter.onBatchEnd({ trainer, epoch: 1, epochs: 3, batch: b, size: 32, numBatches, loss: 0.5 + b, step: b + 1 });
  }
  clock.now += 500;
  reporter.onEpochEnd({ trainer, epoch: 1, epochs: 3, numBatches, logs: { loss: 1.25, val_loss: 0.000123 } });
}

describe('ProgressReporter', () => {
  const ci = process.env.CI;
  afterEach(() => {
    if (ci === undefined) delete process.env.CI;
    else process.env.CI = ci;
  });

  it('redraws a bar in place on a terminal, with loss, throughput and ETA', () => {
    const { chunks, stream } = sink(true);
    const clock = { now: 0 };
    const reporter = new ProgressReporter({ mode: 'bar', stream, width: 8, now: () => clock.now });
    runEpoch(reporter, clock, 4, 4);
    expect(chunks[0]).toBe('\repoch 2/3 [==      ] · 1/4 · loss 0.5 · 32 ex/s · ETA 0:03');
    // A shorter redraw pads with spaces over the rest of the previous one.
    expect(chunks[1]).toBe('\repoch 2/3 [====    ] · 2/4 · loss 1 · 32 ex/s · ETA 0:02  ');
    expect(chunks[3]!.trimEnd()).toBe('\repoch 2/3 [========] · 4/4 · loss 2 · 32 ex/s');
    expect(chunks[3]).toHaveLength(chunks[2]!.length);
    // The summary overwrites the bar and ends its line.
    expect(chunks[4]).toBe('\repoch 2/3 · 4.5s · loss 1.25 · val_loss 1.230e-4\n');
    expect(chunks).toHaveLength(5);
  });

  it('throttles redraws but always draws the last batch', () => {
    const { chunks, stream } = sink(true);
    const clock = { now: 0 };
    const reporter = new ProgressReporter({ mode: 'bar', stream, redrawMs: 2500, now: () => clock.now });
    runEpoch(reporter, clock, 4, 4);
    // Draws at 3 s (first ≥ 2.5 s after the start) and at the last batch (4 s), then the summary.
    expect(chunks.map((c) => /· (\d)\/4/.exec(c)?.[1] ?? 'end')).toEqual(['3', '4', 'end']);
  });

  it('prints plain periodic lines when not on a terminal', () => {
    const { chunks, stream } = sink(false);
    const clock = { now: 0 };
    const reporter = new ProgressReporter({ stream, intervalMs: 2000, now: () => clock.now });
    expect(reporter.mode).toBe('lines');
    runEpoch(reporter, clock, undefined, 5);
    expect(chunks).toEqual([
      'epoch 2/3 · batch 2 · loss 1 · 32 ex/s\n',
      'epoch 2/3 · batch 4 · loss 2 · 32 ex/s\n',
      'epoch 2/3 · 5.5s · loss 1.25 · val_loss 1.230e-4\n',
    ]);
    expect(chunks.join('')).not.toContain('\r');
  });

  it('uses the previous epoch’s batch count as the total when the data cannot tell', () => {
    const { chunks, stream } = sink(false);
    const clock = { now: 0 };
    const reporter = new ProgressReporter({ mode: 'lines', stream, intervalMs: 0, now: () => clock.now });
    reporter.noteEpochBatches(5);
    runEpoch(reporter, clock, undefined, 2);
    expect(chunks[0]).toBe('epoch 2/3 · 1/5 · loss 0.5 · 32 ex/s · ETA 0:04\n');
  });

  it("chooses a bar on a terminal, and lines in CI ('auto')", () => {
    delete process.env.CI;
    expect(new ProgressReporter({ stream: sink(true).stream }).mode).toBe('bar');
    expect(new ProgressReporter({ stream: sink(false).stream }).mode).toBe('lines');
    process.env.CI = 'true';
    expect(new ProgressReporter({ stream: sink(true).stream }).mode).toBe('lines');
    expect(new ProgressReporter({ mode: 'none', stream: sink(true).stream }).mode).toBe('none');
    expect(() => new ProgressReporter({ mode: 'fancy' as never })).toThrow(/mode must be 'auto', 'bar', 'lines' or 'none'/);
  });

  it('formats logs compactly', () => {
    expect(formatLogs({ loss: 0.123456, val_acc: 0.5, big: 12345678, nan: Number.NaN })).toBe(
      'loss 0.1235 · val_acc 0.5 · big 1.235e+7 · nan NaN',
    );
  });

  it('is what Trainer.fit prints', async () => {
    manualSeed(0);
    const { model, loss } = mlp();
    const { chunks, stream } = sink(false);
    const trainer = new Trainer({ model, optimizer: new Adam(model.parameters()), loss, progress: { stream }, seed: 0 });
    await trainer.fit(regression(32, 1), { epochs: 2, batchSize: 8, validation: regression(8, 2) });
    expect(chunks).toHaveLength(2);
    expect(chunks[0]).toMatch(/^epoch 1\/2 · \d+\.\ds · loss [\d.]+ · val_loss [\d.]+\n$/);
    expect(chunks[1]).toMatch(/^epoch 2\/2 /);
  });
});
