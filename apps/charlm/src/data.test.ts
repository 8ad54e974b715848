import { ValueError } from '@elman/core';
import { describe, expect, it } from 'vitest';
import { charCorpus, decode, mobyDickText, unigramBpc, windows } from './data.js';

describe('charlm data', () => {
  it('maps the text to ids over its sorted alphabet and splits off the tail', () => {
    const c = charCorpus('abcabcabcabcabcabcabcz', 0.1);
    expect(c.chars).toEqual(['a', 'b', 'c', 'z']);
    expect(Array.from(c.train.subarray(0, 4))).toEqual([0, 1, 2, 0]);
    expect(c.train.length + c.heldOut.length).toBe(22);
    expect(decode(c.heldOut, c.chars)).toBe('bcz');
  });

  it('scores the unigram baseline by hand: uniform training counts give log2(V) bits', () => {
    // Counts 2, 2 (+1 smoothing each) over 4 + 2: every character costs log2(6 / 3) = 1 bit.
    expect(unigramBpc(Int32Array.of(0, 1, 0, 1), Int32Array.of(1, 0, 1), 2)).toBeCloseTo(1, 12);
    // Counts 3, 1 → p = 4/6 and 2/6.
    expect(unigramBpc(Int32Array.of(0, 0, 0, 1), Int32Array.of(1), 2)).toBeCloseTo(Math.log2(3), 12);
  });

  it('cuts windows whose targets are the inputs shifted by one', () => {
    const d = windows(Int32Array.of(0, 1, 2, 3, 4, 5, 6), 3);
    expect(d.inputs.toArray()).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(d.targets.toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(() => windows(Int32Array.of(1, 2), 3)).toThrow(ValueError);
  });

  it('reads the real novel: about 1.2 M characters, unigram baseline near 4.4 bits', () => {
    const c = charCorpus(mobyDickText());
    expect(c.train.length + c.heldOut.length).toBeGreaterThan(1_100_000);
    const u = unigramBpc(c.train, c.heldOut, c.chars.length);
    expect(u).toBeGreaterThan(4.2);
    expect(u).toBeLessThan(4.6);
  });
});
