import { beforeAll, describe, expect, it } from 'vitest';
import { tensor } from '../../creation.js';
import { DTypeError, ShapeError } from '../../errors.js';
import { Generator } from '../../random.js';
import { sizeOf } from '../../shape.js';
import { Tensor } from '../../tensor.js';
import { assertGradcheck, testBackends, useBackend } from '../../testing/index.js';
import { add } from './add.js';
import { div } from './div.js';
import { maximum } from './maximum.js';
import { minimum } from './minimum.js';
import { mul } from './mul.js';
import { pow } from './pow.js';
import { sub } from './sub.js';

function uniform(gen: Generator, shape: number[], lo = -1, hi = 1): Tensor {
  return new Tensor(gen.fillUniform(new Float32Array(sizeOf(shape)), lo, hi), shape);
}

/** Values in ±[lo, hi]: away from zero, for divisors. */
function awayFromZero(gen: Generator, shape: number[], lo = 0.5, hi = 2): Tensor {
  const t = uniform(gen, shape, lo, hi);
  const d = t.f32;
  for (let i = 0; i < d.length; i++) if (gen.uniform() < 0.5) d[i] = -d[i]!;
  return t;
}

/**
 * Two grids offset by `offset` within each 0.5-wide cell, so every pair (a_i, b_j) differs by at least 0.05,
 * more than twice the finite-difference step: no ties or kinks for maximum/minimum even under broadcasting.
 */
function lattice(gen: Generator, shape: number[], offset: number): Tensor {
  const d = new Float32Array(sizeOf(shape));
  for (let i = 0; i < d.length; i++) d[i] = (gen.randint(8) - 4) * 0.5 + offset + gen.uniform() * 0.1;
  return new Tensor(d, shape);
}

/** Shape pairs that exercise every broadcasting rule: same, trailing, leading, size-1 on both sides, scalars. */
const SHAPES: Array<[number[], number[]]> = [
  [[2, 3], [2, 3]],
  [[2, 1, 3], [4, 1]],
  [[3], [2, 3]],
  [[2, 1], [1, 3]],
  [[], [2, 2]],
  [[3, 1, 2], [1]],
  [[1, 1], [2, 1, 3]],
];

describe.each(testBackends())('binary elementwise ops (%s)', (backend) => {
  beforeAll(() => useBackend(backend));
  const gen = new Generator(11);

  it('computes broadcast forward values', () => {
    const a = tensor([[1], [2]]); // [2, 1]
    const b = tensor([10, 20, 30]); // [3]
    expect(add(a, b).toArray()).toEqual([[11, 21, 31], [12, 22, 32]]);
    expect(sub(a, b).toArray()).toEqual([[-9, -19, -29], [-8, -18, -28]]);
    expect(mul(a, b).toArray()).toEqual([[10, 20, 30], [20, 40, 60]]);
    expect(div(b, a).toArray()).toEqual([[10, 20, 30], [5, 10, 15]]);
    expect(pow(a, tensor([0, 1, 3])).toArray()).toEqual([[1, 1, 1], [1, 2, 8]]);
    expect(maximum(tensor([1, 5, -2]), 0).toArray()).toEqual([1, 5, 0]);
    expect(minimum(tensor([1, 5, -2]), 0).toArray()).toEqual([0, 0, -2]);
    expect(sub(1, tensor([3])).toArray()).toEqual([-2]);
    expect(div(1, tensor([4])).toArray()).toEqual([0.25]);
  });

  it('keeps int32 arithmetic in int32', () => {
    const a = tensor([1, 2, 3], undefined, { dtype: 'int32' });
    const out = add(mul(a, 2), 1);
    expect(out.dtype).toBe('int32');
    expect(out.toArray()).toEqual([3, 5, 7]);
  });

  it.each(SHAPES)('add/sub/mul gradcheck for %j ⊕ %j', (sa, sb) => {
    assertGradcheck((a, b) => add(a!, b!), [uniform(gen, sa), uniform(gen, sb)]);
    assertGradcheck((a, b) => sub(a!, b!), [uniform(gen, sa), uniform(gen, sb)]);
    assertGradcheck((a, b) => mul(a!, b!), [uniform(gen, sa), uniform(gen, sb)]);
  });

  it.each(SHAPES)('div gradcheck for %j / %j', (sa, sb) => {
    assertGradcheck((a, b) => div(a!, b!), [uniform(gen, sa), awayFromZero(gen, sb)]);
  });

  it.each(SHAPES)('pow gradcheck for %j ** %j (positive base)', (sa, sb) => {
    assertGradcheck((a, b) => pow(a!, b!), [uniform(gen, sa, 0.5, 2), uniform(gen, sb, -2, 2)]);
  });

  it.each(SHAPES)('maximum/minimum gradcheck for %j, %j (no ties)', (sa, sb) => {
    assertGradcheck((a, b) => maximum(a!, b!), [lattice(gen, sa, 0), lattice(gen, sb, 0.25)]);
    assertGradcheck((a, b) => minimum(a!, b!), [lattice(gen, sa, 0.25), lattice(gen, sb, 0)]);
  });

  it('gradchecks scalar (number) operands on either side', () => {
    const x = uniform(gen, [2, 3], 0.5, 2);
    assertGradcheck((a) => add(2, a!), [x]);
    assertGradcheck((a) => sub(3, a!), [x]);
    assertGradcheck((a) => mul(a!, -1.5), [x]);
    assertGradcheck((a) => div(1, a!), [x]);
    assertGradcheck((a) => pow(a!, 3), [x]);
    assertGradcheck((a) => pow(2, a!), [x]);
    assertGradcheck((a) => maximum(a!, 0.1), [x]);
  });

  it('sends tied gradients of maximum/minimum to the first operand', () => {
    const a = tensor([1, 2], undefined, { requiresGrad: true });
    const b = tensor([1, 3], undefined, { requiresGrad: true });
    maximum(a, b).sum().backward();
    expect(a.grad!.toArray()).toEqual([1, 0]);
    expect(b.grad!.toArray()).toEqual([0, 1]);
    a.grad = null;
    b.grad = null;
    minimum(a, b).sum().backward();
    expect(a.grad!.toArray()).toEqual([1, 1]);
    expect(b.grad!.toArray()).toEqual([0, 0]);
  });

  it('gives pow a zero exponent gradient at a zero base (x ** 2 at 0)', () => {
    const x = tensor([0, 3], undefined, { requiresGrad: true });
    const e = tensor([2, 2], undefined, { requiresGrad: true });
    pow(x, e).sum().backward();
    expect(x.grad!.toArray()).toEqual([0, 6]);
    expect(e.grad!.data[0]).toBe(0);
    expect(e.grad!.data[1]).toBeCloseTo(9 * Math.log(3), 4);
  });

  it('names the op and both shapes when broadcasting fails', () => {
    const a = tensor([[1, 2, 3], [4, 5, 6]]);
    const b = tensor([1, 2, 3, 4]);
    for (const [name, f] of [['add', add], ['sub', sub], ['mul', mul], ['div', div], ['pow', pow], ['maximum', maximum], ['minimum', minimum]] as const) {
      const call = () => f(a, b);
      expect(call).toThrow(ShapeError);
      expect(call).toThrow(`${name}: shapes [2, 3] and [4] cannot be broadcast together`);
    }
  });

  it('rejects mixed dtypes and int32 where float32 is required', () => {
    const f = tensor([1, 2]);
    const i = tensor([1, 2], undefined, { dtype: 'int32' });
    expect(() => add(f, i)).toThrow(DTypeError);
    expect(() => add(f, i)).toThrow('add: dtypes differ: a is float32 [2], b is int32 [2]');
    expect(() => div(i, i)).toThrow(DTypeError);
    expect(() => div(i, i)).toThrow('div: a must be float32, got int32 [2]');
    expect(() => pow(i, 2)).toThrow('pow: a must be float32, got int32 [2]');
  });

  it('refuses a fractional number against an int32 tensor instead of truncating it', () => {
    const i = tensor([1, 2], undefined, { dtype: 'int32' });
    expect(() => mul(i, 0.5)).toThrow(DTypeError);
    expect(() => mul(i, 0.5)).toThrow('mul: the number 0.5 cannot be used with int32 tensor [2]');
  });
});
