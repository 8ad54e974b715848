import { Tensor, add, concat, mseLoss, manualSeed, mul, slice, sum } from '@elman/core';
import { testBackends, useBackend } from '@elman/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { lstm } from './fixtures/models.mjs';
import { RecordingSGD, expectClose, t } from './fixtures/test-utils.js';
import { Trainer } from './trainer.js';

// Right-padded batch: B 4, T 10, X 3, Y 2. One sequence fills the batch, one ends inside a window, one ends exactly
// at a window boundary (k = 3) and one has a single step.
const [B, T, X, Y] = [4, 10, 3, 2];
const LENGTHS = [10, 7, 6, 1];
const MAX = Math.max(...LENGTHS);

/** Deterministic inputs and targets; the padded steps hold large values that would dominate any loss that saw them. */
function batchData(): { x: Tensor; y: Tensor } {
  const x = new Float32Array(B * T * X);
  const y = new Float32Array(B * T * Y);
  for (let b = 0; b < B; b++) {
    for (let s = 0; s < T; s++) {
      const pad = s >= LENGTHS[b]!;
      for (let i = 0; i < X; i++) x[(b * T + s) * X + i] = pad ? 50 : Math.sin(1.3 * b + 0.7 * s + 2.1 * i);
      for (let j = 0; j < Y; j++) y[(b * T + s) * Y + j] = pad ? -99 : Math.cos(0.9 * b - 0.4 * s + j);
    }
  }
  return { x: new Tensor(x, [B, T, X]), y: new Tensor(y, [B, T, Y]) };
}

/**
 * The reference, built by hand without padding or lengths: every sequence runs alone (batch of 1) over its own
 * valid steps only, cut every k steps with the state detached (zeros at its start); window w's loss is the sum of
 * squared errors of all sequences' valid steps in [w·k, (w+1)·k) divided by their count × Y (mseLoss's mean).
 * Returns per window the loss and the parameters' gradients.
 */
function reference(k: number): { loss: number; grads: Float32Array[] }[] {
  const { x, y } = batchData();
  const windows: { loss: number; grads: Float32Array[] }[] = [];
  for (let w0 = 0; w0 < MAX; w0 += k) {
    manualSeed(11);
    const { model } = lstm({ inputSize: X, hiddenSize: 5, outputSize: Y });
    let sse: Tensor | null = null;
    let count = 0;
    for (let b = 0; b < B; b++) {
      const len = LENGTHS[b]!;
      if (len <= w0) continue;
      const xb = slice(x, 0, b, b + 1); // [1, T, X]
      const yb = slice(y, 0, b, b + 1); // [1, T, Y]
      let state: { h: Tensor; c: Tensor } | undefined;
      // Forward the earlier chunks without gradient paths into this window (detached at every chunk boundary).
      for (let a = 0; a < w0; a += k) {
        const r = model.forward(slice(xb, 1, a, a + k), state ? { state } : {});
        state = { h: r.state.h.detach(), c: r.state.c.detach() };
      }
      const end = Math.min(w0 + k, len);
      const r = model.forward(slice(xb, 1, w0, end), state ? { state } : {}); // [1, end − w0, Y]
      const diff = add(r.output, mul(slice(yb, 1, w0, end), -1));
      const e = sum(mul(diff, diff));
      sse = sse ? add(sse, e) : e;
      count += end - w0;
    }
    const loss = mul(sse!, 1 / (count * Y));
    loss.backward();
    windows.push({ loss: loss.item(), grads: model.parameters().map((p) => new Float32Array(p.grad!.f32)) });
  }
  return windows;
}

describe.each(testBackends())('truncated BPTT over right-padded sequences (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it.each([3, 4, MAX])(
    'TBPTT(k1 = k2 = %i) on an LSTM: one update per window up to the longest sequence, padded steps out of the loss, equal to per-sequence runs',
    async (k) => {
      const { x, y } = batchData();
      manualSeed(11);
      const { model, loss } = lstm({ inputSize: X, hiddenSize: 5, outputSize: Y });
      // lr 0: every update sees the same weights as the reference, which rebuilds the model per window.
      const optimizer = new RecordingSGD(model.parameters(), { lr: 0 });
      const trainer = new Trainer({ model, loss, optimizer, tbptt: { k1: k, k2: k }, progress: false, seed: 0 });
      const result = await trainer.trainOnBatch({ input: x, target: y, lengths: Int32Array.from(LENGTHS) });
      const ref = reference(k);
      expect(result.updates).toBe(Math.ceil(MAX / k));
      expect(ref).toHaveLength(result.updates);
      const losses = trainer.history.steps.map((s) => s.loss);
      expectClose(losses, ref.map((r) => r.loss), 1e-5, 1e-7, 'loss per window');
      ref.forEach((r, w) => {
        r.grads.forEach((g, i) => {
          expectClose(optimizer.recorded[w]![i]!, g, 1e-4, 1e-6, `window ${w} parameter ${i}`);
        });
      });
      // The batch loss is the mean over all valid steps, each window weighted by its valid steps.
      const counts = ref.map((_, w) => LENGTHS.reduce((n, len) => n + Math.max(0, Math.min(len, (w + 1) * k) - w * k), 0));
      const mean = ref.reduce((s, r, w) => s + r.loss * counts[w]!, 0) / counts.reduce((a, b) => a + b, 0);
      expect(result.loss).toBeCloseTo(mean, 5);
    },
  );

  it('a second batch starts every sequence from the zero state again', async () => {
    const { x, y } = batchData();
    manualSeed(11);
    const { model, loss } = lstm({ inputSize: X, hiddenSize: 5, outputSize: Y });
    const optimizer = new RecordingSGD(model.parameters(), { lr: 0 });
    const trainer = new Trainer({ model, loss, optimizer, tbptt: { k1: 3, k2: 3 }, progress: false, seed: 0 });
    const batch = { input: x, target: y, lengths: Int32Array.from(LENGTHS) };
    await trainer.trainOnBatch(batch);
    await trainer.trainOnBatch(batch);
    const losses = trainer.history.steps.map((s) => s.loss);
    expect(losses.slice(4)).toEqual(losses.slice(0, 4));
  });

  it('without a time axis in the targets, or with maskPadding: false, the loss sees every row and step', async () => {
    const { x, y } = batchData();
    const lengths = Int32Array.from(LENGTHS);
    manualSeed(11);
    const { model, loss } = lstm({ inputSize: X, hiddenSize: 5, outputSize: Y });
    const unmasked = new Trainer({ model, loss, optimizer: new RecordingSGD(model.parameters(), { lr: 0 }), maskPadding: false, progress: false });
    const all = await unmasked.trainOnBatch({ input: x, target: y, lengths });
    const out = model.forward(x, { lengths }).output; // [B, T, Y], zeros past each end
    expect(all.loss).toBeCloseTo(mseLoss(out, y).item(), 4);
    const masked = new Trainer({ model, loss, optimizer: new RecordingSGD(model.parameters(), { lr: 0 }), progress: false });
    const valid = await masked.trainOnBatch({ input: x, target: y, lengths });
    const rows = LENGTHS.map((len, b) => slice(slice(out, 0, b, b + 1), 1, 0, len).reshape([len, Y]));
    const targets = LENGTHS.map((len, b) => slice(slice(y, 0, b, b + 1), 1, 0, len).reshape([len, Y]));
    expect(valid.loss).toBeCloseTo(mseLoss(concat(rows, 0), concat(targets, 0)).item(), 5);
    expect(valid.loss).toBeLessThan(all.loss / 10); // the padded targets (−99) are out of the masked loss
    // evaluate reports the same masked loss (a mean over valid steps, across batches of 3 and 1 sequences).
    const evaluated = await masked.evaluate({ inputs: x, targets: y, lengths }, { batchSize: 3 });
    expect(evaluated.loss).toBeCloseTo(valid.loss, 5);
    // A per-sequence target [B, Y] has no time axis: nothing to mask, the loss is over the B final states.
    const last = t(Array.from({ length: B * Y }, (_, i) => i / 10), [B, Y]);
    const readout = t(Array.from({ length: 5 * Y }, (_, i) => 0.1 * (i - 4)), [5, Y]);
    const finalStates = (input: Tensor, lens: Int32Array) => model.forward(input, { lengths: lens }).state.h.matmul(readout); // [B, Y]
    const perSequence = new Trainer({
      model,
      loss,
      forward: (_m, input, options) => finalStates(input, options.lengths!),
      optimizer: new RecordingSGD(model.parameters(), { lr: 0 }),
      progress: false,
    });
    const r = await perSequence.trainOnBatch({ input: x, target: last, lengths });
    expect(r.loss).toBeCloseTo(mseLoss(finalStates(x, lengths), last).item(), 5);
  });
});
