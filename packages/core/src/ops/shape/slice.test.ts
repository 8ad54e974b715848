import { beforeAll, describe, expect, it } from 'vitest';
import { arange } from '../../creation.js';
import { ValueError } from '../../errors.js';
import { Generator } from '../../random.js';
import { sizeOf } from '../../shape.js';
import { Tensor } from '../../tensor.js';
import { assertGradcheck, testBackends, useBackend } from '../../testing/index.js';
import { select, slice } from './slice.js';

function uniform(gen: Generator, shape: number[]): Tensor {
  return new Tensor(gen.fillUniform(new Float32Array(sizeOf(shape)), -1, 1), shape);
}

describe.each(testBackends())('slice, select (%s)', (backend) => {
  beforeAll(() => useBackend(backend));
  const gen = new Generator(23);

  it('slices with Python semantics: negative indices and clamping', () => {
    const x = arange(12).reshape([3, 4]);
    expect(slice(x, 1, 1, 3).toArray()).toEqual([[1, 2], [5, 6], [9, 10]]);
    expect(slice(x, 1, -2).toArray()).toEqual([[2, 3], [6, 7], [10, 11]]);
    expect(slice(x, 0, -1).toArray()).toEqual([[8, 9, 10, 11]]);
    expect(slice(x, 0, 1, -1).toArray()).toEqual([[4, 5, 6, 7]]);
    expect(slice(x, -1, -3, -1).toArray()).toEqual([[1, 2], [5, 6], [9, 10]]);
    expect(slice(x, 0, 2, 100).shape).toEqual([1, 4]);
    expect(slice(x, 0, -100, 1).shape).toEqual([1, 4]);
    expect(slice(x, 0, 3, 1).shape).toEqual([0, 4]);
  });

  it('selects one index and drops the axis', () => {
    const x = arange(24).reshape([2, 3, 4]);
    expect(select(x, 1, 2).toArray()).toEqual([[8, 9, 10, 11], [20, 21, 22, 23]]);
    expect(select(x, -1, -1).toArray()).toEqual([[3, 7, 11], [15, 19, 23]]);
    expect(select(x, 0, 1).shape).toEqual([3, 4]);
  });

  it('gradchecks slice (negative indices) and select', () => {
    assertGradcheck((x) => slice(x!, 1, -3, -1), [uniform(gen, [2, 5, 3])]);
    assertGradcheck((x) => slice(x!, -1, 1), [uniform(gen, [2, 1, 4])]);
    assertGradcheck((x) => slice(x!, 0, -2, 100), [uniform(gen, [4, 2])]);
    assertGradcheck((x) => select(x!, 1, -2), [uniform(gen, [2, 3, 2])]);
    assertGradcheck((x) => select(x!, 0, 0), [uniform(gen, [1, 3])]);
    // Two overlapping slices of one tensor: gradients of both land in the same input.
    assertGradcheck((x) => slice(x!, 0, 0, 3).mul(slice(x!, 0, 1, 4)), [uniform(gen, [4, 2])]);
  });

  it('rejects out-of-range axes and indices naming the op and the shape', () => {
    const x = uniform(gen, [2, 3]);
    expect(() => slice(x, 2, 0, 1)).toThrow(ValueError);
    expect(() => slice(x, 2, 0, 1)).toThrow('slice: axis 2 is out of range for input [2, 3]');
    expect(() => slice(x, 0, 0.5)).toThrow('slice: indices must be integers, got 0.5');
    expect(() => select(x, 1, 3)).toThrow(ValueError);
    expect(() => select(x, 1, 3)).toThrow('select: index 3 is out of range for axis 1 of size 3 (input [2, 3])');
    expect(() => select(x, 0, -3)).toThrow('select: index -3 is out of range for axis 0 of size 2 (input [2, 3])');
  });
});
