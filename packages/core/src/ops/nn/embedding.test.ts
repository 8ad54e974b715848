import { beforeAll, describe, expect, it } from 'vitest';
import { tensor } from '../../creation.js';
import { DTypeError, ShapeError, ValueError } from '../../errors.js';
import { Generator } from '../../random.js';
import { sizeOf } from '../../shape.js';
import { Tensor } from '../../tensor.js';
import { assertGradcheck, testBackends, useBackend } from '../../testing/index.js';
import { embedding } from './embedding.js';

function uniform(gen: Generator, shape: number[]): Tensor {
  return new Tensor(gen.fillUniform(new Float32Array(sizeOf(shape)), -1, 1), shape);
}

const ids = (values: number[], shape?: number[]) => tensor(values, shape, { dtype: 'int32' });

describe.each(testBackends())('embedding (%s)', (backend) => {
  beforeAll(() => useBackend(backend));
  const gen = new Generator(43);

  it('looks up rows for ids of any shape', () => {
    const w = tensor([[0, 1], [2, 3], [4, 5]]);
    expect(embedding(ids([2, 0, 2, 1], [2, 2]), w).toArray()).toEqual([[[4, 5], [0, 1]], [[4, 5], [2, 3]]]);
    expect(embedding(ids([1], []), w).toArray()).toEqual([2, 3]);
  });

  it('accumulates repeated ids and never trains the padding row', () => {
    const w = tensor([[0, 1], [2, 3], [4, 5]], undefined, { requiresGrad: true });
    embedding(ids([2, 0, 2, 1, 1]), w, 1).sum().backward();
    expect(w.grad!.toArray()).toEqual([[1, 1], [0, 0], [2, 2]]);
    w.grad = null;
    embedding(ids([2, 0, 2]), w, -1).sum().backward();
    expect(w.grad!.toArray()).toEqual([[1, 1], [0, 0], [0, 0]]);
    w.grad = null;
    embedding(ids([0, 0, 1]), w, 0).sum().backward();
    expect(w.grad!.toArray()).toEqual([[0, 0], [1, 1], [0, 0]]);
  });

  it('gradchecks with and without paddingIdx', () => {
    const index = ids([3, 1, 3, 0, 4, 1], [2, 3]);
    assertGradcheck((w) => embedding(index, w!), [uniform(gen, [5, 4])]);
    // With padding the analytic gradient of row 1 is zero, unlike the numeric one: check the other rows only.
    const w = uniform(gen, [5, 4]).requiresGrad_();
    embedding(index, w, 1).mul(uniform(gen, [2, 3, 4])).sum().backward();
    expect(Array.from(w.grad!.data.slice(4, 8))).toEqual([0, 0, 0, 0]);
    assertGradcheck((x) => embedding(ids([3, 0, 3]), x!, 1), [uniform(gen, [5, 2])]);
  });

  it('gradchecks a small table looked up many times (the wasm scatter-add path: 8 rows × 64 floats, 200 ids)', () => {
    const index = new Tensor(Int32Array.from({ length: 200 }, (_, j) => (j * 5 + (j >> 3)) % 8), [10, 20]);
    assertGradcheck((w) => embedding(index, w!), [uniform(gen, [8, 64])], { maxElements: 64 });
  });

  it('rejects bad ids, weights and paddingIdx naming embedding and the shapes', () => {
    const w = uniform(gen, [3, 2]);
    expect(() => embedding(tensor([0, 1]), w)).toThrow(DTypeError);
    expect(() => embedding(tensor([0, 1]), w)).toThrow('embedding: ids must be int32, got float32 [2]');
    expect(() => embedding(ids([0, 3]), w)).toThrow(ValueError);
    expect(() => embedding(ids([0, 3]), w)).toThrow('embedding: index 3 is out of range for axis 0 of size 3 (input [3, 2])');
    expect(() => embedding(ids([0]), uniform(gen, [3]))).toThrow(ShapeError);
    expect(() => embedding(ids([0]), uniform(gen, [3]))).toThrow('embedding: weight must be [V, E], got [3]');
    expect(() => embedding(ids([0]), w, 3)).toThrow(ValueError);
    expect(() => embedding(ids([0]), w, 3)).toThrow('embedding: paddingIdx 3 is out of range for weight [3, 2]');
  });
});
