import { ValueError, tensor, zeros } from '@elman/core';
import { testBackends, useBackend } from '@elman/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { bucketByLength } from './bucket-by-length.js';
import type { Batch, Example } from './dataset.js';

/** 20 sequences of lengths 1..20 (value = length, so batches can be traced), label = length mod 3. */
const examples: Example[] = [...Array(20).keys()].map((i) => ({
  input: zeros([i + 1, 2]).add(i + 1), // [t, 2]
  target: tensor([(i + 1) % 3], undefined, { dtype: 'int32' }),
}));

function lengthsOf(batches: Iterable<Batch>): number[][] {
  return [...batches].map((b) => [...b.lengths!]);
}

describe.each(testBackends())('bucketByLength (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it('batches sequences of similar length, each padded to its own longest', () => {
    const data = bucketByLength(examples, { batchSize: 4, seed: 3 });
    expect(data.numBatches).toBe(5);
    const batches = [...(data.batches(0) as Iterable<Batch>)];
    const seen = batches.flatMap((b) => [...b.lengths!]).sort((a, b) => a - b);
    expect(seen).toEqual([...Array(20).keys()].map((i) => i + 1));
    for (const b of batches) {
      const ls = [...b.lengths!];
      expect(Math.max(...ls) - Math.min(...ls)).toBe(3); // 4 consecutive lengths
      expect(b.input.shape).toEqual([4, Math.max(...ls), 2]);
      expect(b.target.shape).toEqual([4, 1]);
      // Each row holds its own length value, then zero padding.
      b.lengths!.forEach((len, r) => {
        expect(b.input.select(0, r).select(0, len - 1).toArray()).toEqual([len, len]);
        if (len < b.input.shape[1]!) expect(b.input.select(0, r).select(0, len).toArray()).toEqual([0, 0]);
        expect(b.target.select(0, r).item()).toBe(len % 3);
      });
    }
  });

  it('reshuffles per epoch reproducibly, or keeps sorted order without shuffle', () => {
    const data = bucketByLength(examples, { batchSize: 4, seed: 3 });
    const e0 = lengthsOf(data.batches(0) as Iterable<Batch>);
    expect(lengthsOf(data.batches(0) as Iterable<Batch>)).toEqual(e0);
    expect(lengthsOf(data.batches(1) as Iterable<Batch>)).not.toEqual(e0);
    const sorted = bucketByLength(examples, { batchSize: 8, shuffle: false });
    expect(lengthsOf(sorted.batches(0) as Iterable<Batch>)).toEqual([
      [1, 2, 3, 4, 5, 6, 7, 8],
      [9, 10, 11, 12, 13, 14, 15, 16],
      [17, 18, 19, 20],
    ]);
  });

  it('pads per-step targets when asked', () => {
    const perStep = examples.map((e) => ({ input: e.input, target: zeros([e.input.shape[0]!], { dtype: 'int32' }).add(1) }));
    const [b] = bucketByLength(perStep.slice(0, 2), { batchSize: 2, targets: 'pad', targetPadValue: -100, shuffle: false }).batches(0) as Iterable<Batch>;
    expect(b!.target.toArray()).toEqual([[1, -100], [1, 1]]);
  });

  it('rejects empty input and bad options', () => {
    expect(() => bucketByLength([], { batchSize: 2 })).toThrow(new ValueError('bucketByLength: needs at least one example'));
    expect(() => bucketByLength(examples, { batchSize: 0 })).toThrow(/batchSize must be an integer >= 1/);
    expect(() => bucketByLength(examples, { batchSize: 2, targets: 'x' as never })).toThrow(/targets must be 'stack' or 'pad'/);
  });
});
