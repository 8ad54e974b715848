import { Generator, ShapeError, ValueError, randn, zeros } from '@elman/core';
import { assertGradcheck, testBackends, useBackend } from '@elman/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { LearnedPositionalEncoding } from './learned-positional-encoding.js';
import { SinusoidalPositionalEncoding } from './sinusoidal-positional-encoding.js';

describe.each(testBackends())('positional encodings (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it('sinusoidal: adds sin/cos rows from the offset, has an empty state dict', () => {
    const pe = new SinusoidalPositionalEncoding({ dModel: 4, maxLength: 10 });
    expect(Object.keys(pe.stateDict())).toEqual([]);
    expect(pe.namedBuffers().map(([k]) => k)).toEqual(['pe']);
    const out = pe.forward(zeros([1, 2, 4]), 3).toArray() as number[][][];
    // Position 3, columns: sin(3), cos(3), sin(3/100), cos(3/100).
    const want = [Math.sin(3), Math.cos(3), Math.sin(3 / 100), Math.cos(3 / 100)];
    for (const [c, v] of out[0]![0]!.entries()) expect(v).toBeCloseTo(want[c]!, 6);
    expect(out[0]![1]![0]).toBeCloseTo(Math.sin(4), 6);
    // An odd model size ends with a sine column.
    const odd = new SinusoidalPositionalEncoding({ dModel: 3, maxLength: 2 });
    expect(odd.pe.data[3 + 2]).toBeCloseTo(Math.sin(1 / 10000 ** (2 / 3)), 6);
  });

  it('learned: weight [maxLength, dModel] drawn from N(0, 0.02²); gradients reach only the rows used', () => {
    const pe = new LearnedPositionalEncoding({ dModel: 8, maxLength: 64, generator: new Generator(2) });
    expect(Object.keys(pe.stateDict())).toEqual(['weight']);
    const w = pe.weight.f32;
    const std = Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length);
    expect(std).toBeGreaterThan(0.015);
    expect(std).toBeLessThan(0.025);
    const x = randn([2, 3, 8], { requiresGrad: true });
    pe.forward(x, 5).sum().backward();
    const g = pe.weight.grad!.data;
    for (let r = 0; r < 64; r++) {
      const row = Array.from(g.subarray(r * 8, (r + 1) * 8));
      expect(row.every((v) => v === (r >= 5 && r < 8 ? 2 : 0))).toBe(true);
    }
    expect(x.grad!.data.every((v) => v === 1)).toBe(true);
    const small = new LearnedPositionalEncoding({ dModel: 3, maxLength: 4 });
    assertGradcheck((xx) => small.forward(xx!, 1).tanh(), [randn([2, 2, 3]), small.weight]);
  });

  it('rejects wrong feature sizes, positions past maxLength and bad sizes', () => {
    const pe = new SinusoidalPositionalEncoding({ dModel: 4, maxLength: 5 });
    expect(() => pe.forward(randn([1, 2, 3]))).toThrow(ShapeError);
    expect(() => pe.forward(randn([1, 2, 3]))).toThrow('SinusoidalPositionalEncoding: input must be [B, T, dModel=4], got [1, 2, 3]');
    expect(() => pe.forward(randn([1, 4, 4]), 2)).toThrow('SinusoidalPositionalEncoding: positions 2…5 exceed maxLength 5 (input [1, 4, 4], offset 2)');
    const learned = new LearnedPositionalEncoding({ dModel: 4, maxLength: 3 });
    expect(() => learned.forward(randn([1, 4, 4]))).toThrow(ValueError);
    expect(() => new LearnedPositionalEncoding({ dModel: 0, maxLength: 3 })).toThrow(/dModel must be a positive integer/);
    expect(() => new SinusoidalPositionalEncoding({ dModel: 4, maxLength: 1.5 })).toThrow(/maxLength must be a positive integer/);
  });
});
