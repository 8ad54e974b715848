import { describe, expect, it } from 'vitest';
import { ValueError } from './errors.js';
import { Generator, defaultGenerator, manualSeed } from './random.js';

function draw(g: Generator, n: number, f: (g: Generator) => number): number[] {
  return Array.from({ length: n }, () => f(g));
}

describe('Generator', () => {
  it('gives the same stream for the same seed and different streams for nearby seeds', () => {
    expect(draw(new Generator(42), 100, (g) => g.nextUint32())).toEqual(draw(new Generator(42), 100, (g) => g.nextUint32()));
    const a = draw(new Generator(1), 100, (g) => g.nextUint32());
    const b = draw(new Generator(2), 100, (g) => g.nextUint32());
    expect(a.filter((v, i) => v === b[i]).length).toBe(0);
    // Large seeds use the high word too, and negative seeds are two's complement (−1 is not 2^32 − 1).
    expect(new Generator(2 ** 32 + 5).nextUint32()).not.toBe(new Generator(5).nextUint32());
    expect(new Generator(-1).nextUint32()).not.toBe(new Generator(2 ** 32 - 1).nextUint32());
    const g = new Generator(7);
    const first = draw(g, 10, (x) => x.normal());
    g.manualSeed(7);
    expect(draw(g, 10, (x) => x.normal())).toEqual(first);
  });

  it('matches the reference xoshiro128** stream for a known state', () => {
    // Test vector of Blackman & Vigna's xoshiro128starstar.c v1.1 from state {1, 2, 3, 4} (as in Rust's rand_xoshiro).
    const g = new Generator(0).setState([1, 2, 3, 4, Number.NaN]);
    expect(draw(g, 10, (x) => x.nextUint32())).toEqual([
      11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597, 4258142804,
    ]);
  });

  it('resumes exactly from getState/setState, including a cached normal, and through JSON', () => {
    const g = new Generator(123);
    draw(g, 7, (x) => x.normal()); // odd count: a spare normal is cached
    const state = g.getState();
    const want = [...draw(g, 5, (x) => x.normal()), ...draw(g, 5, (x) => x.uniform())];
    const h = new Generator(0).setState(state);
    expect([...draw(h, 5, (x) => x.normal()), ...draw(h, 5, (x) => x.uniform())]).toEqual(want);
    // A checkpoint stores the state as JSON, where NaN (no cached normal) becomes null.
    const k = new Generator(5);
    const saved = JSON.parse(JSON.stringify(k.getState())) as number[];
    const next = draw(k, 3, (x) => x.normal());
    expect(draw(new Generator(0).setState(saved), 3, (x) => x.normal())).toEqual(next);
  });

  it('rejects a malformed state and a non-finite seed', () => {
    expect(() => new Generator(0).setState([1, 2, 3])).toThrow(ValueError);
    expect(() => new Generator(0).setState([1, 2, 3])).toThrow('Generator.setState: expected 5 numbers, got 3');
    expect(() => new Generator(0).setState([0, 0, 0, 0, Number.NaN])).toThrow('Generator.setState: the four state words cannot all be zero');
    expect(() => new Generator(Number.NaN)).toThrow('manualSeed: seed must be a finite number, got NaN');
  });

  it('draws uniforms in [0, 1) with mean 1/2 and variance 1/12', () => {
    const g = new Generator(9);
    const n = 100_000;
    let s = 0;
    let s2 = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const u = g.uniform();
      s += u;
      s2 += u * u;
      if (u < min) min = u;
      if (u > max) max = u;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    // Standard error of the mean is 0.29/√1e5 ≈ 9e-4; 5e-3 is over 5σ.
    expect(Math.abs(s / n - 0.5)).toBeLessThan(5e-3);
    expect(Math.abs(s2 / n - (s / n) ** 2 - 1 / 12)).toBeLessThan(2e-3);
    const f = g.fillUniform(new Float32Array(1000), -3, -2);
    expect(f.every((v) => v >= -3 && v < -2)).toBe(true);
  });

  it('draws normals with mean 0 and std 1 over 1e5 samples', () => {
    const g = new Generator(10);
    const x = g.fillNormal(new Float32Array(100_000));
    let s = 0;
    let s2 = 0;
    let tail = 0;
    for (const v of x) {
      s += v;
      s2 += v * v;
      if (Math.abs(v) > 1.96) tail++;
    }
    const mean = s / x.length;
    const std = Math.sqrt(s2 / x.length - mean * mean);
    expect(Math.abs(mean)).toBeLessThan(0.015);
    expect(Math.abs(std - 1)).toBeLessThan(0.015);
    expect(Math.abs(tail / x.length - 0.05)).toBeLessThan(0.004);
    const shifted = new Generator(11).fillNormal(new Float32Array(100_000), 5, 0.5);
    const m = shifted.reduce((a, b) => a + b, 0) / shifted.length;
    expect(Math.abs(m - 5)).toBeLessThan(0.01);
  });

  it('draws integers in [0, n) covering every value evenly', () => {
    const g = new Generator(12);
    const counts = new Array<number>(7).fill(0);
    for (let i = 0; i < 70_000; i++) counts[g.randint(7)]!++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
  });

  it('manualSeed seeds the default generator', () => {
    manualSeed(99);
    const a = draw(defaultGenerator, 5, (g) => g.uniform());
    manualSeed(99);
    expect(draw(defaultGenerator, 5, (g) => g.uniform())).toEqual(a);
  });
});
