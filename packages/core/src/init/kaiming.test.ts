import { beforeAll, describe, expect, it } from 'vitest';
import { zeros } from '../creation.js';
import { ValueError } from '../errors.js';
import { Generator } from '../random.js';
import { testBackends, useBackend } from '../testing/index.js';
import { kaimingNormal_, kaimingUniform_ } from './kaiming.js';

function absMaxAndStd(a: ArrayLike<number>): [number, number] {
  let max = 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    max = Math.max(max, Math.abs(a[i]!));
    s += a[i]! * a[i]!;
  }
  return [max, Math.sqrt(s / a.length)];
}

describe.each(testBackends())('Kaiming initializers (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it('kaimingUniform_ defaults to ReLU gain over fanIn: U(−√(6/fanIn), √(6/fanIn))', () => {
    const t = kaimingUniform_(zeros([256, 128]), { generator: new Generator(1) });
    const b = Math.sqrt(6 / 128);
    const [max, std] = absMaxAndStd(t.data);
    expect(max).toBeLessThanOrEqual(b);
    expect(max).toBeGreaterThan(0.99 * b);
    expect(std / (b / Math.sqrt(3))).toBeCloseTo(1, 1);
  });

  it('kaimingUniform_ with a = √5 is PyTorch’s Linear init U(−1/√in, 1/√in)', () => {
    const t = kaimingUniform_(zeros([64, 100]), { a: Math.sqrt(5), generator: new Generator(2) });
    const [max] = absMaxAndStd(t.data);
    expect(max).toBeLessThanOrEqual(0.1);
    expect(max).toBeGreaterThan(0.099);
  });

  it('kaimingNormal_ uses gain / √fan with the chosen mode and nonlinearity', () => {
    const fanOut = kaimingNormal_(zeros([100, 400]), { mode: 'fanOut', generator: new Generator(3) });
    expect(absMaxAndStd(fanOut.data)[1] / Math.sqrt(2 / 100)).toBeCloseTo(1, 1);
    const tanh = kaimingNormal_(zeros([100, 400]), { nonlinearity: 'tanh', generator: new Generator(4) });
    expect(absMaxAndStd(tanh.data)[1] / (5 / 3 / Math.sqrt(400))).toBeCloseTo(1, 1);
    const leaky = kaimingNormal_(zeros([100, 400]), { a: 0.5, generator: new Generator(5) });
    expect(absMaxAndStd(leaky.data)[1] / Math.sqrt(2 / 1.25 / 400)).toBeCloseTo(1, 1);
  });

  it('rejects a bad mode and 1-D tensors', () => {
    expect(() => kaimingUniform_(zeros([3, 3]), { mode: 'fan_in' as 'fanIn' })).toThrow(
      "kaimingUniform_: mode must be 'fanIn' or 'fanOut', got 'fan_in'",
    );
    expect(() => kaimingNormal_(zeros([3]))).toThrow(ValueError);
  });
});
