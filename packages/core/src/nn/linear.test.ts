import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { randn, tensor } from '../creation.js';
import { ValueError } from '../errors.js';
import { Generator, manualSeed } from '../random.js';
import { assertGradcheck, testBackends, useBackend } from '../testing/index.js';
import { Linear } from './linear.js';

interface Arr {
  shape: number[];
  data: number[];
}
const fx = JSON.parse(readFileSync(new URL('./fixtures/nn-fixtures.json', import.meta.url), 'utf8')).linear as {
  x: Arr;
  weight: Arr;
  bias: Arr;
  grad: Arr;
  y: number[];
  yNoBias: number[];
  dx: number[];
  dw: number[];
  db: number[];
};

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThan(tol);
}

function std(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m += a[i]!;
  m /= a.length;
  let v = 0;
  for (let i = 0; i < a.length; i++) v += (a[i]! - m) ** 2;
  return Math.sqrt(v / a.length);
}

describe.each(testBackends())('Linear (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it('has weight [out, in] and bias [out], or no bias key', () => {
    const l = new Linear(3, 5);
    expect(l.weight.shape).toEqual([5, 3]);
    expect(l.bias!.shape).toEqual([5]);
    expect(l.parameters().every((p) => p.requiresGrad)).toBe(true);
    const noBias = new Linear(3, 5, { bias: false });
    expect(noBias.bias).toBeNull();
    expect(Object.keys(noBias.stateDict())).toEqual(['weight']);
  });

  it('initialises weight and bias from U(−1/√in, 1/√in) like PyTorch', () => {
    const l = new Linear(64, 200, { generator: new Generator(1) });
    const bound = 1 / 8;
    for (const p of [l.weight, l.bias!]) {
      expect(p.data.every((v) => Math.abs(v) <= bound)).toBe(true);
    }
    expect(Math.max(...l.weight.data)).toBeGreaterThan(0.99 * bound);
    expect(std(l.weight.data)).toBeCloseTo(bound / Math.sqrt(3), 2);
  });

  it('gives the same weights for the same seed', () => {
    manualSeed(5);
    const a = new Linear(4, 3);
    manualSeed(5);
    const b = new Linear(4, 3);
    expect(Array.from(a.weight.data)).toEqual(Array.from(b.weight.data));
    expect(Array.from(a.bias!.data)).toEqual(Array.from(b.bias!.data));
    const c = new Linear(4, 3, { generator: new Generator(5) });
    const d = new Linear(4, 3, { generator: new Generator(5) });
    expect(Array.from(c.weight.data)).toEqual(Array.from(d.weight.data));
    expect(Array.from(c.weight.data)).not.toEqual(Array.from(new Linear(4, 3, { generator: new Generator(6) }).weight.data));
  });

  it('matches the numpy reference forward and backward on [B, T, X]', () => {
    const l = new Linear(4, 5);
    l.loadStateDict({ weight: tensor(fx.weight.data, fx.weight.shape), bias: tensor(fx.bias.data, fx.bias.shape) });
    const x = tensor(fx.x.data, fx.x.shape, { requiresGrad: true });
    const y = l.forward(x);
    expect(y.shape).toEqual([2, 3, 5]);
    expectClose(y.data, fx.y, 1e-5);
    y.backward(tensor(fx.grad.data, fx.grad.shape));
    expectClose(x.grad!.data, fx.dx, 1e-5);
    expectClose(l.weight.grad!.data, fx.dw, 1e-5);
    expectClose(l.bias!.grad!.data, fx.db, 1e-5);

    const nb = new Linear(4, 5, { bias: false });
    nb.loadStateDict({ weight: tensor(fx.weight.data, fx.weight.shape) });
    expectClose(nb.forward(x).data, fx.yNoBias, 1e-5);
  });

  it('passes gradcheck through the module, with and without bias', () => {
    const gen = new Generator(2);
    for (const bias of [true, false]) {
      const l = new Linear(4, 3, { bias, generator: gen });
      const x = randn([2, 3, 4], { generator: gen });
      const params = l.parameters();
      assertGradcheck((x) => l.forward(x!), [x, ...params]);
    }
  });

  it('rejects invalid sizes', () => {
    expect(() => new Linear(-1, 2)).toThrow(ValueError);
    expect(() => new Linear(2, 1.5)).toThrow('Linear: outFeatures must be a non-negative integer, got 1.5');
  });
});
