import { beforeAll, describe, expect, it } from 'vitest';
import { arange, tensor } from '../../creation.js';
import { ValueError } from '../../errors.js';
import { Generator } from '../../random.js';
import { sizeOf } from '../../shape.js';
import { Tensor } from '../../tensor.js';
import { assertGradcheck, testBackends, useBackend } from '../../testing/index.js';
import { sum } from './sum.js';

function uniform(gen: Generator, shape: number[]): Tensor {
  return new Tensor(gen.fillUniform(new Float32Array(sizeOf(shape)), -1, 1), shape);
}

/** Axis sets for a [2, 3, 4] input with the shapes PyTorch gives (keepDims false, true). */
const AXES: Array<[number | number[] | undefined, number[], number[]]> = [
  [undefined, [], [1, 1, 1]],
  [0, [3, 4], [1, 3, 4]],
  [1, [2, 4], [2, 1, 4]],
  [-1, [2, 3], [2, 3, 1]],
  [[0, 2], [3], [1, 3, 1]],
  [[-1, 0], [3], [1, 3, 1]],
  [[0, 1, 2], [], [1, 1, 1]],
];

describe.each(testBackends())('sum (%s)', (backend) => {
  beforeAll(() => useBackend(backend));
  const gen = new Generator(31);

  it('sums over one, several or all axes', () => {
    const x = arange(24).reshape([2, 3, 4]);
    expect(sum(x).item()).toBe(276);
    expect(sum(x, 0).toArray()).toEqual([[12, 14, 16, 18], [20, 22, 24, 26], [28, 30, 32, 34]]);
    expect(sum(x, [0, 2]).toArray()).toEqual([60, 92, 124]);
    expect(sum(x, -1, true).toArray()).toEqual([[[6], [22], [38]], [[54], [70], [86]]]);
    expect(sum(tensor(3)).item()).toBe(3);
    expect(sum(tensor([1, 2, 3], undefined, { dtype: 'int32' })).dtype).toBe('int32');
    expect(sum(new Tensor(new Float32Array(0), [0, 2]), 0).toArray()).toEqual([0, 0]);
  });

  it('accumulates long sums in float64', () => {
    // 1e6 · 0.1 in float32 running sum drifts by ~1e3; a float64 accumulator stays within float32 rounding.
    const x = new Tensor(new Float32Array(1_000_000).fill(0.1), [1_000_000]);
    expect(Math.abs(sum(x).item() - 100000.0014901161)).toBeLessThan(0.01);
  });

  it.each(AXES)('axis %j: shapes and gradcheck with and without keepDims', (axis, shape, keptShape) => {
    const x = uniform(gen, [2, 3, 4]);
    expect(sum(x, axis).shape).toEqual(shape);
    expect(sum(x, axis, true).shape).toEqual(keptShape);
    assertGradcheck((t) => sum(t!, axis), [x]);
    assertGradcheck((t) => sum(t!, axis, true), [uniform(gen, [2, 3, 4])]);
  });

  it('gradchecks over size-1 axes and scalars', () => {
    assertGradcheck((t) => sum(t!, 1), [uniform(gen, [3, 1, 2])]);
    assertGradcheck((t) => sum(t!), [uniform(gen, [])]);
  });

  it('names sum and the shape for an out-of-range axis', () => {
    const x = uniform(gen, [2, 3]);
    expect(() => sum(x, 2)).toThrow(ValueError);
    expect(() => sum(x, 2)).toThrow('sum: axis 2 is out of range for input [2, 3] (valid: -2..1)');
    expect(() => sum(x, [0, -3])).toThrow('sum: axis -3 is out of range for input [2, 3]');
  });
});
