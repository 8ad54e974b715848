import { beforeAll, describe, expect, it } from 'vitest';
import { tensor } from '../../creation.js';
import { ValueError } from '../../errors.js';
import { Generator } from '../../random.js';
import { sizeOf } from '../../shape.js';
import { Tensor } from '../../tensor.js';
import { assertGradcheck, testBackends, useBackend } from '../../testing/index.js';
import { max, min } from './max.js';

/** Distinct values (a shuffled grid 0.1 apart): no ties within finite-difference reach. */
function distinct(gen: Generator, shape: number[]): Tensor {
  const n = sizeOf(shape);
  const d = new Float32Array(n);
  for (let i = 0; i < n; i++) d[i] = (i - n / 2) * 0.1;
  for (let i = n - 1; i > 0; i--) {
    const j = gen.randint(i + 1);
    [d[i], d[j]] = [d[j]!, d[i]!];
  }
  return new Tensor(d, shape);
}

describe.each(testBackends())('max, min (%s)', (backend) => {
  beforeAll(() => useBackend(backend));
  const gen = new Generator(33);

  it('reduces over an axis or all elements', () => {
    const x = tensor([[1, 5, 3], [4, 2, 6]]);
    expect(max(x).item()).toBe(6);
    expect(min(x).item()).toBe(1);
    expect(max(x, 0).toArray()).toEqual([4, 5, 6]);
    expect(min(x, 1).toArray()).toEqual([1, 2]);
    expect(max(x, -1, true).toArray()).toEqual([[5], [6]]);
    expect(max(x, undefined, true).shape).toEqual([1, 1]);
    expect(max(tensor([3, -1], undefined, { dtype: 'int32' })).toArray()).toBe(3);
  });

  it('propagates NaN like PyTorch', () => {
    const x = tensor([[1, Number.NaN, 3], [4, 5, 6]]);
    expect(max(x, 1).toArray()).toEqual([Number.NaN, 6]);
    expect(min(x).item()).toBeNaN();
  });

  it('sends the gradient to the first extreme element on ties', () => {
    const x = tensor([[2, 7, 7], [1, 1, 0]], undefined, { requiresGrad: true });
    max(x, 1).sum().backward();
    expect(x.grad!.toArray()).toEqual([[0, 1, 0], [1, 0, 0]]);
    x.grad = null;
    min(x).backward();
    expect(x.grad!.toArray()).toEqual([[0, 0, 0], [0, 0, 1]]);
  });

  it.each([[0], [1], [-1], [undefined]] as Array<[number | undefined]>)('gradchecks axis %j with and without keepDims', (axis) => {
    assertGradcheck((t) => max(t!, axis), [distinct(gen, [3, 4, 2])]);
    assertGradcheck((t) => min(t!, axis, true), [distinct(gen, [3, 4, 2])]);
  });

  it('gradchecks a size-1 reduced axis', () => {
    assertGradcheck((t) => max(t!, 1), [distinct(gen, [3, 1, 2])]);
  });

  it('rejects empty inputs and bad axes naming the op and the shape', () => {
    expect(() => max(new Tensor(new Float32Array(0), [0, 3]))).toThrow(ValueError);
    expect(() => max(new Tensor(new Float32Array(0), [0, 3]))).toThrow('max: input [0, 3] is empty');
    expect(() => min(tensor([[1, 2]]), 2)).toThrow('min: axis 2 is out of range for input [1, 2]');
  });
});
