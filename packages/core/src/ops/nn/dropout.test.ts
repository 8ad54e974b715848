import { beforeAll, describe, expect, it } from 'vitest';
import { ones, tensor } from '../../creation.js';
import { DTypeError, ValueError } from '../../errors.js';
import { Generator } from '../../random.js';
import { sizeOf } from '../../shape.js';
import { Tensor } from '../../tensor.js';
import { assertGradcheck, testBackends, useBackend } from '../../testing/index.js';
import { dropout } from './dropout.js';

function uniform(gen: Generator, shape: number[]): Tensor {
  return new Tensor(gen.fillUniform(new Float32Array(sizeOf(shape)), -1, 1), shape);
}

describe.each(testBackends())('dropout (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it('zeroes about p of the elements and scales survivors by 1/(1−p)', () => {
    const y = dropout(ones([100_000]), 0.3, { generator: new Generator(1) });
    let zeros = 0;
    for (const v of y.data) {
      if (v === 0) zeros++;
      else expect(v).toBe(Math.fround(1 / 0.7));
    }
    // Binomial(1e5, 0.3): σ ≈ 145, so ±1000 is ~7σ.
    expect(Math.abs(zeros - 30_000)).toBeLessThan(1000);
  });

  it('draws the same mask from the same seed, and the identity in eval mode or with p = 0', () => {
    const x = uniform(new Generator(2), [4, 5]);
    const a = dropout(x, 0.5, { generator: new Generator(9) });
    const b = dropout(x, 0.5, { generator: new Generator(9) });
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(dropout(x, 0.5, { training: false })).toBe(x);
    expect(dropout(x, 0)).toBe(x);
    expect(Array.from(dropout(x, 1).data).every((v) => v === 0)).toBe(true);
  });

  it('gradchecks with a fixed mask (a fresh generator with the same seed per call)', () => {
    const gen = new Generator(3);
    assertGradcheck((x) => dropout(x!, 0.4, { generator: new Generator(77) }), [uniform(gen, [3, 4, 2])]);
    assertGradcheck((x) => dropout(x!, 0.9, { generator: new Generator(78) }), [uniform(gen, [2, 1, 5])]);
  });

  it('uses the mask of the forward pass in backward', () => {
    const x = ones([50], { requiresGrad: true });
    const y = dropout(x, 0.5, { generator: new Generator(4) });
    y.sum().backward();
    expect(Array.from(x.grad!.data)).toEqual(Array.from(y.data));
  });

  it('rejects a bad p and int32 input', () => {
    const x = tensor([1, 2]);
    expect(() => dropout(x, 1.5)).toThrow(ValueError);
    expect(() => dropout(x, 1.5)).toThrow('dropout: p must be in [0, 1], got 1.5');
    expect(() => dropout(x, Number.NaN)).toThrow(ValueError);
    expect(() => dropout(tensor([1], undefined, { dtype: 'int32' }))).toThrow(DTypeError);
  });
});
