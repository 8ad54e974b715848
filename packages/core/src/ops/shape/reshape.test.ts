import { beforeAll, describe, expect, it } from 'vitest';
import { arange, tensor } from '../../creation.js';
import { ShapeError, ValueError } from '../../errors.js';
import { Generator } from '../../random.js';
import { sizeOf } from '../../shape.js';
import { Tensor } from '../../tensor.js';
import { assertGradcheck, testBackends, useBackend } from '../../testing/index.js';
import { flatten, reshape, squeeze, unsqueeze } from './reshape.js';

function uniform(gen: Generator, shape: number[]): Tensor {
  return new Tensor(gen.fillUniform(new Float32Array(sizeOf(shape)), -1, 1), shape);
}

describe.each(testBackends())('reshape, flatten, squeeze, unsqueeze (%s)', (backend) => {
  beforeAll(() => useBackend(backend));
  const gen = new Generator(21);

  it('reshapes without copying and infers one -1 dimension', () => {
    const x = arange(6);
    const y = reshape(x, [2, -1]);
    expect(y.shape).toEqual([2, 3]);
    expect(y.data).toBe(x.data);
    expect(y.toArray()).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(reshape(tensor([7]), []).shape).toEqual([]);
    expect(reshape(new Tensor(new Float32Array(0), [0, 3]), [3, -1, 2]).shape).toEqual([3, 0, 2]);
  });

  it('flattens a range of axes, squeezes and unsqueezes', () => {
    const x = uniform(gen, [2, 1, 3, 1]);
    expect(flatten(x).shape).toEqual([6]);
    expect(flatten(x, 1).shape).toEqual([2, 3]);
    expect(flatten(x, 0, -2).shape).toEqual([6, 1]);
    expect(flatten(tensor(3)).shape).toEqual([1]);
    expect(squeeze(x).shape).toEqual([2, 3]);
    expect(squeeze(x, 1).shape).toEqual([2, 3, 1]);
    expect(squeeze(x, -1).shape).toEqual([2, 1, 3]);
    expect(squeeze(x, 0)).toBe(x);
    expect(unsqueeze(x, 0).shape).toEqual([1, 2, 1, 3, 1]);
    expect(unsqueeze(x, -1).shape).toEqual([2, 1, 3, 1, 1]);
    expect(unsqueeze(tensor(1), 0).shape).toEqual([1]);
  });

  it('gradchecks reshape, flatten, squeeze, unsqueeze (size-1 axes included)', () => {
    assertGradcheck((x) => reshape(x!, [3, -1]), [uniform(gen, [2, 1, 3])]);
    assertGradcheck((x) => flatten(x!, 1, 2), [uniform(gen, [2, 1, 3, 2])]);
    assertGradcheck((x) => squeeze(x!), [uniform(gen, [1, 3, 1])]);
    assertGradcheck((x) => unsqueeze(x!, 1), [uniform(gen, [2, 3])]);
    // A reshape in the middle of a chain: the product rule must see the reshaped gradient.
    assertGradcheck((x) => reshape(x!, [6]).mul(reshape(x!, [3, 2]).transpose().reshape([6])), [uniform(gen, [2, 3])]);
  });

  it('names reshape and both shapes on a size mismatch', () => {
    const x = arange(6).reshape([2, 3]);
    expect(() => reshape(x, [4, 2])).toThrow(ShapeError);
    expect(() => reshape(x, [4, 2])).toThrow('reshape: cannot reshape [2, 3] (6 elements) into [4, 2]');
    expect(() => reshape(x, [4, -1])).toThrow('reshape: cannot reshape [2, 3] (6 elements) into [4, -1]');
    expect(() => reshape(x, [-1, -1])).toThrow(ValueError);
    expect(() => reshape(x, [-1, -1])).toThrow('reshape: only one dimension can be -1, got [-1, -1]');
    expect(() => reshape(x, [2, 1.5])).toThrow('reshape: invalid dimension 1.5 in [2, 1.5]');
  });

  it('names the op, the axis and the shape for an out-of-range axis', () => {
    const x = uniform(gen, [2, 3]);
    expect(() => squeeze(x, 2)).toThrow(ValueError);
    expect(() => squeeze(x, 2)).toThrow('squeeze: axis 2 is out of range for input [2, 3] (valid: -2..1)');
    expect(() => unsqueeze(x, 3)).toThrow('unsqueeze: axis 3 is out of range for input [2, 3] (valid: -3..2)');
    expect(() => flatten(x, 0, -3)).toThrow('flatten: axis -3 is out of range for input [2, 3]');
    expect(() => flatten(x, 1, 0)).toThrow('flatten: startAxis 1 comes after endAxis 0 for rank 2');
  });
});
