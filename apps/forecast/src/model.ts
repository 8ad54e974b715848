import { Linear, Module, type Tensor, select } from '@elman/core';
import { type RecurrentNetwork, gru, lstm } from '@elman/wrappers';

/** Which recurrence a {@link Forecaster} uses. */
export type ForecasterKind = 'LSTM' | 'GRU';

/**
 * One-step-ahead forecaster: an LSTM or GRU reads a window of scaled values `[B, W, 1]` and a Linear head maps its
 * last hidden state to the next value (`forward(x [B, W, 1]) → [B, 1]`), the seeds' many-to-one regression.
 */
export class Forecaster extends Module {
  /** The recurrence (torch `nn.LSTM/GRU(1, H)` keys). */
  readonly rnn: RecurrentNetwork;
  /** Last hidden state → next value (`head.weight [1, H]`). */
  readonly head: Linear;

  /** Builds the layers with the global generator (seed with `manualSeed`). */
  constructor(kind: ForecasterKind, hiddenSize: number) {
    super();
    const make = kind === 'LSTM' ? lstm : gru;
    this.rnn = this.registerModule('rnn', make({ inputSize: 1, hiddenSize }));
    this.head = this.registerModule('head', new Linear(hiddenSize, 1));
  }

  /** Forecast of the step after each window `x [B, W, 1]`, as `[B, 1]`. */
  forward(x: Tensor): Tensor {
    const { state } = this.rnn.forward(x); // h [1, B, H]
    return this.head.forward(select(state.h, 0, 0)); // [B, 1]
  }
}
