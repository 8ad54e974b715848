import { describe, expect, it } from 'vitest';
import { formatProgress } from './progress.js';

describe('formatProgress', () => {
  it('prints one plain line with epoch, percentage, alpha, throughput, elapsed time and ETA', () => {
    const p = { epoch: 2, epochs: 5, progress: 0.413, words: 0, totalWords: 0, alpha: 0.0296312, wordsPerSecond: 412_512, elapsedSeconds: 3.21, etaSeconds: 125.4 };
    expect(formatProgress(p)).toBe('epoch 2/5  41.3%  alpha 0.029631  412.5k words/s  elapsed 3.2s  ETA 2m05s');
    expect(formatProgress({ ...p, progress: 0, etaSeconds: Number.POSITIVE_INFINITY })).toMatch(/ETA \?$/);
  });
});
