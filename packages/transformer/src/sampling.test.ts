import { Generator } from '@elman/core';
import { describe, expect, it } from 'vitest';
import { checkSampling, sampleToken } from './sampling.js';

describe('sampleToken', () => {
  const logits = Float32Array.from([0, Math.log(2), Math.log(3), Math.log(4), -1]);
  const V = 5;
  const scratch = new Float32Array(V);

  it('is the argmax at temperature 0 (first of ties)', () => {
    expect(sampleToken(logits, 0, V, { temperature: 0 }, new Generator(0), scratch)).toBe(3);
    expect(sampleToken(Float32Array.from([1, 5, 5]), 0, 3, { temperature: 0 }, new Generator(0), new Float32Array(3))).toBe(1);
  });

  it('samples from softmax(logits / temperature), restricted to the top k, reading at an offset', () => {
    const gen = new Generator(3);
    const counts = (opts: { temperature?: number; topK?: number }, n: number): number[] => {
      const c = new Array(V).fill(0);
      const padded = new Float32Array(V + 7);
      padded.set(logits, 7);
      for (let i = 0; i < n; i++) c[sampleToken(padded, 7, V, opts, gen, scratch)]++;
      return c.map((v) => v / n);
    };
    const e = Math.exp(-1);
    const z = 1 + 2 + 3 + 4 + e;
    const plain = counts({}, 40_000);
    for (const [i, p] of [1 / z, 2 / z, 3 / z, 4 / z, e / z].entries()) expect(Math.abs(plain[i]! - p)).toBeLessThan(0.01);
    // Temperature 0.5 squares the probabilities (before renormalising).
    const sharp = counts({ temperature: 0.5 }, 40_000);
    const z2 = 1 + 4 + 9 + 16 + e * e;
    expect(Math.abs(sharp[3]! - 16 / z2)).toBeLessThan(0.01);
    // Top-2 keeps ids 3 and 2 only, in proportion 4 : 3.
    const top2 = counts({ topK: 2 }, 20_000);
    expect(top2[0]! + top2[1]! + top2[4]!).toBe(0);
    expect(Math.abs(top2[3]! - 4 / 7)).toBeLessThan(0.015);
    expect(counts({ topK: 1, temperature: 3 }, 100)[3]).toBe(1);
  });

  it('validates temperature and topK', () => {
    expect(() => checkSampling('CausalLM.generate', { temperature: -1 }, 5)).toThrow('CausalLM.generate: temperature must be a finite number ≥ 0, got -1');
    expect(() => checkSampling('op', { temperature: Number.NaN }, 5)).toThrow(/temperature/);
    expect(() => checkSampling('op', { topK: 0 }, 5)).toThrow('op: topK must be a positive integer (at most vocabSize 5), got 0');
    expect(() => checkSampling('op', { topK: 2.5 }, 5)).toThrow(/topK/);
    expect(() => checkSampling('op', { temperature: 0.8, topK: 50 }, 5)).not.toThrow();
  });
});
