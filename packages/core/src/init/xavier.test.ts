import { beforeAll, describe, expect, it } from 'vitest';
import { zeros } from '../creation.js';
import { ValueError } from '../errors.js';
import { Generator } from '../random.js';
import { testBackends, useBackend } from '../testing/index.js';
import { xavierNormal_, xavierUniform_ } from './xavier.js';

function absMaxAndStd(a: ArrayLike<number>): [number, number] {
  let max = 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    max = Math.max(max, Math.abs(a[i]!));
    s += a[i]! * a[i]!;
  }
  return [max, Math.sqrt(s / a.length)];
}

describe.each(testBackends())('Xavier initializers (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it('xavierUniform_ draws from U(−a, a), a = gain·√(6 / (fanIn + fanOut))', () => {
    const t = xavierUniform_(zeros([300, 100]), { gain: 2, generator: new Generator(1) });
    const a = 2 * Math.sqrt(6 / 400);
    const [max, std] = absMaxAndStd(t.data);
    expect(max).toBeLessThanOrEqual(a);
    expect(max).toBeGreaterThan(0.99 * a);
    expect(std / (a / Math.sqrt(3))).toBeCloseTo(1, 1);
  });

  it('xavierNormal_ draws with std = gain·√(2 / (fanIn + fanOut)), using the receptive field', () => {
    const t = xavierNormal_(zeros([50, 20, 5]), { generator: new Generator(2) });
    const [, std] = absMaxAndStd(t.data);
    expect(std / Math.sqrt(2 / (100 + 250))).toBeCloseTo(1, 1);
  });

  it('is reproducible with a seed and rejects 1-D tensors and bad gains', () => {
    const a = xavierUniform_(zeros([4, 4]), { generator: new Generator(5) });
    const b = xavierUniform_(zeros([4, 4]), { generator: new Generator(5) });
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(() => xavierUniform_(zeros([4]))).toThrow(ValueError);
    expect(() => xavierNormal_(zeros([4, 4]), { gain: Number.NaN })).toThrow('xavierNormal_: gain must be finite');
  });
});
