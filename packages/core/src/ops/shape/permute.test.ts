import { beforeAll, describe, expect, it } from 'vitest';
import { arange } from '../../creation.js';
import { ValueError } from '../../errors.js';
import { Generator } from '../../random.js';
import { sizeOf } from '../../shape.js';
import { Tensor } from '../../tensor.js';
import { assertGradcheck, testBackends, useBackend } from '../../testing/index.js';
import { permute, transpose } from './permute.js';

function uniform(gen: Generator, shape: number[]): Tensor {
  return new Tensor(gen.fillUniform(new Float32Array(sizeOf(shape)), -1, 1), shape);
}

describe.each(testBackends())('permute, transpose (%s)', (backend) => {
  beforeAll(() => useBackend(backend));
  const gen = new Generator(22);

  it('moves axes', () => {
    const x = arange(24).reshape([2, 3, 4]);
    const y = permute(x, [2, 0, 1]);
    expect(y.shape).toEqual([4, 2, 3]);
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 3; j++) {
        for (let k = 0; k < 4; k++) expect(y.data[k * 6 + i * 3 + j]).toBe(x.data[i * 12 + j * 4 + k]);
      }
    }
    expect(permute(x, [-1, 0, 1]).toArray()).toEqual(y.toArray());
    expect(transpose(arange(6).reshape([2, 3])).toArray()).toEqual([[0, 3], [1, 4], [2, 5]]);
    expect(transpose(x, 0, 2).shape).toEqual([4, 3, 2]);
  });

  it('gradchecks permute and transpose', () => {
    assertGradcheck((x) => permute(x!, [2, 0, 1]), [uniform(gen, [2, 3, 4])]);
    assertGradcheck((x) => permute(x!, [1, 3, 0, 2]), [uniform(gen, [2, 1, 3, 2])]);
    assertGradcheck((x) => transpose(x!), [uniform(gen, [3, 2])]);
    assertGradcheck((x) => transpose(x!, 0, -1), [uniform(gen, [2, 3, 1])]);
  });

  it('rejects bad permutations naming the op and the shape', () => {
    const x = uniform(gen, [2, 3]);
    expect(() => permute(x, [0])).toThrow(ValueError);
    expect(() => permute(x, [0])).toThrow('permute: perm [0] has 1 axes but the input [2, 3] has 2');
    expect(() => permute(x, [1, 1])).toThrow('permute: perm [1, 1] repeats an axis');
    expect(() => permute(x, [0, 2])).toThrow('permute: axis 2 is out of range for input [2, 3]');
    expect(() => transpose(x, 0, 5)).toThrow('transpose: axis 5 is out of range for input [2, 3]');
  });
});
