import { beforeAll, describe, expect, it } from 'vitest';
import { tensor } from '../creation.js';
import { DTypeError, ShapeError } from '../errors.js';
import { Generator } from '../random.js';
import { sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { assertGradcheck, testBackends, useBackend } from '../testing/index.js';
import { bceWithLogits } from './bce-with-logits.js';
import type { Reduction } from './reduction.js';

function uniform(gen: Generator, shape: number[], lo = -2, hi = 2): Tensor {
  return new Tensor(gen.fillUniform(new Float32Array(sizeOf(shape)), lo, hi), shape);
}

/** −w·y·log σ(x) − (1−y)·log(1−σ(x)) in float64 (PyTorch's definition with pos_weight w). */
function bceRef(x: number, y: number, w = 1): number {
  const s = 1 / (1 + Math.exp(-x));
  return -(w * y * Math.log(s) + (1 - y) * Math.log(1 - s));
}

describe.each(testBackends())('bceWithLogits (%s)', (backend) => {
  beforeAll(() => useBackend(backend));
  const gen = new Generator(54);

  it('matches the definition, with and without posWeight', () => {
    const x = uniform(gen, [2, 3]);
    const y = uniform(gen, [2, 3], 0, 1);
    const w = tensor([0.5, 2, 3]);
    const plain = bceWithLogits(x, y, { reduction: 'none' });
    const weighted = bceWithLogits(x, y, { reduction: 'none', posWeight: w });
    for (let i = 0; i < 6; i++) {
      expect(plain.data[i]).toBeCloseTo(bceRef(x.data[i]!, y.data[i]!), 5);
      expect(weighted.data[i]).toBeCloseTo(bceRef(x.data[i]!, y.data[i]!, w.data[i % 3]!), 5);
    }
  });

  it('is finite for large logits', () => {
    const out = bceWithLogits(tensor([-200, 200]), tensor([1, 0]), { reduction: 'none' });
    expect(Array.from(out.data)).toEqual([200, 200]);
  });

  it.each(['mean', 'sum', 'none'] as Reduction[])('gradchecks logits and targets with reduction %s', (reduction) => {
    assertGradcheck((x, y) => bceWithLogits(x!, y!, { reduction }), [uniform(gen, [3, 4]), uniform(gen, [3, 4], 0, 1)]);
  });

  it('gradchecks logits, targets and posWeight (broadcast over the last axis)', () => {
    assertGradcheck((x, y, w) => bceWithLogits(x!, y!, { posWeight: w! }), [uniform(gen, [2, 3, 4]), uniform(gen, [2, 3, 4], 0, 1), uniform(gen, [4], 0.5, 3)]);
  });

  it('rejects mismatched shapes and int32 targets', () => {
    expect(() => bceWithLogits(uniform(gen, [2, 3]), uniform(gen, [3]))).toThrow(ShapeError);
    expect(() => bceWithLogits(uniform(gen, [2, 3]), uniform(gen, [3]))).toThrow('bceWithLogits: input is [2, 3] but target is [3]');
    expect(() => bceWithLogits(tensor([1]), tensor([1], undefined, { dtype: 'int32' }))).toThrow(DTypeError);
    expect(() => bceWithLogits(tensor([1]), tensor([1], undefined, { dtype: 'int32' }))).toThrow('bceWithLogits: target must be float32, got int32 [1]');
  });
});
