import { beforeAll, describe, expect, it } from 'vitest';
import { tensor } from '../creation.js';
import { DTypeError, ShapeError, ValueError } from '../errors.js';
import { Generator } from '../random.js';
import { sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { assertGradcheck, testBackends, useBackend } from '../testing/index.js';
import { crossEntropy } from './cross-entropy.js';
import type { Reduction } from './reduction.js';

function uniform(gen: Generator, shape: number[]): Tensor {
  return new Tensor(gen.fillUniform(new Float32Array(sizeOf(shape)), -2, 2), shape);
}

function labels(gen: Generator, shape: number[], classes: number): Tensor {
  const d = new Int32Array(sizeOf(shape));
  for (let i = 0; i < d.length; i++) d[i] = gen.randint(classes);
  return new Tensor(d, shape);
}

const REDUCTIONS: Reduction[] = ['mean', 'sum', 'none'];

describe.each(testBackends())('crossEntropy (%s)', (backend) => {
  beforeAll(() => useBackend(backend));
  const gen = new Generator(51);

  it('is −log softmax at the target, averaged', () => {
    const logits = tensor([[0, Math.log(3)], [0, 0]]);
    const loss = crossEntropy(logits, tensor([1, 0], undefined, { dtype: 'int32' }));
    expect(loss.item()).toBeCloseTo((-Math.log(0.75) - Math.log(0.5)) / 2, 6);
    expect(crossEntropy(tensor([0, 0, 0]), tensor(2, undefined, { dtype: 'int32' })).item()).toBeCloseTo(Math.log(3), 6);
  });

  it.each(REDUCTIONS)('gradchecks [N, C] with reduction %s', (reduction) => {
    const t = labels(gen, [5], 4);
    assertGradcheck((x) => crossEntropy(x!, t, { reduction }), [uniform(gen, [5, 4])]);
  });

  it.each(REDUCTIONS)('gradchecks [N, C, T] (classes on axis 1) with ignoreIndex and reduction %s', (reduction) => {
    const t = labels(gen, [2, 3], 4);
    t.data[1] = -100;
    t.data[4] = -100;
    assertGradcheck((x) => crossEntropy(x!, t, { reduction }), [uniform(gen, [2, 4, 3])]);
  });

  it.each(REDUCTIONS)('gradchecks [B, T, V] with axis −1, ignoreIndex 0 and label smoothing, reduction %s', (reduction) => {
    const t = labels(gen, [2, 3], 5);
    t.data[2] = 0;
    assertGradcheck((x) => crossEntropy(x!, t, { axis: -1, ignoreIndex: 0, labelSmoothing: 0.15, reduction }), [uniform(gen, [2, 3, 5])]);
  });

  it('gradchecks label smoothing on axis 1', () => {
    const t = labels(gen, [3], 6);
    assertGradcheck((x) => crossEntropy(x!, t, { labelSmoothing: 0.2 }), [uniform(gen, [3, 6])]);
  });

  it('gradchecks [B, T, V] large enough for the fused wasm kernel (≥ 256 logits), with smoothing and ignored rows', () => {
    const t = labels(gen, [4, 5], 24);
    t.data[3] = -100;
    t.data[11] = -100;
    assertGradcheck((x) => crossEntropy(x!, t, { axis: -1, labelSmoothing: 0.1 }), [uniform(gen, [4, 5, 24])], {
      maxElements: 120,
    });
  });

  it('matches log-softmax + gather composed from other ops on a large [N, C]', () => {
    const x = uniform(gen, [37, 300]);
    const t = labels(gen, [37], 300);
    const each = crossEntropy(x, t, { reduction: 'none' });
    const lp = x.logSoftmax(1);
    for (let r = 0; r < 37; r++) expect(each.data[r]).toBeCloseTo(-lp.data[r * 300 + t.data[r]!]!, 4);
  });

  it('averages over non-ignored targets only, and gives NaN when all are ignored (like PyTorch)', () => {
    const x = uniform(gen, [3, 4]);
    const t = tensor([1, -100, 2], undefined, { dtype: 'int32' });
    const each = crossEntropy(x, t, { reduction: 'none' });
    expect(each.data[1]).toBe(0);
    expect(crossEntropy(x, t).item()).toBeCloseTo((each.data[0]! + each.data[2]!) / 2, 6);
    expect(crossEntropy(x, tensor([-100, -100, -100], undefined, { dtype: 'int32' })).item()).toBeNaN();
  });

  it('with smoothing 1 is the mean negative log-probability over classes', () => {
    const x = uniform(gen, [1, 4]);
    const lp = x.logSoftmax(1);
    const want = -(lp.data[0]! + lp.data[1]! + lp.data[2]! + lp.data[3]!) / 4;
    expect(crossEntropy(x, tensor([2], undefined, { dtype: 'int32' }), { labelSmoothing: 1 }).item()).toBeCloseTo(want, 5);
  });

  it('rejects bad targets and options naming crossEntropy and the shapes', () => {
    const x = uniform(gen, [2, 3]);
    const int = (v: number[]) => tensor(v, undefined, { dtype: 'int32' });
    expect(() => crossEntropy(x, tensor([0, 1]))).toThrow(DTypeError);
    expect(() => crossEntropy(x, tensor([0, 1]))).toThrow('crossEntropy: target must be int32 class indices, got float32 [2]');
    expect(() => crossEntropy(x, int([0, 1, 2]))).toThrow(ShapeError);
    expect(() => crossEntropy(x, int([0, 1, 2]))).toThrow('crossEntropy: target [3] must be [2] for input [2, 3] (classes on axis 1)');
    expect(() => crossEntropy(x, int([0, 3]))).toThrow(ValueError);
    expect(() => crossEntropy(x, int([0, 3]))).toThrow('crossEntropy: target 3 is out of range for 3 classes (input [2, 3])');
    expect(() => crossEntropy(x, int([0, 1]), { axis: 2 })).toThrow('crossEntropy: axis 2 is out of range for input [2, 3]');
    expect(() => crossEntropy(x, int([0, 1]), { labelSmoothing: 1.5 })).toThrow('crossEntropy: labelSmoothing must be in [0, 1], got 1.5');
    expect(() => crossEntropy(x, int([0, 1]), { reduction: 'avg' as Reduction })).toThrow(
      "crossEntropy: reduction must be 'mean', 'sum' or 'none', got 'avg'",
    );
  });
});
