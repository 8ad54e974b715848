import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { tensor } from '../creation.js';
import { ValueError } from '../errors.js';
import { add, matmul, mean, mul, square, sub } from '../ops/index.js';
import { Generator } from '../random.js';
import { Tensor } from '../tensor.js';
import { testBackends, useBackend } from '../testing/index.js';
import { Adagrad } from './adagrad.js';
import { Adam } from './adam.js';
import { AdamW } from './adamw.js';
import type { Optimizer, ParamGroupInput } from './optimizer.js';
import { RMSprop } from './rmsprop.js';
import { SGD } from './sgd.js';

type OptimizerName = 'SGD' | 'Adam' | 'AdamW' | 'RMSprop' | 'Adagrad';
type AnyOptimizerCtor = new (
  params: Iterable<Tensor> | Iterable<ParamGroupInput>,
  options?: Record<string, unknown>,
) => Optimizer;
const OPTIMIZERS = { SGD, Adam, AdamW, RMSprop, Adagrad } as unknown as Record<OptimizerName, AnyOptimizerCtor>;

// fixtures/make-fixtures.py re-implements torch.optim's update rules in float64 NumPy, independently of this code.
interface OptimizerCase {
  name: string;
  optimizer: OptimizerName;
  options: Record<string, unknown>;
  groups: Array<{ params: number[] } & Record<string, unknown>>;
  shapes: number[][];
  params: unknown[];
  grads: unknown[][];
  expected: unknown[][];
  state: Record<string, unknown>;
}
const cases = (
  JSON.parse(readFileSync(new URL('./fixtures/optim.json', import.meta.url), 'utf8')) as { optimizers: OptimizerCase[] }
).optimizers;

function flat(v: unknown): number[] {
  return Array.isArray(v) ? (v.flat(Number.POSITIVE_INFINITY) as number[]) : [v as number];
}

/**
 * Largest error relative to max(|expected|, 1). The values are O(1); float32 storage of parameters and buffers
 * (relative rounding 6e-8 per step) keeps a correct implementation near 1e-7, while any formula slip (a missing
 * bias correction, dampening on the first step, L2 vs decoupled decay) moves the trajectory by 1e-3 or more.
 */
function maxRelError(actual: ArrayLike<number>, expected: number[]): number {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    worst = Math.max(worst, Math.abs(actual[i]! - e) / Math.max(Math.abs(e), 1));
  }
  return worst;
}

function build(c: OptimizerCase): { opt: Optimizer; params: Tensor[] } {
  const params = c.shapes.map((s, i) => tensor(flat(c.params[i]), s, { requiresGrad: true }));
  const groups = c.groups.map(({ params: ids, ...h }) => ({ ...h, params: ids.map((i) => params[i]!) }));
  const opt = new OPTIMIZERS[c.optimizer](groups, c.options);
  return { opt, params };
}

describe.each(testBackends())('optimizers (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  describe('parity with the NumPy reference of torch.optim', () => {
    it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
      const { opt, params } = build(c);
      c.grads.forEach((stepGrads, k) => {
        params.forEach((p, i) => {
          p.grad = tensor(flat(stepGrads[i]), c.shapes[i]!);
        });
        opt.step();
        params.forEach((p, i) => {
          expect(maxRelError(p.f32, flat(c.expected[k]![i])), `step ${k + 1}, param ${i}`).toBeLessThan(1e-6);
        });
      });
      const { state } = opt.stateDict();
      expect(Object.keys(state).sort()).toEqual(Object.keys(c.state).sort());
      for (const [key, t] of Object.entries(state)) {
        expect(maxRelError(t.f32, flat(c.state[key])), key).toBeLessThan(1e-6);
      }
    });
  });

  describe('minimisation through autograd', () => {
    // Least squares with a known exact solution: w* solves X w* = y for a well-conditioned random X.
    const gen = new Generator(7);
    const X = new Tensor(gen.fillNormal(new Float32Array(64 * 4)), [64, 4]); // [N, D]
    const wStar = tensor([[1.5], [-2], [0.5], [3]]); // [D, 1]
    const y = matmul(X, wStar); // [N, 1]

    const configs: Array<[string, (p: Tensor[]) => Optimizer, number]> = [
      ['SGD', (p) => new SGD(p, { lr: 0.1 }), 300],
      ['SGD nesterov', (p) => new SGD(p, { lr: 0.05, momentum: 0.9, nesterov: true }), 200],
      ['Adam', (p) => new Adam(p, { lr: 0.05 }), 600],
      ['Adam amsgrad', (p) => new Adam(p, { lr: 0.05, amsgrad: true }), 600],
      ['AdamW (no decay)', (p) => new AdamW(p, { lr: 0.05, weightDecay: 0 }), 600],
      ['RMSprop centered', (p) => new RMSprop(p, { lr: 0.01, centered: true }), 800],
      ['Adagrad', (p) => new Adagrad(p, { lr: 0.5 }), 800],
    ];
    it.each(configs)('%s recovers the least-squares solution', (_name, make, steps) => {
      const w = new Tensor(new Float32Array(4), [4, 1], true);
      const opt = make([w]);
      let first = Number.NaN;
      let loss = Number.NaN;
      for (let s = 0; s < steps; s++) {
        opt.zeroGrad();
        const l = mean(square(sub(matmul(X, w), y)));
        loss = l.item();
        if (s === 0) first = loss;
        l.backward();
        opt.step();
      }
      expect(loss).toBeLessThan(first * 1e-4);
      const err = flat(w.toArray()).map((v, i) => Math.abs(v - wStar.f32[i]!));
      expect(Math.max(...err)).toBeLessThan(1e-2);
    });

    it('Adam finds the minimum of the Rosenbrock function', () => {
      // f(a, b) = (1 − a)² + 100(b − a²)², minimum 0 at (1, 1) at the end of a curved narrow valley.
      const a = tensor([-1.5], undefined, { requiresGrad: true });
      const b = tensor([2], undefined, { requiresGrad: true });
      const opt = new Adam([a, b], { lr: 0.02 });
      for (let s = 0; s < 5000; s++) {
        opt.zeroGrad();
        const f = add(square(sub(1, a)), mul(100, square(sub(b, square(a)))));
        f.sum().backward();
        opt.step();
      }
      expect(Math.abs(a.item() - 1)).toBeLessThan(1e-2);
      expect(Math.abs(b.item() - 1)).toBeLessThan(2e-2);
    });
  });

  describe('option validation', () => {
    const bad: Array<[OptimizerName, Record<string, unknown>, RegExp]> = [
      ['SGD', { lr: -0.1 }, /^SGD: lr must be a finite number >= 0, got -0\.1$/],
      ['SGD', { lr: Number.NaN }, /^SGD: lr /],
      ['SGD', { momentum: -0.5 }, /^SGD: momentum /],
      ['SGD', { weightDecay: -1 }, /^SGD: weightDecay /],
      ['SGD', { nesterov: true }, /^SGD: nesterov needs momentum > 0 and dampening 0/],
      ['SGD', { nesterov: true, momentum: 0.9, dampening: 0.1 }, /^SGD: nesterov needs/],
      ['Adam', { lr: -1e-3 }, /^Adam: lr /],
      ['Adam', { betas: [1, 0.999] }, /^Adam: betas\[0\] must be in \[0, 1\), got 1$/],
      ['Adam', { betas: [0.9, -0.1] }, /^Adam: betas\[1\] must be in \[0, 1\)/],
      ['Adam', { betas: [0.9] }, /^Adam: betas must be a pair/],
      ['Adam', { eps: -1e-8 }, /^Adam: eps /],
      ['Adam', { amsgrad: 1 }, /^Adam: amsgrad must be a boolean/],
      ['AdamW', { weightDecay: -0.01 }, /^AdamW: weightDecay /],
      ['AdamW', { betas: [0.9, 1] }, /^AdamW: betas\[1\]/],
      ['RMSprop', { alpha: -0.9 }, /^RMSprop: alpha /],
      ['RMSprop', { momentum: Number.POSITIVE_INFINITY }, /^RMSprop: momentum /],
      ['RMSprop', { eps: -1 }, /^RMSprop: eps /],
      ['Adagrad', { lrDecay: -0.1 }, /^Adagrad: lrDecay /],
      ['Adagrad', { initialAccumulatorValue: -1 }, /^Adagrad: initialAccumulatorValue /],
      ['Adagrad', { eps: -1 }, /^Adagrad: eps /],
    ];
    it.each(bad)('%s %j → ValueError', (name, options, message) => {
      const p = tensor([1, 2], undefined, { requiresGrad: true });
      expect(() => new OPTIMIZERS[name]([p], options)).toThrow(ValueError);
      expect(() => new OPTIMIZERS[name]([p], options)).toThrow(message);
    });

    it('names the parameter group whose option is bad', () => {
      const p = tensor([1, 2]);
      const q = tensor([3]);
      expect(() => new Adam([{ params: [p] }, { params: [q], betas: [0.9, 1.5] }])).toThrow(
        /^Adam: betas\[1\] must be in \[0, 1\), got 1\.5 \(param group 1\)$/,
      );
    });
  });
});
