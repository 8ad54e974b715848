/**
 * @elman/core: tensors, tape autograd, pluggable backends (js, wasm), nn modules, optimizers, losses, init,
 * seeded RNG and safetensors I/O.
 * @packageDocumentation
 */
export { Tensor, type DType, type DataFor, type NestedArray, type TensorLike } from './tensor.js';
export * from './creation.js';
export * from './ops/index.js';
export * from './errors.js';
export { noGrad, enableGrad, isGradEnabled } from './autograd/grad-mode.js';
export { record, recordMulti, needsGrad } from './autograd/record.js';
export { backwardRetainsGraph } from './autograd/backward.js';
export type { Grads } from './autograd/node.js';
export { Generator, defaultGenerator, manualSeed } from './random.js';
export { broadcastShapes, sizeOf, stridesOf } from './shape.js';
export type { Backend, UnaryOp, BinaryOp, ReduceOp, AnyArray, GemmActivation, AdamUpdateArgs } from './backends/backend.js';
export type { LinearActivation, LinearFunctionOptions } from './ops/nn/linear.js';
export {
  attentionShapes,
  fusedAttention,
  type AttentionShapes,
  type FusedAttentionOptions,
  type FusedAttentionOutput,
} from './ops/nn/attention.js';
export type {
  RecurrentCell,
  SequenceGeometry,
  RecurrentWeightData,
  RecurrentSequenceArgs,
  RecurrentForwardArgs,
  RecurrentBackwardArgs,
  RecurrentSaved,
  RecurrentGrads,
} from './backends/recurrent.js';
export { gateCount } from './backends/recurrent.js';
export {
  registerBackend,
  setBackend,
  setBackendSync,
  getBackend,
  listBackends,
  ready,
  type BackendFactory,
} from './backends/registry.js';
export { createJsBackend, setJsThreads, type JsBackend, type JsBackendOptions } from './backends/js/index.js';
export {
  createWasmBackend,
  detectWasmVariant,
  setWasmThreads,
  type WasmBackend,
  type WasmBackendOptions,
  type WasmVariant,
} from './backends/wasm/index.js';
export { mseLoss } from './losses/mse-loss.js';
export { crossEntropy, type CrossEntropyOptions } from './losses/cross-entropy.js';
export { nllLoss, type ClassLossOptions } from './losses/nll-loss.js';
export { bceWithLogits, type BceOptions } from './losses/bce-with-logits.js';
export type { Reduction, LossOptions } from './losses/reduction.js';
// io
export { saveSafetensors, loadSafetensors, type SafetensorsContents } from './io/index.js';
// nn
export * from './nn/index.js';
// init
export * from './init/index.js';
// optim
export * from './optim/index.js';
