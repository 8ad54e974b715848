import { Tensor } from '@elman/core';
import { CharTable } from '@elman/seq2seq';
import { describe, expect, it } from 'vitest';
import { loadTask, packPairs, trainingBatches, unpackPairs } from './data.js';
import { sharpestHead } from './models.js';

describe('translate data', () => {
  it('packs source and target into one [B, 2, L] input and unpacks them trimmed', () => {
    const src = new Tensor(Int32Array.from([5, 6, 7, 0, 8, 0, 0, 0]), [2, 4]);
    const tgt = new Tensor(Int32Array.from([4, 2, 5, 2]), [2, 2]);
    const packed = packPairs(src, tgt);
    expect(packed.shape).toEqual([2, 2, 4]);
    const { src: s, tgt: t } = unpackPairs(packed);
    expect(s.shape).toEqual([2, 3]);
    expect(Array.from(s.data)).toEqual([5, 6, 7, 8, 0, 0]);
    expect(Array.from(t.data)).toEqual([4, 2, 5, 2]);
  });

  it('builds the dates task with year spans and vocabularies of its symbols', () => {
    const data = loadTask('dates', { train: 300, test: 50, seed: 3 });
    expect(data.train).toHaveLength(300);
    expect(data.tgt.size).toBe(4 + 11); // specials, ten digits and '-'
    const p = data.test[0]!;
    expect(p.source.slice(...p.yearSpan!)).toMatch(/^\d{2}(\d{2})?$/);
    expect(p.references[0]!.join('')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('serves each training pair once per epoch in full batches of similar source lengths', () => {
    const data = loadTask('dates', { train: 320, test: 10, seed: 3 });
    const ds = trainingBatches(data, 32, 1);
    expect(ds.numBatches).toBe(10);
    const seen = new Map<string, number>();
    for (const batch of ds.batches(0) as Iterable<{ input: Tensor; target: Tensor }>) {
      expect(batch.input.shape[0]).toBe(32);
      const { src } = unpackPairs(batch.input);
      const S = src.shape[1]!;
      for (let b = 0; b < 32; b++) {
        const text = data.src.decode(Array.from(src.data.subarray(b * S, (b + 1) * S))).join('');
        seen.set(text, (seen.get(text) ?? 0) + 1);
      }
      // Sorted windows: the batch's shortest source is within a few characters of its longest.
      const lengths = Array.from({ length: 32 }, (_, b) => src.data.subarray(b * S, (b + 1) * S).filter((v) => v !== CharTable.PAD).length);
      expect(Math.max(...lengths) - Math.min(...lengths)).toBeLessThan(10);
    }
    expect([...seen.values()].reduce((a, b) => a + b)).toBe(320);
    expect(seen.size).toBe(new Set(data.train.map((p) => p.source)).size);
  });

  it('picks the sharpest attention head to plot', () => {
    expect(sharpestHead([[[0.5, 0.5]], [[0.9, 0.1]], [[0.6, 0.4]]])).toBe(1);
  });
});
