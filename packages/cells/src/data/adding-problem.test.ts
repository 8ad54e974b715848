import { Generator, ValueError } from '@elman/core';
import { describe, expect, it } from 'vitest';
import { addingProblem } from './adding-problem.js';

describe('addingProblem', () => {
  it('marks one value in each half and targets their sum', () => {
    const B = 50;
    const T = 9;
    const { inputs, targets } = addingProblem({ batchSize: B, length: T, generator: new Generator(1) });
    expect(inputs.shape).toEqual([B, T, 2]);
    expect(targets.shape).toEqual([B, 1]);
    const x = inputs.data;
    for (let b = 0; b < B; b++) {
      const marked: number[] = [];
      for (let t = 0; t < T; t++) {
        const v = x[(b * T + t) * 2]!;
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThan(1);
        const m = x[(b * T + t) * 2 + 1]!;
        expect([0, 1]).toContain(m);
        if (m === 1) marked.push(t);
      }
      expect(marked.length).toBe(2);
      expect(marked[0]).toBeLessThan(Math.floor(T / 2));
      expect(marked[1]).toBeGreaterThanOrEqual(Math.floor(T / 2));
      expect(targets.data[b]).toBe(Math.fround(x[marked[0]! * 2 + b * T * 2]! + x[marked[1]! * 2 + b * T * 2]!));
    }
  });

  it('has the 1/6 baseline: always predicting 1 gives MSE ≈ 0.167', () => {
    const { targets } = addingProblem({ batchSize: 20_000, length: 4, generator: new Generator(2) });
    let mse = 0;
    for (const y of targets.data) mse += (y - 1) ** 2;
    expect(mse / targets.size).toBeCloseTo(1 / 6, 2);
  });

  it('is reproducible from a generator and checks its options', () => {
    const a = addingProblem({ batchSize: 3, length: 5, generator: new Generator(3) });
    const b = addingProblem({ batchSize: 3, length: 5, generator: new Generator(3) });
    expect([...a.inputs.data]).toEqual([...b.inputs.data]);
    expect(() => addingProblem({ batchSize: 0, length: 5 })).toThrow(ValueError);
    expect(() => addingProblem({ batchSize: 2, length: 1 })).toThrow('addingProblem: length must be an integer >= 2, got 1');
  });
});
