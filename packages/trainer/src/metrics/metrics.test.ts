import { DTypeError, ShapeError, tensor } from '@elman/core';
import { describe, expect, it } from 'vitest';
import { accuracy } from './accuracy.js';
import { meanAbsoluteError } from './mean-absolute-error.js';
import { meanSquaredError, rootMeanSquaredError } from './mean-squared-error.js';
import { metricFromFunction } from './metric.js';

describe('metrics', () => {
  it('accumulate over batches independently of how the data was cut', () => {
    const out = [tensor([[1], [2]]), tensor([[4], [0], [1]])];
    const tgt = [tensor([[0], [2]]), tensor([[1], [1], [1]])];
    const errs = [1, 0, 3, -1, 0]; // out − target
    for (const [metric, expected] of [
      [meanAbsoluteError(), errs.reduce((s, e) => s + Math.abs(e), 0) / 5],
      [meanSquaredError(), errs.reduce((s, e) => s + e * e, 0) / 5],
      [rootMeanSquaredError(), Math.sqrt(errs.reduce((s, e) => s + e * e, 0) / 5)],
    ] as const) {
      metric.reset();
      expect(metric.compute()).toBeNaN();
      for (const [i, o] of out.entries()) metric.update(o, tgt[i]!);
      expect(metric.compute()).toBeCloseTo(expected, 12);
      metric.reset();
      expect(metric.compute()).toBeNaN();
    }
  });

  it('accuracy takes the arg-max of the class axis and skips ignoreIndex', () => {
    const acc = accuracy({ ignoreIndex: -100 });
    acc.reset();
    acc.update(tensor([[0.1, 0.9], [2, 1], [0, 0]]), tensor([1, 1, 0], undefined, { dtype: 'int32' }));
    acc.update(tensor([[[5, 0], [0, 5]]]), tensor([[0, -100]], undefined, { dtype: 'int32' }));
    // hits: 1, 0, 1 (tie → first class), 1; the ignored position does not count.
    expect(acc.compute()).toBe(3 / 4);
    expect(() => acc.update(tensor([[1, 2]]), tensor([1]))).toThrow(DTypeError);
    expect(() => acc.update(tensor([[1, 2]]), tensor([1, 0], undefined, { dtype: 'int32' }))).toThrow(
      /accuracy: output \[1, 2\] must be the target's shape \[2\] plus a class axis/,
    );
  });

  it('a metric function becomes a batch-size-weighted mean', () => {
    const m = metricFromFunction((o) => o.data[0]!);
    m.update(tensor([[1], [1], [1]]), tensor([[0], [0], [0]]));
    m.update(tensor([[5]]), tensor([[0]]));
    expect(m.compute()).toBe((1 * 3 + 5) / 4);
  });

  it('regression metrics name mismatched shapes', () => {
    expect(() => meanSquaredError().update(tensor([1, 2]), tensor([1]))).toThrow(
      new ShapeError('meanSquaredError: output is [2] but target is [1]'),
    );
  });
});
