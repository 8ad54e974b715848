import { describe, expect, it } from 'vitest';
import { EXP_SCALE, EXP_TABLE_SIZE, MAX_EXP, buildExpTable } from './exp-table.js';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

describe('buildExpTable', () => {
  it("holds word2vec.c's sigmoid samples on [−6, 6)", () => {
    const t = buildExpTable();
    expect(t.length).toBe(EXP_TABLE_SIZE);
    for (let i = 0; i < EXP_TABLE_SIZE; i++) {
      expect(t[i]).toBeCloseTo(Math.fround(sigmoid(((2 * i) / EXP_TABLE_SIZE - 1) * MAX_EXP)), 7);
      if (i > 0) expect(t[i]).toBeGreaterThan(t[i - 1]!);
    }
  });

  it('is read with the C tool\'s integer scale 83, within 0.02 of the true sigmoid', () => {
    // 1000 / 6 / 2 in C integer arithmetic: the lookup of f reads σ(0.996 · (f + 6) − 6), slightly left of f.
    expect(EXP_SCALE).toBe(83);
    const t = buildExpTable();
    for (let f = -5.99; f < 6; f += 0.01) {
      expect(Math.abs(t[Math.trunc((f + MAX_EXP) * EXP_SCALE)]! - sigmoid(f))).toBeLessThan(0.02);
    }
    expect(t[Math.trunc(MAX_EXP * EXP_SCALE)]).toBeCloseTo(sigmoid(-0.024), 6);
  });
});
