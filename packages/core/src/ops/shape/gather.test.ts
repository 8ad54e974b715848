import { beforeAll, describe, expect, it } from 'vitest';
import { tensor } from '../../creation.js';
import { DTypeError, ShapeError, ValueError } from '../../errors.js';
import { Generator } from '../../random.js';
import { sizeOf } from '../../shape.js';
import { Tensor } from '../../tensor.js';
import { assertGradcheck, testBackends, useBackend } from '../../testing/index.js';
import { gather } from './gather.js';

function uniform(gen: Generator, shape: number[]): Tensor {
  return new Tensor(gen.fillUniform(new Float32Array(sizeOf(shape)), -1, 1), shape);
}

function randomIndex(gen: Generator, shape: number[], n: number): Tensor {
  const d = new Int32Array(sizeOf(shape));
  for (let i = 0; i < d.length; i++) d[i] = gen.randint(n);
  return new Tensor(d, shape);
}

const ids = (values: number[][]) => tensor(values, undefined, { dtype: 'int32' });

describe.each(testBackends())('gather (%s)', (backend) => {
  beforeAll(() => useBackend(backend));
  const gen = new Generator(28);

  it('matches torch.gather on both axes', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(gather(x, 1, ids([[2, 0], [1, 1]])).toArray()).toEqual([[3, 1], [5, 5]]);
    expect(gather(x, 0, ids([[1, 0, 1]])).toArray()).toEqual([[4, 2, 6]]);
    expect(gather(x, -1, ids([[0], [2]])).toArray()).toEqual([[1], [6]]);
  });

  it('scatter-adds repeated indices in backward', () => {
    const x = tensor([[1, 2, 3]], undefined, { requiresGrad: true });
    gather(x, 1, ids([[2, 2, 0, 2]])).sum().backward();
    expect(x.grad!.toArray()).toEqual([[1, 0, 3]]);
  });

  it('gradchecks on the first, middle and last axis', () => {
    const first = randomIndex(gen, [5, 3], 2);
    const middle = randomIndex(gen, [2, 4, 2], 3);
    const last = randomIndex(gen, [3, 1], 4);
    assertGradcheck((x) => gather(x!, 0, first), [uniform(gen, [2, 3])]);
    assertGradcheck((x) => gather(x!, 1, middle), [uniform(gen, [2, 3, 2])]);
    assertGradcheck((x) => gather(x!, -1, last), [uniform(gen, [3, 4])]);
  });

  it('rejects bad indices naming gather and the shapes', () => {
    const x = uniform(gen, [2, 3]);
    expect(() => gather(x, 1, tensor([[0], [1]]))).toThrow(DTypeError);
    expect(() => gather(x, 1, tensor([[0], [1]]))).toThrow('gather: index must be int32, got float32 [2, 1]');
    expect(() => gather(x, 1, ids([[0, 1]]))).toThrow(ShapeError);
    expect(() => gather(x, 1, ids([[0, 1]]))).toThrow('gather: index [1, 2] must match input [2, 3] on every axis but 1');
    expect(() => gather(x, 1, ids([[0], [3]]))).toThrow(ValueError);
    expect(() => gather(x, 1, ids([[0], [3]]))).toThrow('gather: index 3 is out of range for axis 1 of size 3 (input [2, 3])');
    expect(() => gather(x, 2, ids([[0], [1]]))).toThrow('gather: axis 2 is out of range for input [2, 3]');
  });
});
