import { beforeAll, describe, expect, it } from 'vitest';
import { tensor, zeros } from '../creation.js';
import { DTypeError, ShapeError, ValueError } from '../errors.js';
import { Generator, manualSeed } from '../random.js';
import { testBackends, useBackend } from '../testing/index.js';
import { constant_, eye_, ones_, zeros_ } from './constant.js';
import { normal_, uniform_ } from './fill.js';
import { rnnDefault_ } from './rnn-default.js';

function moments(a: ArrayLike<number>): { mean: number; std: number; min: number; max: number } {
  let mean = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < a.length; i++) {
    mean += a[i]!;
    min = Math.min(min, a[i]!);
    max = Math.max(max, a[i]!);
  }
  mean /= a.length;
  let v = 0;
  for (let i = 0; i < a.length; i++) v += (a[i]! - mean) ** 2;
  return { mean, std: Math.sqrt(v / a.length), min, max };
}

describe.each(testBackends())('basic initializers (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it('uniform_ fills U(low, high) in place and returns the tensor', () => {
    const t = zeros([100, 100]);
    expect(uniform_(t, -2, 3, { generator: new Generator(1) })).toBe(t);
    const m = moments(t.data);
    expect(m.min).toBeGreaterThanOrEqual(-2);
    expect(m.max).toBeLessThanOrEqual(3);
    expect(m.mean).toBeCloseTo(0.5, 1);
    expect(m.std).toBeCloseTo(5 / Math.sqrt(12), 1);
  });

  it('normal_ fills N(mean, std²)', () => {
    const t = normal_(zeros([20000]), 1.5, 0.5, { generator: new Generator(2) });
    const m = moments(t.data);
    expect(m.mean).toBeCloseTo(1.5, 2);
    expect(m.std).toBeCloseTo(0.5, 2);
  });

  it('uses the global generator: same seed → same values', () => {
    manualSeed(42);
    const a = uniform_(zeros([10]));
    manualSeed(42);
    const b = uniform_(zeros([10]));
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(Array.from(uniform_(zeros([10])).data)).not.toEqual(Array.from(a.data));
  });

  it('constant_, zeros_, ones_ overwrite every element', () => {
    const t = uniform_(zeros([2, 3]));
    expect(Array.from(constant_(t, 0.25).data)).toEqual(new Array(6).fill(0.25));
    expect(Array.from(ones_(t).data)).toEqual(new Array(6).fill(1));
    expect(Array.from(zeros_(t).data)).toEqual(new Array(6).fill(0));
  });

  it('eye_ writes (a multiple of) the identity, also for non-square matrices', () => {
    expect(eye_(uniform_(zeros([2, 3]))).toArray()).toEqual([[1, 0, 0], [0, 1, 0]]);
    expect(eye_(zeros([3, 2]), 0.5).toArray()).toEqual([[0.5, 0], [0, 0.5], [0, 0]]);
    expect(() => eye_(zeros([2, 2, 2]))).toThrow(ShapeError);
  });

  it('rnnDefault_ is U(−1/√H, 1/√H)', () => {
    const t = rnnDefault_(zeros([4 * 64, 64]), 64, { generator: new Generator(3) });
    const m = moments(t.data);
    expect(m.min).toBeGreaterThanOrEqual(-1 / 8);
    expect(m.max).toBeLessThanOrEqual(1 / 8);
    expect(m.max).toBeGreaterThan(0.99 / 8);
    expect(m.std).toBeCloseTo(1 / 8 / Math.sqrt(3), 2);
    expect(() => rnnDefault_(zeros([2]), 0)).toThrow(ValueError);
  });

  it('rejects int32 tensors and bad ranges', () => {
    expect(() => uniform_(tensor([1], undefined, { dtype: 'int32' }))).toThrow(DTypeError);
    expect(() => uniform_(zeros([2]), 1, 0)).toThrow('uniform_: need finite low <= high, got low 1, high 0');
    expect(() => normal_(zeros([2]), 0, -1)).toThrow(ValueError);
    expect(() => constant_(zeros([2]), Number.NaN)).toThrow(ValueError);
  });
});
