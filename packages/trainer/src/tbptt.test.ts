import { type Tensor, ShapeError, ValueError, add, matmul, mseLoss, stack, tanh, zeros } from '@elman/core';
import { testBackends, useBackend } from '@elman/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { ElmanRnn } from './fixtures/models.mjs';
import { RecordingSGD, expectClose, readFixture, t } from './fixtures/test-utils.js';
import { forwardBackward } from './gradient-step.js';
import { defaultForward } from './model.js';
import type { RecurrentState } from './recurrent-state.js';
import { planTbptt, segmentBounds } from './tbptt.js';
import { Trainer } from './trainer.js';

/** fixtures/make-tbptt.py: hand-derived truncated-BPTT gradients of an Elman RNN in float64 NumPy. */
interface TbpttFixture {
  sizes: { B: number; T: number; X: number; H: number; Y: number };
  params: Record<string, number[]>;
  x: number[];
  target: number[];
  cases: { k1: number; k2: number; updates: ({ window: number[]; loss: number } & Record<string, number[]>)[] }[];
}
const fx = readFixture<TbpttFixture>('./fixtures/tbptt.json', import.meta.url);
const { B, T, X, H, Y } = fx.sizes;
const PARAM_NAMES = ['weight_ih', 'weight_hh', 'bias', 'head.weight', 'head.bias'] as const;

/** The fixture's RNN (parameters in the order of PARAM_NAMES) and data. */
function fixtureRnn(): { model: ElmanRnn; x: Tensor; target: Tensor } {
  const model = new ElmanRnn({ inputSize: X, hiddenSize: H, outputSize: Y });
  model.loadStateDict({
    weight_ih: t(fx.params.weight_ih!, [X, H]),
    weight_hh: t(fx.params.weight_hh!, [H, H]),
    bias: t(fx.params.bias!, [H]),
    'head.weight': t(fx.params['head.weight']!, [Y, H]),
    'head.bias': t(fx.params['head.bias']!, [Y]),
  });
  expect(model.namedParameters().map(([n]) => n)).toEqual([...PARAM_NAMES]);
  return { model, x: t(fx.x, [B, T, X]), target: t(fx.target, [B, T, Y]) };
}

describe('planTbptt', () => {
  it('steps every k1 and detaches every k2 when k2 <= k1', () => {
    expect(planTbptt(9, { k1: 4, k2: 2 })).toEqual([
      { start: 0, lossFrom: 0, end: 4, detachEvery: 2, carryAt: 4 },
      { start: 4, lossFrom: 4, end: 8, detachEvery: 2, carryAt: 8 },
      { start: 8, lossFrom: 8, end: 9, detachEvery: 2, carryAt: 9 },
    ]);
    expect(segmentBounds({ start: 4, lossFrom: 4, end: 9, detachEvery: 2, carryAt: 9 })).toEqual([4, 6, 8, 9]);
  });

  it('reaches back k2 steps and carries the state at the next window start when k2 > k1', () => {
    expect(planTbptt(9, { k1: 2, k2: 5 })).toEqual([
      { start: 0, lossFrom: 0, end: 2, detachEvery: 0, carryAt: 0 },
      { start: 0, lossFrom: 2, end: 4, detachEvery: 0, carryAt: 1 },
      { start: 1, lossFrom: 4, end: 6, detachEvery: 0, carryAt: 3 },
      { start: 3, lossFrom: 6, end: 8, detachEvery: 0, carryAt: 4 },
      { start: 4, lossFrom: 8, end: 9, detachEvery: 0, carryAt: 4 },
    ]);
    expect(segmentBounds({ start: 1, lossFrom: 4, end: 6, detachEvery: 0, carryAt: 3 })).toEqual([1, 3, 6]);
  });

  it('is one full-length update when k1 = k2 = T', () => {
    expect(planTbptt(7, { k1: 7, k2: 7 })).toEqual([{ start: 0, lossFrom: 0, end: 7, detachEvery: 7, carryAt: 7 }]);
  });

  it('rejects k1 or k2 below 1', () => {
    expect(() => planTbptt(5, { k1: 0, k2: 1 })).toThrow(ValueError);
    expect(() => planTbptt(5, { k1: 2, k2: 1.5 })).toThrow(/tbptt\.k2 must be an integer >= 1, got 1.5/);
  });
});

describe.each(testBackends())('truncated BPTT gradients (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it.each(fx.cases.map((c) => [c.k1, c.k2, c] as const))(
    'TBPTT(k1 = %i, k2 = %i) matches the hand-derived NumPy gradients update by update',
    (k1, k2, c) => {
      const { model, x, target } = fixtureRnn();
      const ctx = { model, forward: defaultForward, loss: mseLoss };
      let state: RecurrentState | undefined;
      const updates = planTbptt(T, { k1, k2 });
      expect(updates.map((u) => [u.start, u.lossFrom, u.end])).toEqual(c.updates.map((u) => u.window));
      updates.forEach((update, i) => {
        model.zeroGrad(true);
        const r = forwardBackward(ctx, { input: x, target }, update, state);
        state = r.carry;
        const ref = c.updates[i]!;
        expect(r.loss).toBeCloseTo(ref.loss, 5);
        model.namedParameters().forEach(([name, p]) => {
          expectClose(p.grad!.f32, ref[name]!, 1e-4, 1e-6, `update ${i} ${name}`);
        });
      });
    },
  );

  it('Trainer({tbptt}) steps once per window with exactly those gradients', async () => {
    for (const c of fx.cases.filter((k) => k.k1 !== k.k2)) {
      const { model, x, target } = fixtureRnn();
      const optimizer = new RecordingSGD(model.parameters(), { lr: 0 });
      const trainer = new Trainer({ model, optimizer, loss: mseLoss, tbptt: { k1: c.k1, k2: c.k2 }, progress: false, seed: 0 });
      const result = await trainer.trainOnBatch({ input: x, target });
      expect(result.updates).toBe(c.updates.length);
      expect(optimizer.recorded).toHaveLength(c.updates.length);
      c.updates.forEach((ref, i) => {
        PARAM_NAMES.forEach((name, k) => {
          expectClose(optimizer.recorded[i]![k]!, ref[name]!, 1e-4, 1e-6, `k1 ${c.k1} k2 ${c.k2} update ${i} ${name}`);
        });
        expect(trainer.history.steps[i]!.loss).toBeCloseTo(ref.loss, 5);
      });
    }
  });

  it('equals a hand-built unroll that detaches the state every k2 steps (k1 = 6, k2 = 2)', async () => {
    const { model, x, target } = fixtureRnn();
    const optimizer = new RecordingSGD(model.parameters(), { lr: 0 });
    const trainer = new Trainer({ model, optimizer, loss: mseLoss, tbptt: { k1: 6, k2: 2 }, progress: false, seed: 0 });
    await trainer.trainOnBatch({ input: x, target });
    expect(optimizer.recorded).toHaveLength(2); // windows [0, 6) and [6, 9)

    // The same computation written out step by step with core ops.
    const [wih, whh, bias, hw, hb] = model.parameters() as [Tensor, Tensor, Tensor, Tensor, Tensor];
    let h: Tensor = zeros([B, H]);
    for (const [u, [t0, t1]] of ([[0, 6], [6, 9]] as const).entries()) {
      for (const p of model.parameters()) p.grad = null;
      const ys: Tensor[] = [];
      for (let step = t0; step < t1; step++) {
        if ((step - t0) % 2 === 0) h = h.detach(); // the cut every k2 = 2 steps
        h = tanh(add(add(matmul(x.select(1, step), wih), matmul(h, whh)), bias)); // [B, H]
        ys.push(add(matmul(h, hw.transpose()), hb)); // [B, Y]
      }
      mseLoss(stack(ys, 1), target.slice(1, t0, t1)).backward();
      model.parameters().forEach((p, k) => {
        expectClose(optimizer.recorded[u]![k]!, p.grad!.f32, 1e-5, 1e-7, `window ${u} param ${k}`);
      });
    }
  });

  it('with k1 = k2 = T equals full BPTT over the whole sequence', async () => {
    const { model, x, target } = fixtureRnn();
    const optimizer = new RecordingSGD(model.parameters(), { lr: 0 });
    const trainer = new Trainer({ model, optimizer, loss: mseLoss, tbptt: { k1: T, k2: T }, progress: false, seed: 0 });
    const { loss } = await trainer.trainOnBatch({ input: x, target });
    expect(optimizer.recorded).toHaveLength(1);
    for (const p of model.parameters()) p.grad = null;
    const full = mseLoss(model.forward(x).output, target);
    full.backward();
    expect(loss).toBeCloseTo(full.item(), 6);
    model.parameters().forEach((p, k) => {
      expectClose(optimizer.recorded[0]![k]!, p.grad!.f32, 1e-6, 1e-8, `param ${k}`);
    });
  });

  it('starts every batch from the zero state (sequence boundaries)', async () => {
    const { model, x, target } = fixtureRnn();
    const optimizer = new RecordingSGD(model.parameters(), { lr: 0 });
    const trainer = new Trainer({ model, optimizer, loss: mseLoss, tbptt: { k1: 4, k2: 2 }, progress: false, seed: 0 });
    await trainer.trainOnBatch({ input: x, target });
    await trainer.trainOnBatch({ input: x, target });
    const n = optimizer.recorded.length / 2;
    for (let i = 0; i < n; i++) {
      optimizer.recorded[i]!.forEach((g, k) => {
        expect(optimizer.recorded[n + i]![k]).toEqual(g);
      });
    }
  });

  it('rejects batches without a shared time axis', async () => {
    const { model } = fixtureRnn();
    const trainer = new Trainer({ model, optimizer: new RecordingSGD(model.parameters(), { lr: 0 }), loss: mseLoss, tbptt: { k1: 2, k2: 2 }, progress: false });
    await expect(trainer.trainOnBatch({ input: zeros([2, 5, X]), target: zeros([2, 4, Y]) })).rejects.toThrow(ShapeError);
    await expect(trainer.trainOnBatch({ input: zeros([2, 5, X]), target: zeros([2, 4, Y]) })).rejects.toThrow(
      /truncated BPTT needs \[B, T, \.\.\.\] inputs and targets with the same T, got input \[2, 5, 2\] and target \[2, 4, 2\]/,
    );
  });
});
