import { ValueError, arange } from '@elman/core';
import { testBackends, useBackend } from '@elman/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { chronologicalSplit } from './chronological-split.js';
import { slidingWindows } from './sliding-windows.js';

describe.each(testBackends())('chronologicalSplit (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it('cuts tensors, datasets and arrays in time order', () => {
    const series = arange(10); // [10]
    const { train, validation, test } = chronologicalSplit(series, { train: 0.6, validation: 0.2 });
    expect(train.toArray()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(validation.toArray()).toEqual([6, 7]);
    expect(test.toArray()).toEqual([8, 9]);

    const ds = { ...slidingWindows(arange(12), { window: 2 }), lengths: [...Array(10).keys()] };
    const parts = chronologicalSplit(ds, { train: 0.5 });
    expect(parts.train.inputs.shape).toEqual([5, 2]);
    expect(parts.test.targets.toArray()).toEqual([[7], [8], [9], [10], [11]]);
    expect([...parts.test.lengths!]).toEqual([5, 6, 7, 8, 9]);
    expect(parts.validation.inputs.shape).toEqual([0, 2]);

    expect(chronologicalSplit(['a', 'b', 'c', 'd'], { train: 0.5, validation: 0.25 })).toEqual({
      train: ['a', 'b'],
      validation: ['c'],
      test: ['d'],
    });
  });

  it('repeats `overlap` items at the start of the later parts, so windows can start at the boundary', () => {
    const { train, validation, test } = chronologicalSplit(arange(20), { train: 0.5, validation: 0.25, overlap: 3 });
    expect(train.shape).toEqual([10]);
    expect(validation.toArray()).toEqual([7, 8, 9, 10, 11, 12, 13, 14]);
    expect(test.toArray()).toEqual([12, 13, 14, 15, 16, 17, 18, 19]);
    // The first validation window predicts the first step after the training part.
    expect((slidingWindows(validation, { window: 3 }).targets.toArray() as number[][])[0]).toEqual([10]);
  });

  it('rejects bad fractions', () => {
    expect(() => chronologicalSplit(arange(4), { train: 0 })).toThrow(new ValueError('chronologicalSplit: train must be in (0, 1], got 0'));
    expect(() => chronologicalSplit(arange(4), { train: 0.8, validation: 0.3 })).toThrow(/train \+ validation must be <= 1/);
    expect(() => chronologicalSplit(arange(4), { train: 0.5, overlap: -1 })).toThrow(/overlap must be an integer >= 0/);
  });
});
