import { Generator, ShapeError, ValueError, arange, zeros } from '@elman/core';
import { testBackends, useBackend } from '@elman/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchIterator, datasetSize } from './batch-iterator.js';
import { collate } from './collate.js';

const data = { inputs: arange(10).reshape([5, 2]), targets: arange(5), lengths: [5, 4, 3, 2, 1] };

describe.each(testBackends())('batchIterator (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it('yields batches in order, with the last one smaller unless dropLast', () => {
    const batches = [...batchIterator(data, { batchSize: 2 })];
    expect(batches.map((b) => b.target.toArray())).toEqual([[0, 1], [2, 3], [4]]);
    expect(batches[1]!.input.toArray()).toEqual([[4, 5], [6, 7]]);
    expect([...batches[2]!.lengths!]).toEqual([1]);
    expect([...batchIterator(data, { batchSize: 2, dropLast: true })]).toHaveLength(2);
  });

  it('shuffles with its generator: a permutation, reproducible from the seed, rows kept together', () => {
    const order = (seed: number) =>
      [...batchIterator(data, { batchSize: 2, shuffle: true, generator: new Generator(seed) })].flatMap((b) => {
        (b.input.toArray() as number[][]).forEach((row, i) => {
          expect(row).toEqual([2 * (b.target.data[i] as number), 2 * (b.target.data[i] as number) + 1]);
        });
        b.lengths!.forEach((l, i) => {
          expect(l).toBe(5 - (b.target.data[i] as number));
        });
        return [...b.target.data];
      });
    const a = order(1);
    expect([...a].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(order(1)).toEqual(a);
    expect([order(2), order(3), order(4)].some((o) => o.join() !== a.join())).toBe(true);
  });

  it('rejects inconsistent datasets and options', () => {
    expect(() => datasetSize('op', { inputs: zeros([3, 2]), targets: zeros([2]) })).toThrow(
      new ShapeError('op: inputs have 3 examples ([3, 2]) but targets have 2 ([2])'),
    );
    expect(() => datasetSize('op', { inputs: zeros([3]), targets: zeros([3]), lengths: [1] })).toThrow(/lengths has 1 entries/);
    expect(() => [...batchIterator(data, { batchSize: 0 })]).toThrow(ValueError);
    expect(() => [...batchIterator(data, { batchSize: 2, shuffle: true })]).toThrow(/shuffle needs a generator/);
  });
});

describe.each(testBackends())('collate (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it('stacks examples of one shape and names the odd one out', () => {
    const b = collate('op', [
      { input: arange(3), target: arange(1) },
      { input: arange(3).add(1), target: arange(1) },
    ]);
    expect(b.input.toArray()).toEqual([[0, 1, 2], [1, 2, 3]]);
    expect(() => collate('op', [{ input: arange(3), target: arange(1) }, { input: arange(3), target: arange(2) }])).toThrow(
      /op: example 1 has target float32 \[2\] but example 0 has float32 \[1\]/,
    );
    expect(() => collate('op', [])).toThrow(/empty list/);
  });
});
