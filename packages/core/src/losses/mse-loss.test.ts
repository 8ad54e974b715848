import { beforeAll, describe, expect, it } from 'vitest';
import { tensor } from '../creation.js';
import { DTypeError, ShapeError } from '../errors.js';
import { Generator } from '../random.js';
import { sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { assertGradcheck, testBackends, useBackend } from '../testing/index.js';
import { mseLoss } from './mse-loss.js';
import type { Reduction } from './reduction.js';

function uniform(gen: Generator, shape: number[]): Tensor {
  return new Tensor(gen.fillUniform(new Float32Array(sizeOf(shape)), -1, 1), shape);
}

describe.each(testBackends())('mseLoss (%s)', (backend) => {
  beforeAll(() => useBackend(backend));
  const gen = new Generator(53);

  it('averages, sums or keeps squared errors', () => {
    const a = tensor([1, 2, 4]);
    const b = tensor([1, 0, 1]);
    expect(mseLoss(a, b).item()).toBeCloseTo(13 / 3, 6);
    expect(mseLoss(a, b, { reduction: 'sum' }).item()).toBe(13);
    expect(mseLoss(a, b, { reduction: 'none' }).toArray()).toEqual([0, 4, 9]);
  });

  it.each(['mean', 'sum', 'none'] as Reduction[])('gradchecks input and target with reduction %s', (reduction) => {
    assertGradcheck((x, y) => mseLoss(x!, y!, { reduction }), [uniform(gen, [2, 1, 3]), uniform(gen, [2, 1, 3])]);
  });

  it('refuses to broadcast mismatched shapes', () => {
    expect(() => mseLoss(uniform(gen, [2, 3]), uniform(gen, [3]))).toThrow(ShapeError);
    expect(() => mseLoss(uniform(gen, [2, 3]), uniform(gen, [3]))).toThrow('mseLoss: input is [2, 3] but target is [3]');
    expect(() => mseLoss(tensor([1]), tensor([1], undefined, { dtype: 'int32' }))).toThrow(DTypeError);
  });
});
