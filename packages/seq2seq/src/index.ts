/**
 * @elman/seq2seq: encoder–decoder models with attention. Attention modules (Bahdanau additive, Luong dot / general /
 * concat, scaled dot-product, cosine) returning `{context, weights}` with key-padding masks; an {@link Encoder} over
 * any recurrent layer; an {@link AttentionDecoder} with input feeding; {@link Seq2Seq} with START/END/PAD handling,
 * masked loss, teacher forcing and scheduled sampling, greedy generation with attention matrices; and the metrics
 * token accuracy, exact match and corpus BLEU.
 * @packageDocumentation
 */
export type { KeyPaddingMask } from './mask.js';
export { paddingMask, type PaddingMaskResult } from './mask.js';
export { Attention, type AttentionOptions, type AttentionResult, type AttentionSizeOptions } from './attention/attention.js';
export { BahdanauAttention, type BahdanauAttentionOptions } from './attention/bahdanau-attention.js';
export { LuongAttention, type LuongAttentionOptions, type LuongScore } from './attention/luong-attention.js';
export { ScaledDotProductAttention } from './attention/scaled-dot-product-attention.js';
export { CosineAttention, type CosineAttentionOptions } from './attention/cosine-attention.js';
export { Encoder, type EncoderOptions, type EncoderResult, type EncoderRnn, type EncoderState } from './encoder.js';
export {
  AttentionDecoder,
  type AttentionDecoderOptions,
  type DecoderCell,
  type DecoderState,
  type DecoderStepResult,
} from './attention-decoder.js';
export {
  Seq2Seq,
  inverseSigmoidDecay,
  type Seq2SeqOptions,
  type Seq2SeqOutput,
  type GenerateOptions,
  type Generation,
} from './seq2seq.js';
export { tokenAccuracy, exactMatch, type SequenceMetricOptions } from './metrics/accuracy.js';
export { corpusBleu, type BleuOptions, type BleuResult } from './metrics/bleu.js';
export * from './datasets/index.js';
