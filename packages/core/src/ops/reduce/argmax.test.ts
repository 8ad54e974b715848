import { beforeAll, describe, expect, it } from 'vitest';
import { tensor } from '../../creation.js';
import { ValueError } from '../../errors.js';
import { testBackends, useBackend } from '../../testing/index.js';
import { Tensor } from '../../tensor.js';
import { argmax, argmin } from './argmax.js';

describe.each(testBackends())('argmax, argmin (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it('returns int32 indices of the first extreme', () => {
    const x = tensor([[1, 7, 7], [9, 2, 9]]);
    const a = argmax(x, 1);
    expect(a.dtype).toBe('int32');
    expect(a.toArray()).toEqual([1, 0]);
    expect(argmin(x, 0).toArray()).toEqual([0, 1, 0]);
    expect(argmax(x).toArray()).toBe(3);
    expect(argmax(x, -1, true).toArray()).toEqual([[1], [0]]);
    expect(argmax(x, undefined, true).shape).toEqual([1, 1]);
    expect(argmin(tensor([4, -2, 7], undefined, { dtype: 'int32' })).item()).toBe(1);
  });

  it('treats NaN as the extreme, like PyTorch', () => {
    const x = tensor([[1, Number.NaN, 3, Number.NaN], [Number.NaN, 0, 0, 0]]);
    expect(argmax(x, 1).toArray()).toEqual([1, 0]);
    expect(argmin(x, 1).toArray()).toEqual([1, 0]);
  });

  it('rejects empty inputs and bad axes', () => {
    expect(() => argmax(new Tensor(new Float32Array(0), [0]))).toThrow(ValueError);
    expect(() => argmax(new Tensor(new Float32Array(0), [0]))).toThrow('argmax: input [0] is empty');
    expect(() => argmin(tensor([1, 2]), 1)).toThrow('argmin: axis 1 is out of range for input [2]');
  });
});
