import { beforeAll, describe, expect, it } from 'vitest';
import { tensor } from '../../creation.js';
import { DTypeError, ShapeError } from '../../errors.js';
import { Generator } from '../../random.js';
import { sizeOf } from '../../shape.js';
import { Tensor } from '../../tensor.js';
import { assertGradcheck, testBackends, useBackend } from '../../testing/index.js';
import { softmax } from '../nn/softmax.js';
import { cast } from './cast.js';
import { eq, ge, gt, le, lt, ne } from './compare.js';
import { maskedFill } from './masked-fill.js';
import { where } from './where.js';

function uniform(gen: Generator, shape: number[]): Tensor {
  return new Tensor(gen.fillUniform(new Float32Array(sizeOf(shape)), -1, 1), shape);
}

function mask(gen: Generator, shape: number[]): Tensor {
  const d = new Int32Array(sizeOf(shape));
  for (let i = 0; i < d.length; i++) d[i] = gen.randint(2);
  return new Tensor(d, shape);
}

describe.each(testBackends())('where, maskedFill, comparisons, cast (%s)', (backend) => {
  beforeAll(() => useBackend(backend));
  const gen = new Generator(3);

  it('compares with broadcasting into int32 0/1', () => {
    const a = tensor([[1, 2, 3]]); // [1, 3]
    const b = tensor([[2], [3]]); // [2, 1]
    const cases: Array<[(x: Tensor, y: Tensor) => Tensor, number[][]]> = [
      [eq, [[0, 1, 0], [0, 0, 1]]],
      [ne, [[1, 0, 1], [1, 1, 0]]],
      [gt, [[0, 0, 1], [0, 0, 0]]],
      [ge, [[0, 1, 1], [0, 0, 1]]],
      [lt, [[1, 0, 0], [1, 1, 0]]],
      [le, [[1, 1, 0], [1, 1, 1]]],
    ];
    for (const [f, want] of cases) {
      const out = f(a, b);
      expect(out.dtype).toBe('int32');
      expect(out.toArray()).toEqual(want);
    }
    expect(gt(tensor([Number.NaN, 1]), 0).toArray()).toEqual([0, 1]);
    expect(ne(tensor([Number.NaN]), tensor([Number.NaN])).toArray()).toEqual([1]);
  });

  it('casts between dtypes, truncating toward zero', () => {
    const x = tensor([-1.7, -0.2, 0.9, 2.5]);
    const i = cast(x, 'int32');
    expect(i.dtype).toBe('int32');
    expect(i.toArray()).toEqual([-1, 0, 0, 2]);
    expect(cast(i, 'float32').toArray()).toEqual([-1, 0, 0, 2]);
    expect(cast(x, 'float32')).toBe(x);
    const r = tensor([1.5], undefined, { requiresGrad: true });
    expect(cast(r, 'int32').requiresGrad).toBe(false);
  });

  it('selects with three-way broadcasting', () => {
    const c = tensor([[1], [0]], undefined, { dtype: 'int32' }); // [2, 1]
    const out = where(c, tensor([1, 2, 3]), -1);
    expect(out.toArray()).toEqual([[1, 2, 3], [-1, -1, -1]]);
  });

  it.each([
    [[2, 3], [2, 3], [2, 3]],
    [[2, 1, 3], [4, 1], [3]],
    [[3], [2, 3], []],
    [[2, 1], [1], [1, 4]],
  ])('where gradcheck: cond %j, a %j, b %j', (sc, sa, sb) => {
    const c = mask(gen, sc);
    assertGradcheck((a, b) => where(c, a!, b!), [uniform(gen, sa), uniform(gen, sb)]);
  });

  it('maskedFill replaces masked positions and blocks their gradient', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]], undefined, { requiresGrad: true });
    const m = tensor([[0, 1, 0]], undefined, { dtype: 'int32' });
    const y = maskedFill(x, m, -7);
    expect(y.toArray()).toEqual([[1, -7, 3], [4, -7, 6]]);
    y.sum().backward();
    expect(x.grad!.toArray()).toEqual([[1, 0, 1], [1, 0, 1]]);
  });

  it('maskedFill gradcheck with a broadcast mask, feeding a softmax with -Infinity', () => {
    const m = tensor([[0, 1, 0, 0]], undefined, { dtype: 'int32' });
    assertGradcheck((x) => maskedFill(x!, m, 0.5), [uniform(gen, [3, 4])]);
    assertGradcheck((x) => softmax(maskedFill(x!, m, Number.NEGATIVE_INFINITY), -1), [uniform(gen, [3, 4])]);
  });

  it('rejects bad conditions and masks, naming the op and the shapes', () => {
    const x = tensor([1, 2, 3]);
    expect(() => where(tensor([1, 0, 1]), x, 0)).toThrow(DTypeError);
    expect(() => where(tensor([1, 0, 1]), x, 0)).toThrow('where: cond must be int32 (e.g. from gt/eq), got float32 [3]');
    const c = tensor([1, 0], undefined, { dtype: 'int32' });
    expect(() => where(c, x, 0)).toThrow(ShapeError);
    expect(() => where(c, x, 0)).toThrow('where: shapes [2] and [3] cannot be broadcast together');
    expect(() => maskedFill(x, c, 0)).toThrow(ShapeError);
    expect(() => maskedFill(x, c, 0)).toThrow('maskedFill: shapes [2] and [3] cannot be broadcast together');
    expect(() => maskedFill(x, tensor([1, 0, 1]), 0)).toThrow('maskedFill: mask must be int32 (1 = masked out), got float32 [3]');
  });
});
