/**
 * @elman/cells: recurrent cells (RNNCell, LSTMCell, GRUCell) and fused single-layer sequence layers (RNN, LSTM, GRU)
 * with PyTorch's semantics, gate orders and state-dict names, plus the gradient-flow diagnostics and the adding
 * problem used to study vanishing gradients.
 * @packageDocumentation
 */
export type { HiddenState, LstmState } from './state.js';
export type { RecurrentSizeOptions, RecurrentWeights } from './weights.js';
export type { Nonlinearity } from './kernels/rnn-sequence.js';
export type { RnnInitialization } from './rnn-options.js';
export { RNNCell, type RNNCellOptions } from './cells/rnn-cell.js';
export { LSTMCell, type LSTMCellOptions } from './cells/lstm-cell.js';
export { GRUCell, type GRUCellOptions } from './cells/gru-cell.js';
export {
  SequenceLayer,
  type SequenceLayerOptions,
  type SequenceForwardOptions,
  type SequenceResult,
} from './layers/sequence-layer.js';
export { RNN, type RNNOptions } from './layers/rnn.js';
export { LSTM, type LSTMOptions } from './layers/lstm.js';
export { GRU, type GRUOptions } from './layers/gru.js';
export { addingProblem, type AddingProblemOptions, type AddingProblemBatch } from './data/adding-problem.js';
