import { describe, expect, it } from 'vitest';
import { epochLogger } from './epoch-logger.js';

describe('epochLogger', () => {
  it('prints one line per epoch with the figures, the throughput and the seconds', () => {
    const lines: string[] = [];
    const cb = epochLogger((l) => lines.push(l), 1000, 'LSTM ');
    cb.onEpochBegin();
    cb.onEpochEnd({ epoch: 1, epochs: 5, logs: { loss: 0.123456, val_loss: 0.2, lr: undefined } });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^LSTM epoch 2\/5 {2}loss 0\.1235 {2}val_loss 0\.2 {2}\d+ ex\/s {2}\d+\.\d s$/);
  });
});
