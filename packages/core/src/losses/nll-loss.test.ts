import { beforeAll, describe, expect, it } from 'vitest';
import { tensor } from '../creation.js';
import { ShapeError, ValueError } from '../errors.js';
import { Generator } from '../random.js';
import { sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { assertGradcheck, testBackends, useBackend } from '../testing/index.js';
import { nllLoss } from './nll-loss.js';
import type { Reduction } from './reduction.js';

function uniform(gen: Generator, shape: number[]): Tensor {
  return new Tensor(gen.fillUniform(new Float32Array(sizeOf(shape)), -3, 0), shape);
}

describe.each(testBackends())('nllLoss (%s)', (backend) => {
  beforeAll(() => useBackend(backend));
  const gen = new Generator(52);
  const int = (v: number[], shape?: number[]) => tensor(v, shape, { dtype: 'int32' });

  it('picks −logProbs at the targets', () => {
    const lp = tensor([[-1, -2, -3], [-4, -5, -6]]);
    expect(nllLoss(lp, int([2, 0])).item()).toBe(3.5);
    expect(nllLoss(lp, int([2, 0]), { reduction: 'sum' }).item()).toBe(7);
    expect(nllLoss(lp, int([2, 0]), { reduction: 'none' }).toArray()).toEqual([3, 4]);
    expect(nllLoss(lp, int([2, 5]), { ignoreIndex: 5 }).item()).toBe(3);
    expect(nllLoss(tensor([[-1, -2], [-3, -4]]), int([1, 0]), { axis: 0 }).toArray()).toBe(2.5);
  });

  it.each(['mean', 'sum', 'none'] as Reduction[])('gradchecks [N, C, T] with ignoreIndex and reduction %s', (reduction) => {
    const t = int([0, 2, 1, 3, -1, 2], [2, 3]);
    assertGradcheck((x) => nllLoss(x!, t, { reduction, ignoreIndex: -1 }), [uniform(gen, [2, 4, 3])]);
  });

  it('gradchecks classes on the last axis', () => {
    const t = int([0, 2, 1, 3], [2, 2]);
    assertGradcheck((x) => nllLoss(x!, t, { axis: -1 }), [uniform(gen, [2, 2, 4])]);
  });

  it('rejects bad targets naming nllLoss and the shapes', () => {
    const lp = uniform(gen, [2, 3]);
    expect(() => nllLoss(lp, int([0, 1], [1, 2]))).toThrow(ShapeError);
    expect(() => nllLoss(lp, int([0, 1], [1, 2]))).toThrow('nllLoss: target [1, 2] must be [2] for input [2, 3] (classes on axis 1)');
    expect(() => nllLoss(lp, int([0, -2]))).toThrow(ValueError);
    expect(() => nllLoss(lp, int([0, -2]))).toThrow('nllLoss: target -2 is out of range for 3 classes (input [2, 3])');
    expect(() => nllLoss(tensor(1), int([0]))).toThrow('nllLoss: input must have a class axis, got a scalar');
  });
});
