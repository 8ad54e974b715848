/**
 * @elman/transformer: multi-head attention with PyTorch's state dict and masks, sinusoidal and learned positional
 * encodings, transformer encoder/decoder layers and stacks, the encoder–decoder `Transformer`, and a decoder-only
 * causal language model whose `generate()` decodes with a KV cache.
 * @packageDocumentation
 */
export {
  type AttentionMask,
  type BooleanMask,
  generateSquareSubsequentMask,
} from './masks.js';
export {
  scaledDotProductAttention,
  type ScaledDotProductAttentionOptions,
  type AttentionOutput,
} from './scaled-dot-product-attention.js';
export {
  MultiheadAttention,
  type MultiheadAttentionOptions,
  type MultiheadAttentionForwardOptions,
  type MultiheadAttentionOutput,
} from './multihead-attention.js';
export type { TransformerActivation } from './activation.js';
export type { TransformerLayerOptions } from './layer-options.js';
export {
  SinusoidalPositionalEncoding,
  type SinusoidalPositionalEncodingOptions,
} from './sinusoidal-positional-encoding.js';
export {
  LearnedPositionalEncoding,
  type LearnedPositionalEncodingOptions,
} from './learned-positional-encoding.js';
export {
  TransformerEncoderLayer,
  type TransformerEncoderLayerOptions,
  type TransformerEncoderLayerForwardOptions,
} from './transformer-encoder-layer.js';
export {
  TransformerDecoderLayer,
  type TransformerDecoderLayerOptions,
  type TransformerDecoderLayerForwardOptions,
} from './transformer-decoder-layer.js';
export {
  TransformerEncoder,
  type TransformerEncoderOptions,
  type TransformerEncoderForwardOptions,
} from './transformer-encoder.js';
export { TransformerDecoder, type TransformerDecoderOptions } from './transformer-decoder.js';
export { Transformer, type TransformerOptions, type TransformerForwardOptions } from './transformer.js';
export { KVCache, type KVCacheOptions } from './kv-cache.js';
export type { SamplingOptions } from './sampling.js';
export {
  CausalLM,
  type CausalLMOptions,
  type CausalLMForwardOptions,
  type GenerateOptions,
  type Prompt,
} from './causal-lm.js';
