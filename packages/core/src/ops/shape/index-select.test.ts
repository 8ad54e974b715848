import { beforeAll, describe, expect, it } from 'vitest';
import { arange, tensor } from '../../creation.js';
import { DTypeError, ValueError } from '../../errors.js';
import { Generator } from '../../random.js';
import { sizeOf } from '../../shape.js';
import { Tensor } from '../../tensor.js';
import { assertGradcheck, testBackends, useBackend } from '../../testing/index.js';
import { indexSelect } from './index-select.js';

function uniform(gen: Generator, shape: number[]): Tensor {
  return new Tensor(gen.fillUniform(new Float32Array(sizeOf(shape)), -1, 1), shape);
}

const ids = (values: number[], shape?: number[]) => tensor(values, shape, { dtype: 'int32' });

describe.each(testBackends())('indexSelect (%s)', (backend) => {
  beforeAll(() => useBackend(backend));
  const gen = new Generator(27);

  it('picks slices along an axis; the index shape replaces the axis', () => {
    const x = arange(12).reshape([3, 4]);
    expect(indexSelect(x, 0, [2, 0]).toArray()).toEqual([[8, 9, 10, 11], [0, 1, 2, 3]]);
    expect(indexSelect(x, 1, ids([3, 3, 1])).toArray()).toEqual([[3, 3, 1], [7, 7, 5], [11, 11, 9]]);
    expect(indexSelect(x, -1, ids([0, 1, 2, 3, 0, 1], [2, 3])).shape).toEqual([3, 2, 3]);
    expect(indexSelect(x, 0, ids([1, 2, 0, 1], [2, 2])).shape).toEqual([2, 2, 4]);
  });

  it('accumulates gradients of repeated indices', () => {
    const x = tensor([[1, 2], [3, 4], [5, 6]], undefined, { requiresGrad: true });
    indexSelect(x, 0, [2, 0, 2, 2]).sum().backward();
    expect(x.grad!.toArray()).toEqual([[1, 1], [0, 0], [3, 3]]);
  });

  it('gradchecks on every axis with repeated indices', () => {
    assertGradcheck((x) => indexSelect(x!, 0, ids([1, 1, 0, 3])), [uniform(gen, [4, 3])]);
    assertGradcheck((x) => indexSelect(x!, 1, ids([2, 0, 2, 2], [2, 2])), [uniform(gen, [2, 3, 2])]);
    assertGradcheck((x) => indexSelect(x!, -1, ids([0, 0])), [uniform(gen, [2, 1, 1])]);
  });

  it('rejects float indices, out-of-range indices and axes, naming the op and shapes', () => {
    const x = uniform(gen, [3, 4]);
    expect(() => indexSelect(x, 0, tensor([0, 1]))).toThrow(DTypeError);
    expect(() => indexSelect(x, 0, tensor([0, 1]))).toThrow('indexSelect: index must be int32, got float32 [2]');
    expect(() => indexSelect(x, 0, ids([0, 3]))).toThrow(ValueError);
    expect(() => indexSelect(x, 0, ids([0, 3]))).toThrow('indexSelect: index 3 is out of range for axis 0 of size 3 (input [3, 4])');
    expect(() => indexSelect(x, 1, [-1])).toThrow('indexSelect: index -1 is out of range for axis 1 of size 4 (input [3, 4])');
    expect(() => indexSelect(x, 2, [0])).toThrow('indexSelect: axis 2 is out of range for input [3, 4]');
    expect(() => indexSelect(x, 0, [0.5])).toThrow('indexSelect: index 0.5 is not an integer (input [3, 4])');
  });
});
