import { beforeAll, describe, expect, it } from 'vitest';
import { arange, tensor } from '../../creation.js';
import { DTypeError, ValueError } from '../../errors.js';
import { Generator } from '../../random.js';
import { sizeOf } from '../../shape.js';
import { Tensor } from '../../tensor.js';
import { assertGradcheck, testBackends, useBackend } from '../../testing/index.js';
import { mean } from './mean.js';

function uniform(gen: Generator, shape: number[]): Tensor {
  return new Tensor(gen.fillUniform(new Float32Array(sizeOf(shape)), -1, 1), shape);
}

describe.each(testBackends())('mean (%s)', (backend) => {
  beforeAll(() => useBackend(backend));
  const gen = new Generator(32);

  it('averages over one, several or all axes', () => {
    const x = arange(24).reshape([2, 3, 4]);
    expect(mean(x).item()).toBe(11.5);
    expect(mean(x, 1).toArray()).toEqual([[4, 5, 6, 7], [16, 17, 18, 19]]);
    expect(mean(x, [0, 1], true).toArray()).toEqual([[[10, 11, 12, 13]]]);
    expect(mean(x, [-1, -2]).toArray()).toEqual([5.5, 17.5]);
  });

  it.each([[undefined], [0], [-1], [[0, 2]], [[1, 2]], [[0, 1, 2]]] as Array<[number | number[] | undefined]>)(
    'axis %j: gradcheck with and without keepDims',
    (axis) => {
      assertGradcheck((t) => mean(t!, axis), [uniform(gen, [2, 3, 4])]);
      assertGradcheck((t) => mean(t!, axis, true), [uniform(gen, [2, 3, 4])]);
    },
  );

  it('gradchecks size-1 axes and a scalar', () => {
    assertGradcheck((t) => mean(t!, [0, 2]), [uniform(gen, [1, 3, 1])]);
    assertGradcheck((t) => mean(t!), [uniform(gen, [])]);
  });

  it('rejects int32 input and bad axes naming mean and the shape', () => {
    expect(() => mean(tensor([1, 2], undefined, { dtype: 'int32' }))).toThrow(DTypeError);
    expect(() => mean(tensor([1, 2], undefined, { dtype: 'int32' }))).toThrow('mean: input must be float32, got int32 [2]');
    expect(() => mean(uniform(gen, [2, 3]), 5)).toThrow(ValueError);
    expect(() => mean(uniform(gen, [2, 3]), 5)).toThrow('mean: axis 5 is out of range for input [2, 3]');
  });
});
