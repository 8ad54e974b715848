import { beforeAll, describe, expect, it } from 'vitest';
import { tensor } from '../../creation.js';
import { ShapeError, ValueError } from '../../errors.js';
import { Generator } from '../../random.js';
import { sizeOf } from '../../shape.js';
import { Tensor } from '../../tensor.js';
import { assertGradcheck, testBackends, useBackend } from '../../testing/index.js';
import { expand } from './expand.js';

function uniform(gen: Generator, shape: number[]): Tensor {
  return new Tensor(gen.fillUniform(new Float32Array(sizeOf(shape)), -1, 1), shape);
}

describe.each(testBackends())('expand (%s)', (backend) => {
  beforeAll(() => useBackend(backend));
  const gen = new Generator(26);

  it('broadcasts size-1 and missing leading axes', () => {
    expect(expand(tensor([[1], [2]]), [2, 3]).toArray()).toEqual([[1, 1, 1], [2, 2, 2]]);
    expect(expand(tensor([1, 2]), [2, 2]).toArray()).toEqual([[1, 2], [1, 2]]);
    expect(expand(tensor(5), [2]).toArray()).toEqual([5, 5]);
    const x = tensor([1, 2]);
    expect(expand(x, [2])).toBe(x);
    expect(expand(tensor([[1], [2]]), [3, -1, 2]).shape).toEqual([3, 2, 2]);
  });

  it('gradchecks expansion of size-1, leading and scalar axes', () => {
    assertGradcheck((x) => expand(x!, [2, 4, 3]), [uniform(gen, [4, 1])]);
    assertGradcheck((x) => expand(x!, [3, 2, 2]), [uniform(gen, [1, 2, 1])]);
    assertGradcheck((x) => expand(x!, [2, 3]), [uniform(gen, [])]);
  });

  it('names expand and both shapes when the target does not fit', () => {
    expect(() => expand(tensor([1, 2, 3]), [2, 4])).toThrow(ShapeError);
    expect(() => expand(tensor([1, 2, 3]), [2, 4])).toThrow('expand: cannot broadcast [3] to [2, 4]');
    expect(() => expand(tensor([[1, 2]]), [2])).toThrow('expand: cannot broadcast [1, 2] to [2]');
    expect(() => expand(tensor([1, 2]), [-1, 2])).toThrow(ValueError);
    expect(() => expand(tensor([1, 2]), [-1, 2])).toThrow('expand: shape must hold non-negative integers, got [-1, 2]');
  });
});
