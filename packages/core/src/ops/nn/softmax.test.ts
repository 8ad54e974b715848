import { beforeAll, describe, expect, it } from 'vitest';
import { tensor } from '../../creation.js';
import { DTypeError, ValueError } from '../../errors.js';
import { Generator } from '../../random.js';
import { sizeOf } from '../../shape.js';
import { Tensor } from '../../tensor.js';
import { assertGradcheck, testBackends, useBackend } from '../../testing/index.js';
import { logSoftmax, softmax } from './softmax.js';

function uniform(gen: Generator, shape: number[], scale = 2): Tensor {
  return new Tensor(gen.fillUniform(new Float32Array(sizeOf(shape)), -scale, scale), shape);
}

describe.each(testBackends())('softmax, logSoftmax (%s)', (backend) => {
  beforeAll(() => useBackend(backend));
  const gen = new Generator(41);

  it('normalises along the given axis', () => {
    const x = uniform(gen, [2, 3, 4]);
    for (const axis of [0, 1, 2, -1]) {
      const y = softmax(x, axis);
      const s = y.sum(axis);
      for (const v of s.data) expect(v).toBeCloseTo(1, 6);
      const l = logSoftmax(x, axis);
      for (let i = 0; i < x.size; i++) expect(l.data[i]!).toBeCloseTo(Math.log(y.data[i]!), 5);
    }
    expect(Array.from(softmax(tensor([0, Math.log(3)])).data)).toEqual([0.25, 0.75]);
    // A 0-d input takes axis −1 as PyTorch does: softmax of one element is 1.
    expect(softmax(tensor(3)).item()).toBe(1);
    expect(logSoftmax(tensor(3), 0).item()).toBe(0);
  });

  it('is stable for large magnitudes and gives NaN for a fully masked row, like PyTorch', () => {
    const y = logSoftmax(tensor([[1000, 1000], [-1e4, 0]]));
    expect(Array.from(y.data)).toEqual([-Math.fround(Math.LN2), -Math.fround(Math.LN2), -1e4, 0]);
    const inf = Number.NEGATIVE_INFINITY;
    const m = softmax(tensor([[inf, inf], [inf, 0]]));
    expect(m.data[0]).toBeNaN();
    expect(m.data[1]).toBeNaN();
    expect(Array.from(m.data.slice(2))).toEqual([0, 1]);
  });

  it.each([[-1], [0], [1], [2]])('gradchecks softmax and logSoftmax on axis %i', (axis) => {
    assertGradcheck((x) => softmax(x!, axis), [uniform(gen, [2, 3, 4])]);
    assertGradcheck((x) => logSoftmax(x!, axis), [uniform(gen, [2, 3, 4])]);
  });

  it('gradchecks a size-1 softmax axis (constant output, zero gradient)', () => {
    assertGradcheck((x) => softmax(x!, 1), [uniform(gen, [3, 1, 2])]);
    assertGradcheck((x) => logSoftmax(x!, 0), [uniform(gen, [1, 4])]);
  });

  it('rejects int32 input and bad axes naming the op and the shape', () => {
    const i = tensor([1, 2], undefined, { dtype: 'int32' });
    expect(() => softmax(i)).toThrow(DTypeError);
    expect(() => softmax(i)).toThrow('softmax: input must be float32, got int32 [2]');
    expect(() => logSoftmax(uniform(gen, [2, 3]), 2)).toThrow(ValueError);
    expect(() => logSoftmax(uniform(gen, [2, 3]), 2)).toThrow('logSoftmax: axis 2 is out of range for input [2, 3]');
  });
});
