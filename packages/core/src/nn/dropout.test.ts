import { beforeAll, describe, expect, it } from 'vitest';
import { ones } from '../creation.js';
import { ValueError } from '../errors.js';
import { Generator } from '../random.js';
import { testBackends, useBackend } from '../testing/index.js';
import { Dropout } from './dropout.js';
import { Linear } from './linear.js';
import { Sequential } from './sequential.js';

describe.each(testBackends())('Dropout (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it('drops and rescales in training mode, is the identity in eval mode', () => {
    const d = new Dropout(0.25, { generator: new Generator(1) });
    expect(d.training).toBe(true);
    const x = ones([4000]);
    const y = d.forward(x);
    const kept = Array.from(y.data).filter((v) => v !== 0);
    expect(kept.every((v) => Math.abs(v - 1 / 0.75) < 1e-6)).toBe(true);
    expect(kept.length / 4000).toBeGreaterThan(0.72);
    expect(kept.length / 4000).toBeLessThan(0.78);
    d.eval();
    expect(d.forward(x)).toBe(x);
    expect(d.numParameters()).toBe(0);
  });

  it('follows train()/eval() of an enclosing model', () => {
    const m = new Sequential(new Linear(10, 10), new Dropout(0.9));
    const x = ones([5, 10]);
    const a = m.forward(x);
    expect(a.data.some((v) => v === 0)).toBe(true);
    m.eval();
    const b = m.forward(x);
    expect(Array.from(b.data)).toEqual(Array.from((m.at(0) as Linear).forward(x).data));
    m.train();
    expect(m.forward(x).data.some((v) => v === 0)).toBe(true);
  });

  it('gives the same masks for the same seed', () => {
    const x = ones([100]);
    const a = new Dropout(0.5, { generator: new Generator(8) }).forward(x);
    const b = new Dropout(0.5, { generator: new Generator(8) }).forward(x);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
  });

  it('rejects p outside [0, 1]', () => {
    expect(() => new Dropout(1.5)).toThrow(ValueError);
    expect(() => new Dropout(-0.1)).toThrow('Dropout: p must be in [0, 1], got -0.1');
  });
});
