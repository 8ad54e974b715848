import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { tensor } from '../creation.js';
import { StateDictError, ValueError } from '../errors.js';
import { testBackends, useBackend } from '../testing/index.js';
import { CosineAnnealingLR } from './cosine-annealing-lr.js';
import { ExponentialLR } from './exponential-lr.js';
import { LambdaLR } from './lambda-lr.js';
import { LinearWarmup } from './linear-warmup.js';
import type { LRScheduler } from './lr-scheduler.js';
import { SGD } from './sgd.js';
import { StepLR } from './step-lr.js';

// Learning rates at t = 0 … n from fixtures/make-fixtures.py, which evaluates PyTorch's closed forms in Python.
interface ScheduleCase {
  name: string;
  scheduler: 'StepLR' | 'ExponentialLR' | 'CosineAnnealingLR' | 'LinearWarmup' | 'LambdaLR';
  options: Record<string, unknown>;
  baseLrs: number[];
  expected: number[][];
}
const cases = (
  JSON.parse(readFileSync(new URL('./fixtures/optim.json', import.meta.url), 'utf8')) as { schedulers: ScheduleCase[] }
).schedulers;

/** An SGD optimizer with one single-parameter group per learning rate. */
function optimizer(lrs: number[]): SGD {
  return new SGD(lrs.map((lr) => ({ params: [tensor([1], undefined, { requiresGrad: true })], lr })));
}

function scheduler(c: ScheduleCase, opt: SGD): LRScheduler {
  const o = c.options as never;
  switch (c.scheduler) {
    case 'StepLR':
      return new StepLR(opt, o);
    case 'ExponentialLR':
      return new ExponentialLR(opt, o);
    case 'CosineAnnealingLR':
      return new CosineAnnealingLR(opt, o);
    case 'LambdaLR':
      // Same multiplier as the fixture script: 1 / (1 + t/2).
      return new LambdaLR(opt, { lrLambda: (t) => 1 / (1 + 0.5 * t) });
    case 'LinearWarmup': {
      const { after, ...rest } = c.options as { after?: { tMax: number } };
      const inner = after ? new CosineAnnealingLR(opt, { tMax: after.tMax }) : undefined;
      return new LinearWarmup(opt, { ...(rest as { warmupSteps: number }), after: inner });
    }
  }
}

function expectClose(actual: number[], expected: number[]): void {
  actual.forEach((v, i) => {
    expect(Math.abs(v - expected[i]!)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected[i]!)));
  });
}

describe.each(testBackends())('LR schedulers (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it.each(cases.map((c) => [c.name, c] as const))('%s follows the closed form', (_name, c) => {
    const opt = optimizer(c.baseLrs);
    const s = scheduler(c, opt);
    c.expected.forEach((lrs, t) => {
      if (t > 0) {
        opt.step();
        s.step();
      }
      expect(s.lastEpoch).toBe(t);
      expectClose(s.getLastLr(), lrs);
      expectClose(
        opt.paramGroups.map((g) => g.lr),
        lrs,
      );
    });
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s resumes from its state', (_name, c) => {
    const opt = optimizer(c.baseLrs);
    const s = scheduler(c, opt);
    for (let t = 0; t < 5; t++) s.step();
    const saved = JSON.parse(JSON.stringify(s.stateDict())) as ReturnType<LRScheduler['stateDict']>;
    // A resumed run rebuilds the optimizer with the original rates (the optimizer's state dict may differ).
    const opt2 = optimizer(c.baseLrs.map((lr) => lr * 3));
    const s2 = scheduler(c, opt2);
    s2.loadStateDict(saved);
    expectClose(s2.getLastLr(), c.expected[5]!);
    for (let t = 6; t < c.expected.length; t++) {
      s2.step();
      expectClose(s2.getLastLr(), c.expected[t]!);
    }
  });

  it('writes the rate used by the optimizer', () => {
    const p = tensor([0], undefined, { requiresGrad: true });
    const opt = new SGD([p], { lr: 1 });
    const s = new StepLR(opt, { stepSize: 1, gamma: 0.5 });
    for (let t = 0; t < 3; t++) {
      p.grad = tensor([-1]);
      opt.step();
      s.step();
    }
    expect(p.item()).toBe(1 + 0.5 + 0.25);
  });

  it('rejects bad options and mismatched state', () => {
    const opt = optimizer([0.1]);
    expect(() => new StepLR(opt, { stepSize: 0 })).toThrow(/^StepLR: stepSize must be an integer >= 1, got 0$/);
    expect(() => new StepLR(opt, { stepSize: 2, gamma: -1 })).toThrow(/^StepLR: gamma /);
    expect(() => new ExponentialLR(opt, { gamma: Number.NaN })).toThrow(ValueError);
    expect(() => new CosineAnnealingLR(opt, { tMax: 1.5 })).toThrow(/^CosineAnnealingLR: tMax /);
    expect(() => new CosineAnnealingLR(opt, { tMax: 5, etaMin: -1 })).toThrow(/^CosineAnnealingLR: etaMin /);
    expect(() => new LinearWarmup(opt, { warmupSteps: 3, startFactor: 2 })).toThrow(/^LinearWarmup: startFactor /);
    expect(() => new LinearWarmup(opt, { warmupSteps: 4, after: new ExponentialLR(optimizer([0.1]), { gamma: 0.9 }) })).toThrow(
      /different optimizer/,
    );
    expect(() => new LambdaLR(opt, { lrLambda: [(t) => t, (t) => t] })).toThrow(/^LambdaLR: lrLambda must be/);
    const bad = new LambdaLR(opt, { lrLambda: (t) => (t < 2 ? 1 : Number.NaN) });
    bad.step();
    expect(() => bad.step()).toThrow(/^LambdaLR: lrLambda returned NaN at step 2 for param group 0$/);

    const state = new StepLR(opt, { stepSize: 2 }).stateDict();
    expect(() => new ExponentialLR(opt, { gamma: 0.9 }).loadStateDict(state)).toThrow(StateDictError);
    expect(() => new StepLR(optimizer([0.1, 0.2]), { stepSize: 2 }).loadStateDict(state)).toThrow(
      /^StepLR\.loadStateDict: 1 base learning rates for 2 param groups$/,
    );
  });
});
