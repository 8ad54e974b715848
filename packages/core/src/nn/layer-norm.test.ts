import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { randn, tensor } from '../creation.js';
import { ValueError } from '../errors.js';
import { Generator } from '../random.js';
import { assertGradcheck, testBackends, useBackend } from '../testing/index.js';
import { LayerNorm } from './layer-norm.js';

interface Arr {
  shape: number[];
  data: number[];
}
interface Case {
  normalizedShape: number[];
  eps: number;
  x: Arr;
  weight: Arr;
  bias: Arr;
  grad: Arr;
  y: number[];
  yNoAffine: number[];
  dx: number[];
  dw: number[];
  db: number[];
}
const cases = JSON.parse(readFileSync(new URL('./fixtures/nn-fixtures.json', import.meta.url), 'utf8')).layerNorm as Case[];

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThan(tol);
}

describe.each(testBackends())('LayerNorm (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it('has weight (ones) and bias (zeros) of normalizedShape, or none without affine', () => {
    const ln = new LayerNorm([3, 4]);
    expect(Object.keys(ln.stateDict())).toEqual(['weight', 'bias']);
    expect(ln.weight!.shape).toEqual([3, 4]);
    expect(ln.weight!.data.every((v) => v === 1)).toBe(true);
    expect(ln.bias!.data.every((v) => v === 0)).toBe(true);
    expect(new LayerNorm(5).normalizedShape).toEqual([5]);
    expect(new LayerNorm(5).eps).toBe(1e-5);
    expect(Object.keys(new LayerNorm(5, { elementwiseAffine: false }).stateDict())).toEqual([]);
    expect(Object.keys(new LayerNorm(5, { bias: false }).stateDict())).toEqual(['weight']);
  });

  it.each(cases.map((c) => [c.normalizedShape, c] as const))('matches the numpy reference for normalizedShape %j', (_, c) => {
    const ln = new LayerNorm(c.normalizedShape, { eps: c.eps });
    ln.loadStateDict({ weight: tensor(c.weight.data, c.weight.shape), bias: tensor(c.bias.data, c.bias.shape) });
    const x = tensor(c.x.data, c.x.shape, { requiresGrad: true });
    const y = ln.forward(x);
    expectClose(y.data, c.y, 2e-5);
    y.backward(tensor(c.grad.data, c.grad.shape));
    expectClose(x.grad!.data, c.dx, 1e-4);
    expectClose(ln.weight!.grad!.data, c.dw, 1e-4);
    expectClose(ln.bias!.grad!.data, c.db, 1e-4);
    const plain = new LayerNorm(c.normalizedShape, { eps: c.eps, elementwiseAffine: false });
    expectClose(plain.forward(x).data, c.yNoAffine, 2e-5);
  });

  it('passes gradcheck through the module', () => {
    const gen = new Generator(4);
    const ln = new LayerNorm(5);
    ln.weight!.data.set(randn([5], { generator: gen }).data);
    ln.bias!.data.set(randn([5], { generator: gen }).data);
    const x = randn([2, 3, 5], { generator: gen });
    assertGradcheck((x) => ln.forward(x!), [x, ln.weight!, ln.bias!]);
  });

  it('rejects an invalid shape or eps', () => {
    expect(() => new LayerNorm([])).toThrow(ValueError);
    expect(() => new LayerNorm(0)).toThrow('LayerNorm: normalizedShape must hold positive integers, got [0]');
    expect(() => new LayerNorm(3, { eps: -1 })).toThrow(ValueError);
    expect(() => new LayerNorm(3).forward(randn([2, 4]))).toThrow('layerNorm: normalizedShape [3] does not match');
  });
});
