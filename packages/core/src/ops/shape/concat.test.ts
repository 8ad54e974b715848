import { beforeAll, describe, expect, it } from 'vitest';
import { tensor } from '../../creation.js';
import { DTypeError, ShapeError, ValueError } from '../../errors.js';
import { Generator } from '../../random.js';
import { sizeOf } from '../../shape.js';
import { Tensor } from '../../tensor.js';
import { assertGradcheck, testBackends, useBackend } from '../../testing/index.js';
import { concat, stack } from './concat.js';

function uniform(gen: Generator, shape: number[]): Tensor {
  return new Tensor(gen.fillUniform(new Float32Array(sizeOf(shape)), -1, 1), shape);
}

describe.each(testBackends())('concat, stack (%s)', (backend) => {
  beforeAll(() => useBackend(backend));
  const gen = new Generator(24);

  it('joins along an existing axis and along a new one', () => {
    const a = tensor([[1, 2], [3, 4]]);
    const b = tensor([[5, 6]]);
    expect(concat([a, b]).toArray()).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(concat([a, tensor([[7], [8]])], -1).toArray()).toEqual([[1, 2, 7], [3, 4, 8]]);
    expect(stack([tensor([1, 2]), tensor([3, 4])]).toArray()).toEqual([[1, 2], [3, 4]]);
    expect(stack([tensor([1, 2]), tensor([3, 4])], 1).toArray()).toEqual([[1, 3], [2, 4]]);
    expect(stack([tensor([1, 2]), tensor([3, 4])], -1).shape).toEqual([2, 2]);
    expect(stack([tensor(1), tensor(2)]).toArray()).toEqual([1, 2]);
    const i = concat([tensor([1], undefined, { dtype: 'int32' }), tensor([2], undefined, { dtype: 'int32' })]);
    expect(i.dtype).toBe('int32');
  });

  it('gradchecks concat on every axis and stack at both ends', () => {
    assertGradcheck((a, b, c) => concat([a!, b!, c!], 1), [uniform(gen, [2, 1, 3]), uniform(gen, [2, 3, 3]), uniform(gen, [2, 2, 3])]);
    assertGradcheck((a, b) => concat([a!, b!], 0), [uniform(gen, [1, 2]), uniform(gen, [3, 2])]);
    assertGradcheck((a, b) => concat([a!, b!], -1), [uniform(gen, [2, 2]), uniform(gen, [2, 1])]);
    assertGradcheck((a, b) => stack([a!, b!], 0), [uniform(gen, [2, 3]), uniform(gen, [2, 3])]);
    assertGradcheck((a, b, c) => stack([a!, b!, c!], -1), [uniform(gen, [3]), uniform(gen, [3]), uniform(gen, [3])]);
    // The same tensor twice: both slices of the gradient accumulate.
    assertGradcheck((a) => concat([a!, a!], 0), [uniform(gen, [2, 2])]);
  });

  it('passes gradients only to the inputs that need them', () => {
    const a = tensor([1, 2], undefined, { requiresGrad: true });
    const b = tensor([3]);
    concat([a, b]).mul(tensor([1, 2, 3])).sum().backward();
    expect(a.grad!.toArray()).toEqual([1, 2]);
    expect(b.grad).toBeNull();
  });

  it('rejects incompatible inputs naming the op and the shapes', () => {
    const a = uniform(gen, [2, 3]);
    expect(() => concat([a, uniform(gen, [2, 4])], 0)).toThrow(ShapeError);
    expect(() => concat([a, uniform(gen, [2, 4])], 0)).toThrow(
      'concat: tensor 1 has shape [2, 4], incompatible with tensor 0 [2, 3] along axis 0',
    );
    expect(() => concat([a, uniform(gen, [3])], 0)).toThrow('concat: tensor 1 has shape [3], incompatible with tensor 0 [2, 3]');
    expect(() => concat([a, tensor([[1, 2, 3]], undefined, { dtype: 'int32' })])).toThrow(DTypeError);
    expect(() => concat([a, tensor([[1, 2, 3]], undefined, { dtype: 'int32' })])).toThrow('concat: tensor 1 is int32 but tensor 0 is float32');
    expect(() => concat([a, a], 2)).toThrow(ValueError);
    expect(() => concat([a, a], 2)).toThrow('concat: axis 2 is out of range for input [2, 3]');
    expect(() => concat([])).toThrow('concat: needs at least one tensor');
    expect(() => concat([tensor(1), tensor(2)])).toThrow(ShapeError);
    expect(() => concat([tensor(1), tensor(2)])).toThrow('concat: tensor 0 is a scalar [] and has no axis to join along; use stack');
    expect(() => stack([a, uniform(gen, [3, 2])])).toThrow(ShapeError);
    expect(() => stack([a, uniform(gen, [3, 2])])).toThrow('stack: tensor 1 has shape [3, 2] but tensor 0 has [2, 3]');
    expect(() => stack([a, a], 3)).toThrow('stack: axis 3 is out of range for input [2, 3] (valid: -3..2)');
  });
});
