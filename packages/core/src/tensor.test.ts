import { describe, expect, it } from 'vitest';
import { tensor } from './creation.js';
import { DTypeError, ShapeError, ValueError } from './errors.js';
import { Tensor } from './tensor.js';

describe('Tensor', () => {
  it('holds shape, dtype, size and rank, and freezes its shape', () => {
    const t = new Tensor(new Float32Array(6), [2, 3]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('float32');
    expect(t.size).toBe(6);
    expect(t.rank).toBe(2);
    expect(Object.isFrozen(t.shape)).toBe(true);
    const shape = [3];
    const i = new Tensor(new Int32Array(3), shape);
    shape[0] = 7;
    expect(i.shape).toEqual([3]);
    expect(i.dtype).toBe('int32');
    expect(new Tensor(new Float32Array(1), []).rank).toBe(0);
  });

  it('rejects data that does not fill the shape, and int32 tensors requiring grad', () => {
    expect(() => new Tensor(new Float32Array(5), [2, 3])).toThrow(ShapeError);
    expect(() => new Tensor(new Float32Array(5), [2, 3])).toThrow('Tensor: data has 5 elements but shape [2, 3] needs 6');
    expect(() => new Tensor(new Int32Array(1), [1], true)).toThrow(DTypeError);
    expect(() => new Tensor(new Int32Array(1), [1]).requiresGrad_()).toThrow(
      'requiresGrad_: only float32 tensors can require gradients, got int32',
    );
  });

  it('exposes typed data by dtype', () => {
    const f = tensor([1, 2]);
    const i = tensor([1, 2], undefined, { dtype: 'int32' });
    expect(f.f32).toBeInstanceOf(Float32Array);
    expect(i.i32).toBeInstanceOf(Int32Array);
    expect(() => f.i32).toThrow('i32: tensor is float32, not int32');
    expect(() => i.f32).toThrow(DTypeError);
  });

  it('reads single items and nested arrays', () => {
    expect(tensor(2.5).item()).toBe(2.5);
    expect(tensor([[7]]).item()).toBe(7);
    expect(() => tensor([1, 2]).item()).toThrow(ValueError);
    expect(() => tensor([1, 2]).item()).toThrow('item: tensor must have exactly one element, got shape [2]');
    expect(tensor([[[1, 2]], [[3, 4]]]).toArray()).toEqual([[[1, 2]], [[3, 4]]]);
    expect(tensor(3).toArray()).toBe(3);
    expect(new Tensor(new Float32Array(0), [2, 0]).toArray()).toEqual([[], []]);
  });

  it('detaches (shared data, off the tape) and clones (copied data)', () => {
    const x = tensor([1, 2], undefined, { requiresGrad: true });
    const y = x.mul(2);
    const d = y.detach();
    expect(d.data).toBe(y.data);
    expect(d.requiresGrad).toBe(false);
    const c = y.clone();
    expect(c.data).not.toBe(y.data);
    expect(c.toArray()).toEqual([2, 4]);
    expect(c.requiresGrad).toBe(false);
    expect(c.isLeaf).toBe(true);
    expect(y.isLeaf).toBe(false);
  });

  it('prints a short summary', () => {
    expect(String(tensor([[1, 2]]))).toBe('Tensor(float32, [1, 2])');
    expect(String(tensor([1], undefined, { requiresGrad: true }))).toBe('Tensor(float32, [1], requiresGrad)');
  });

  it('offers every op as a method', () => {
    const x = tensor([[1, 4], [9, 16]]);
    expect(x.add(1).sub(1).mul(2).div(2).toArray()).toEqual(x.toArray());
    expect(x.sqrt().toArray()).toEqual([[1, 2], [3, 4]]);
    expect(x.pow(0.5).square().toArray()).toEqual(x.toArray());
    expect(x.neg().abs().toArray()).toEqual(x.toArray());
    expect(x.maximum(5).minimum(10).toArray()).toEqual([[5, 5], [9, 10]]);
    expect(x.clamp(2, 10).toArray()).toEqual([[2, 4], [9, 10]]);
    expect(x.reshape([4]).toArray()).toEqual([1, 4, 9, 16]);
    expect(x.flatten().shape).toEqual([4]);
    expect(x.unsqueeze(0).squeeze().shape).toEqual([2, 2]);
    expect(x.transpose().toArray()).toEqual([[1, 9], [4, 16]]);
    expect(x.permute([1, 0]).toArray()).toEqual([[1, 9], [4, 16]]);
    expect(x.slice(1, 1).toArray()).toEqual([[4], [16]]);
    expect(x.select(0, 1).toArray()).toEqual([9, 16]);
    expect(x.split(1).length).toBe(2);
    expect(x.expand([2, 2, 2]).shape).toEqual([2, 2, 2]);
    expect(x.indexSelect(0, [1]).toArray()).toEqual([[9, 16]]);
    expect(x.gather(1, tensor([[1], [0]], undefined, { dtype: 'int32' })).toArray()).toEqual([[4], [9]]);
    expect(x.maskedFill(tensor([1, 0], undefined, { dtype: 'int32' }), 0).toArray()).toEqual([[0, 4], [0, 16]]);
    expect(x.sum().item()).toBe(30);
    expect(x.mean(0).toArray()).toEqual([5, 10]);
    expect(x.max().item()).toBe(16);
    expect(x.min(1).toArray()).toEqual([1, 9]);
    expect(x.argmax(1).toArray()).toEqual([1, 1]);
    expect(x.argmin().item()).toBe(0);
    expect(x.softmax().sum(-1).toArray()).toEqual([1, 1]);
    expect(x.logSoftmax(0).exp().sum(0).toArray()).toEqual([1, 1]);
    expect(x.cast('int32').dtype).toBe('int32');
    expect(x.eq(4).toArray()).toEqual([[0, 1], [0, 0]]);
    expect(x.gt(4).toArray()).toEqual([[0, 0], [1, 1]]);
    expect(x.lt(4).toArray()).toEqual([[1, 0], [0, 0]]);
    const s = tensor([0]);
    expect([s.exp(), s.tanh(), s.sigmoid(), s.relu(), s.gelu(), s.softplus()].map((t) => t.item())).toEqual([
      1,
      0,
      0.5,
      0,
      0,
      Math.fround(Math.LN2),
    ]);
    expect(tensor([Math.E]).log().item()).toBeCloseTo(1, 6);
    expect(tensor([[1, 2]]).matmul(tensor([[3], [4]])).item()).toBe(11);
  });
});
