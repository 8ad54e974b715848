import { describe, expect, it } from 'vitest';
import { lossStats } from './loss-stats.js';

describe('loss statistics', () => {
  it('averages the first and last k steps and tracks the best', () => {
    const losses = Array.from({ length: 30 }, (_, i) => 30 - i); // 30, 29, …, 1
    expect(lossStats(losses, 10)).toEqual({ steps: 30, latest: 1, initial: 25.5, recent: 5.5, best: 1 });
  });

  it('uses shorter windows early in a run and returns null before the first step', () => {
    expect(lossStats([4, 2], 10)).toEqual({ steps: 2, latest: 2, initial: 3, recent: 3, best: 2 });
    expect(lossStats([])).toBeNull();
  });
});
