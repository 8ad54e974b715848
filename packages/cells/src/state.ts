import type { Tensor } from '@elman/core';

/** Recurrent state of an RNN or GRU (cell or layer): the hidden state alone. */
export interface HiddenState {
  /** Hidden state `[B, H]`. */
  h: Tensor;
}

/** Recurrent state of an LSTM (cell or layer): hidden and cell state. */
export interface LstmState extends HiddenState {
  /** Cell state `[B, H]`. */
  c: Tensor;
}
