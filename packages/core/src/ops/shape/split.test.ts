import { beforeAll, describe, expect, it } from 'vitest';
import { arange } from '../../creation.js';
import { ValueError } from '../../errors.js';
import { Generator } from '../../random.js';
import { sizeOf } from '../../shape.js';
import { Tensor } from '../../tensor.js';
import { assertGradcheck, testBackends, useBackend } from '../../testing/index.js';
import { concat } from './concat.js';
import { split } from './split.js';

function uniform(gen: Generator, shape: number[]): Tensor {
  return new Tensor(gen.fillUniform(new Float32Array(sizeOf(shape)), -1, 1), shape);
}

describe.each(testBackends())('split (%s)', (backend) => {
  beforeAll(() => useBackend(backend));
  const gen = new Generator(25);

  it('splits into equal chunks (last smaller) or explicit sizes', () => {
    const x = arange(10).reshape([5, 2]);
    const parts = split(x, 2);
    expect(parts.map((p) => p.shape)).toEqual([[2, 2], [2, 2], [1, 2]]);
    expect(parts[2]!.toArray()).toEqual([[8, 9]]);
    const cols = split(x, [1, 1], -1);
    expect(cols[1]!.toArray()).toEqual([[1], [3], [5], [7], [9]]);
    expect(split(x, [0, 5]).map((p) => p.shape)).toEqual([[0, 2], [5, 2]]);
  });

  it('gradchecks every piece, including unused ones', () => {
    // Weighting the pieces differently checks that each gradient lands in its own range.
    assertGradcheck((x) => {
      const [a, b, c] = split(x!, [1, 3, 2], 1);
      return concat([c!.mul(2), a!, b!.mul(-1)], 1);
    }, [uniform(gen, [2, 6, 1])]);
    assertGradcheck((x) => split(x!, 2, 0)[1]!, [uniform(gen, [5, 3])]);
  });

  it('rejects bad sizes naming split and the shape', () => {
    const x = uniform(gen, [4, 3]);
    expect(() => split(x, [1, 2])).toThrow(ValueError);
    expect(() => split(x, [1, 2])).toThrow('split: sizes [1, 2] must sum to 4, the size of axis 0 of [4, 3]');
    expect(() => split(x, 0)).toThrow('split: chunk size must be a positive integer, got 0');
    expect(() => split(x, 1, 2)).toThrow('split: axis 2 is out of range for input [4, 3]');
  });
});
