/**
 * @elman/wrappers: Bidirectional and Stacked (deep) recurrent layers, and the factories `lstm()`, `gru()`, `rnn()`
 * equivalent to `torch.nn.LSTM/GRU/RNN` (same state-dict keys, outputs and `h_n`/`c_n` layout), and
 * converters between PyTorch's weight layout and Keras/tfjs' and ONNX's.
 * @packageDocumentation
 */
export type { MergeMode } from './merge.js';
export {
  Bidirectional,
  type BidirectionalOptions,
  type BidirectionalState,
  type BidirectionalForwardOptions,
  type BidirectionalResult,
} from './bidirectional.js';
export {
  Stacked,
  type StackableLayer,
  type LayerState,
  type StackedOptions,
  type StackedForwardOptions,
  type StackedResult,
} from './stacked.js';
export {
  RecurrentNetwork,
  type RecurrentMode,
  type RecurrentNetworkOptions,
  type RNNNetworkOptions,
  type NetworkState,
  type NetworkForwardOptions,
  type NetworkResult,
} from './recurrent-network.js';
export { lstm, gru, rnn } from './factories.js';
export { toKeras, fromKeras, type KerasWeights } from './layouts/keras-layout.js';
export { toOnnx, fromOnnx, type OnnxWeights } from './layouts/onnx-layout.js';
export type { Tree, TreeSchedule, LevelPlan, ChildGroup, ScheduleOptions } from './tree/tree.js';
export { scheduleTrees } from './tree/tree.js';
export type { TreeResult, TreeLstmResult, TreeNetOptions } from './tree/tree-result.js';
export { segmentSum } from './tree/segment-sum.js';
export { TreeRNN, type TreeRNNOptions } from './tree/tree-rnn.js';
export { ChildSumTreeLSTM } from './tree/child-sum-tree-lstm.js';
export { NaryTreeLSTM, type NaryTreeLSTMOptions } from './tree/nary-tree-lstm.js';
export {
  generateListOps,
  evaluateListOps,
  formatListOps,
  parseListOps,
  LISTOPS_OPERATORS,
  LISTOPS_SYMBOLS,
  type ListOpsOperator,
  type ListOpsExpr,
  type ListOpsNode,
  type ListOpsExample,
  type ListOpsOptions,
} from './tree/listops.js';
export { listOpsTree } from './tree/listops-tree.js';
