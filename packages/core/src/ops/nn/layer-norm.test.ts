import { beforeAll, describe, expect, it } from 'vitest';
import { tensor } from '../../creation.js';
import { DTypeError, ShapeError } from '../../errors.js';
import { Generator } from '../../random.js';
import { sizeOf } from '../../shape.js';
import { Tensor } from '../../tensor.js';
import { assertGradcheck, testBackends, useBackend } from '../../testing/index.js';
import { layerNorm } from './layer-norm.js';

function uniform(gen: Generator, shape: number[], lo = -2, hi = 2): Tensor {
  return new Tensor(gen.fillUniform(new Float32Array(sizeOf(shape)), lo, hi), shape);
}

describe.each(testBackends())('layerNorm (%s)', (backend) => {
  beforeAll(() => useBackend(backend));
  const gen = new Generator(42);

  it('normalises each row to zero mean and unit (biased) variance', () => {
    const y = layerNorm(tensor([[1, 2, 3, 4], [10, 10, 10, 14]]), [4], null, null, 0);
    const r = Math.sqrt(1.25);
    const want = [-1.5 / r, -0.5 / r, 0.5 / r, 1.5 / r, -1 / Math.sqrt(3), -1 / Math.sqrt(3), -1 / Math.sqrt(3), Math.sqrt(3)];
    for (let i = 0; i < 8; i++) expect(y.data[i]).toBeCloseTo(want[i]!, 6);
    const affine = layerNorm(tensor([[1, 3]]), [2], tensor([2, 3]), tensor([0.5, -1]), 0);
    expect(Array.from(affine.data)).toEqual([-1.5, 2]);
    expect(layerNorm(new Tensor(new Float32Array(0), [2, 0]), [0]).shape).toEqual([2, 0]);
  });

  it('gradchecks over one trailing axis with and without affine parameters', () => {
    assertGradcheck((x) => layerNorm(x!, [5]), [uniform(gen, [3, 5])]);
    assertGradcheck((x, w, b) => layerNorm(x!, [5], w!, b!), [uniform(gen, [2, 3, 5]), uniform(gen, [5], 0.5, 1.5), uniform(gen, [5])]);
    assertGradcheck((x, w) => layerNorm(x!, [4], w!, null), [uniform(gen, [2, 4]), uniform(gen, [4], 0.5, 1.5)]);
    assertGradcheck((x, b) => layerNorm(x!, [4], null, b!), [uniform(gen, [2, 4]), uniform(gen, [4])]);
  });

  it('gradchecks over two trailing axes with and without affine parameters', () => {
    assertGradcheck((x) => layerNorm(x!, [3, 4]), [uniform(gen, [2, 3, 4])]);
    assertGradcheck((x, w, b) => layerNorm(x!, [3, 4], w!, b!), [uniform(gen, [2, 3, 4]), uniform(gen, [3, 4], 0.5, 1.5), uniform(gen, [3, 4])]);
    assertGradcheck((x, w, b) => layerNorm(x!, [2, 3], w!, b!), [uniform(gen, [2, 3]), uniform(gen, [2, 3], 0.5, 1.5), uniform(gen, [2, 3])]);
  });

  it('passes gradients only to the parameters that need them', () => {
    const x = uniform(gen, [2, 3]);
    const w = tensor([1, 2, 3], undefined, { requiresGrad: true });
    const b = tensor([0, 0, 0]);
    layerNorm(x, [3], w, b).sum().backward();
    expect(w.grad!.shape).toEqual([3]);
    expect(b.grad).toBeNull();
    expect(x.grad).toBeNull();
  });

  it('rejects mismatched shapes naming layerNorm and the shapes', () => {
    const x = uniform(gen, [2, 3, 4]);
    expect(() => layerNorm(x, [3])).toThrow(ShapeError);
    expect(() => layerNorm(x, [3])).toThrow('layerNorm: normalizedShape [3] does not match the trailing axes of input [2, 3, 4]');
    expect(() => layerNorm(x, [2, 2, 3, 4])).toThrow('layerNorm: normalizedShape [2, 2, 3, 4] does not match the trailing axes of input [2, 3, 4]');
    expect(() => layerNorm(x, [4], uniform(gen, [3]))).toThrow('layerNorm: weight is [3] but normalizedShape is [4]');
    expect(() => layerNorm(x, [4], null, uniform(gen, [1, 4]))).toThrow('layerNorm: bias is [1, 4] but normalizedShape is [4]');
    expect(() => layerNorm(tensor([[1, 2]], undefined, { dtype: 'int32' }), [2])).toThrow(DTypeError);
  });
});
