import { describe, expect, it } from 'vitest';
import { arange, eye, full, ones, onesLike, rand, randint, randn, tensor, zeros, zerosLike } from './creation.js';
import { ShapeError, ValueError } from './errors.js';
import { Generator } from './random.js';

describe('tensor factories', () => {
  it('builds tensors from numbers, nested arrays and typed arrays', () => {
    expect(tensor(3).shape).toEqual([]);
    const t = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('float32');
    expect(tensor([1, 2, 3, 4], [2, 2]).toArray()).toEqual([[1, 2], [3, 4]]);
    const buf = Float32Array.from([1, 2]);
    expect(tensor(buf).data).toBe(buf);
    expect(tensor(Int32Array.from([1, 2])).dtype).toBe('int32');
    expect(tensor(Float32Array.from([1, 2]), undefined, { dtype: 'int32' }).data).toEqual(Int32Array.from([1, 2]));
    expect(tensor([], undefined).shape).toEqual([0]);
    expect(tensor([1], undefined, { requiresGrad: true }).requiresGrad).toBe(true);
  });

  it('rejects ragged arrays, non-numbers, size mismatches and fractional int32 values', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(ShapeError);
    expect(() => tensor([[1, 2], [3]])).toThrow('tensor: nested arrays are ragged: expected length 2 at depth 1');
    expect(() => tensor([[1, 2], 3] as never)).toThrow(ShapeError);
    expect(() => tensor([1, 2, 3], [2, 2])).toThrow('tensor: 3 values do not fill shape [2, 2]');
    expect(() => tensor([1.5], undefined, { dtype: 'int32' })).toThrow(ValueError);
    expect(() => tensor([1.5], undefined, { dtype: 'int32' })).toThrow('tensor: int32 values must be integers, got 1.5');
    expect(() => tensor([1], [-1])).toThrow('tensor: shape must hold non-negative integers, got [-1]');
  });

  it('fills constant tensors', () => {
    expect(zeros([2, 2]).toArray()).toEqual([[0, 0], [0, 0]]);
    expect(ones([3], { dtype: 'int32' }).data).toEqual(Int32Array.from([1, 1, 1]));
    expect(full([2], 7).toArray()).toEqual([7, 7]);
    const i = tensor([1, 2], undefined, { dtype: 'int32' });
    expect(zerosLike(i).dtype).toBe('int32');
    expect(onesLike(tensor([[1, 2]])).toArray()).toEqual([[1, 1]]);
    expect(eye(2, 3).toArray()).toEqual([[1, 0, 0], [0, 1, 0]]);
    expect(eye(2).toArray()).toEqual([[1, 0], [0, 1]]);
    expect(() => zeros([2, 1.5])).toThrow('full: shape must hold non-negative integers, got [2, 1.5]');
  });

  it('builds ranges like numpy.arange', () => {
    expect(arange(4).toArray()).toEqual([0, 1, 2, 3]);
    expect(arange(1, 2, 0.25).toArray()).toEqual([1, 1.25, 1.5, 1.75]);
    expect(arange(5, 0, -2).toArray()).toEqual([5, 3, 1]);
    expect(arange(3, 1).size).toBe(0);
    expect(arange(3, undefined, 1, { dtype: 'int32' }).dtype).toBe('int32');
    expect(() => arange(0, 1, 0)).toThrow('arange: step must be a non-zero finite number, got 0');
  });

  it('draws random tensors reproducibly from a generator', () => {
    const a = randn([3, 4], { generator: new Generator(1) });
    const b = randn([3, 4], { generator: new Generator(1) });
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    const u = rand([1000], { generator: new Generator(2) });
    expect(u.f32.every((v) => v >= 0 && v < 1)).toBe(true);
    const r = randint(-2, 3, [1000], { generator: new Generator(3) });
    expect(r.dtype).toBe('int32');
    expect(new Set(r.data)).toEqual(new Set([-2, -1, 0, 1, 2]));
    expect(() => randint(3, 3, [1])).toThrow(ValueError);
    expect(() => randint(3, 3, [1])).toThrow('randint: need integers low < high, got low 3, high 3');
    expect(rand([2], { requiresGrad: true }).requiresGrad).toBe(true);
  });
});
