/** Neural-network modules with PyTorch's semantics and state-dict names. */
export { Parameter } from './parameter.js';
export { Module, type LoadStateDictOptions, type LoadStateDictResult, type BufferOptions } from './module.js';
export type { BindOptions } from './slab.js';
export { Linear, type LinearOptions } from './linear.js';
export { Embedding, type EmbeddingOptions, type FromPretrainedOptions } from './embedding.js';
export { Dropout, type DropoutModuleOptions } from './dropout.js';
export { LayerNorm, type LayerNormOptions } from './layer-norm.js';
export { Sequential, type UnaryModule, type OutputModule, type SequentialMember } from './sequential.js';
export { Tanh, ReLU, Sigmoid, GELU } from './activations.js';
