import { beforeAll, describe, expect, it } from 'vitest';
import { tensor } from '../../creation.js';
import { DTypeError, ValueError } from '../../errors.js';
import { Generator } from '../../random.js';
import { sizeOf } from '../../shape.js';
import { Tensor } from '../../tensor.js';
import { assertGradcheck, testBackends, useBackend } from '../../testing/index.js';
import { abs } from './abs.js';
import { clamp } from './clamp.js';
import { exp } from './exp.js';
import { gelu } from './gelu.js';
import { log } from './log.js';
import { neg } from './neg.js';
import { relu } from './relu.js';
import { sigmoid } from './sigmoid.js';
import { softplus } from './softplus.js';
import { sqrt } from './sqrt.js';
import { square } from './square.js';
import { tanh } from './tanh.js';

function uniform(gen: Generator, shape: number[], lo: number, hi: number): Tensor {
  return new Tensor(gen.fillUniform(new Float32Array(sizeOf(shape)), lo, hi), shape);
}

/** Values in ±[0.1, 2]: at least 10 finite-difference steps from the kink at 0 of relu/abs. */
function awayFromZero(gen: Generator, shape: number[]): Tensor {
  const t = uniform(gen, shape, 0.1, 2);
  const d = t.f32;
  for (let i = 0; i < d.length; i++) if (gen.uniform() < 0.5) d[i] = -d[i]!;
  return t;
}

function erf64(x: number): number {
  // Abramowitz & Stegun 7.1.26 is only 1e-7 accurate; integrate exp(-t²) by Simpson's rule instead (independent).
  const n = 2000;
  const h = x / n;
  let s = 1 + Math.exp(-x * x);
  for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * Math.exp(-((i * h) ** 2));
  return ((s * h) / 3) * (2 / Math.sqrt(Math.PI));
}

const OPS: Array<[string, (x: Tensor) => Tensor, (v: number) => number, 'any' | 'positive' | 'nonzero']> = [
  ['neg', neg, (v) => -v, 'any'],
  ['exp', exp, Math.exp, 'any'],
  ['log', log, Math.log, 'positive'],
  ['sqrt', sqrt, Math.sqrt, 'positive'],
  ['square', square, (v) => v * v, 'any'],
  ['tanh', tanh, Math.tanh, 'any'],
  ['sigmoid', sigmoid, (v) => 1 / (1 + Math.exp(-v)), 'any'],
  ['relu', relu, (v) => Math.max(v, 0), 'nonzero'],
  ['gelu', gelu, (v) => 0.5 * v * (1 + erf64(v / Math.SQRT2)), 'any'],
  ['softplus', softplus, (v) => Math.log(1 + Math.exp(v)), 'any'],
  ['abs', abs, Math.abs, 'nonzero'],
];

describe.each(testBackends())('unary elementwise ops (%s)', (backend) => {
  beforeAll(() => useBackend(backend));
  const gen = new Generator(5);

  function input(kind: 'any' | 'positive' | 'nonzero', shape: number[]): Tensor {
    if (kind === 'positive') return uniform(gen, shape, 0.2, 3);
    if (kind === 'nonzero') return awayFromZero(gen, shape);
    return uniform(gen, shape, -2, 2);
  }

  it.each(OPS)('%s matches the float64 formula', (_name, f, ref, kind) => {
    const x = input(kind, [4, 5]);
    const y = f(x);
    expect(y.shape).toEqual([4, 5]);
    for (let i = 0; i < x.size; i++) {
      const want = ref(x.data[i]!);
      expect(Math.abs(y.data[i]! - want)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(want)));
    }
  });

  it.each(OPS)('%s gradcheck on [2, 3, 1] and a scalar', (_name, f, _ref, kind) => {
    assertGradcheck((x) => f(x!), [input(kind, [2, 3, 1])]);
    assertGradcheck((x) => f(x!), [input(kind, [])]);
  });

  it.each(OPS)('%s rejects int32 input naming the op and the shape', (name, f) => {
    const x = tensor([[1, 2, 3]], undefined, { dtype: 'int32' });
    expect(() => f(x)).toThrow(DTypeError);
    expect(() => f(x)).toThrow(`${name}: input must be float32, got int32 [1, 3]`);
  });

  it('stays finite for large |x| (sigmoid, softplus, tanh)', () => {
    const x = tensor([-1000, -50, 50, 1000]);
    expect(Array.from(sigmoid(x).data)).toEqual([0, Math.fround(1 / (1 + Math.exp(50))), 1, 1]);
    expect(Array.from(softplus(x).data)).toEqual([0, Math.fround(Math.exp(-50)), 50, 1000]);
    expect(Array.from(tanh(x).data)).toEqual([-1, -1, 1, 1]);
  });

  it('uses gradient 0 at the kink of relu and abs, like PyTorch', () => {
    const x = tensor([0, -0], undefined, { requiresGrad: true });
    relu(x).sum().backward();
    expect(Array.from(x.grad!.data)).toEqual([0, 0]);
    x.grad = null;
    abs(x).sum().backward();
    expect(Array.from(x.grad!.data)).toEqual([0, 0]);
  });

  it('clamps with either bound and passes the gradient only inside [min, max]', () => {
    const x = tensor([-2, -0.3, 0.4, 3]);
    expect(clamp(x, -1, 1).toArray()).toEqual([-1, Math.fround(-0.3), Math.fround(0.4), 1]);
    expect(clamp(x, null, 0).toArray()).toEqual([-2, Math.fround(-0.3), 0, 0]);
    expect(clamp(x, 0, null).toArray()).toEqual([0, 0, Math.fround(0.4), 3]);
    const g = tensor([-2, -0.3, 0.4, 3], undefined, { requiresGrad: true });
    clamp(g, -1, 1).sum().backward();
    expect(g.grad!.toArray()).toEqual([0, 1, 1, 0]);
  });

  it('clamp gradcheck away from the bounds', () => {
    // Values at least 0.05 from ±0.5 (five finite-difference steps).
    const d = new Float32Array(12);
    for (let i = 0; i < d.length; i++) d[i] = (gen.randint(2) ? 1 : -1) * (gen.uniform() < 0.5 ? gen.uniform() * 0.4 + 0.05 : gen.uniform() + 0.55);
    assertGradcheck((x) => clamp(x!, -0.5, 0.5), [new Tensor(d, [3, 4])]);
    assertGradcheck((x) => clamp(x!, null, 0.5), [new Tensor(d.slice(), [3, 4])]);
    assertGradcheck((x) => clamp(x!, -0.5, null), [new Tensor(d.slice(), [3, 4])]);
  });

  it('rejects clamp with min > max', () => {
    expect(() => clamp(tensor([1]), 2, 1)).toThrow(ValueError);
    expect(() => clamp(tensor([1]), 2, 1)).toThrow('clamp: min 2 is greater than max 1');
  });
});
