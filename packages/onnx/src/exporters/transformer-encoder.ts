import type { TransformerEncoder, TransformerEncoderLayer } from '@elman/transformer';
import type { OnnxExportContext } from '../export-context.js';
import type { OnnxValue } from '../graph-builder.js';
import type { OnnxForwardOptions } from '../registry.js';
import { geluOf } from './activations.js';

/** The one output of a submodule exported through the context. */
function sub(ctx: OnnxExportContext, name: string, m: Parameters<OnnxExportContext['exportModule']>[1], x: OnnxValue, options?: OnnxForwardOptions): OnnxValue {
  return ctx.exportModule(name, m, [x], options)[0]!;
}

/**
 * `TransformerEncoderLayer` → its self-attention ({@link exportMultiheadAttention}'s primitive ops), feed-forward
 * `linear2(act(linear1(x)))` with ReLU or exact GELU, residual `Add`s and `LayerNormalization`s, post-norm
 * (`norm1(x + sa(x))`, the paper's) or pre-norm (`x + sa(norm1(x))`); dropouts are the identity (inference).
 * Input `src [B, T, dModel]`; forward options `srcMask`, `srcKeyPaddingMask` (graph values) and `isCausal` as
 * `forward` takes them. Output `[B, T, dModel]`.
 */
export function exportTransformerEncoderLayer(
  ctx: OnnxExportContext,
  m: TransformerEncoderLayer,
  inputs: readonly OnnxValue[],
  options: OnnxForwardOptions,
): OnnxValue {
  const src = ctx.single(m, inputs); // [B, T, dModel]
  const attention = { attnMask: options.srcMask, keyPaddingMask: options.srcKeyPaddingMask, isCausal: options.isCausal, needWeights: false };
  const selfAttention = (x: OnnxValue): OnnxValue => sub(ctx, 'self_attn', m.self_attn, x, attention); // [B, T, dModel]
  const feedForward = (x: OnnxValue): OnnxValue => {
    const h = sub(ctx, 'linear1', m.linear1, x); // [B, T, F]
    const a = m.activation === 'gelu' ? geluOf(ctx, h) : ctx.op('Relu', [h], h); // [B, T, F]
    return sub(ctx, 'linear2', m.linear2, a); // [B, T, dModel]
  };
  const add = (a: OnnxValue, b: OnnxValue): OnnxValue => ctx.op('Add', [a, b], a); // [B, T, dModel]
  if (m.normFirst) {
    const x = add(src, selfAttention(sub(ctx, 'norm1', m.norm1, src)));
    return add(x, feedForward(sub(ctx, 'norm2', m.norm2, x)));
  }
  const x = sub(ctx, 'norm1', m.norm1, add(src, selfAttention(src)));
  return sub(ctx, 'norm2', m.norm2, add(x, feedForward(x)));
}

/**
 * `TransformerEncoder` → its layers in turn (`layers.{i}.…` initializers) and the optional final norm. Forward
 * options `mask`, `srcKeyPaddingMask` (graph values) and `isCausal` reach every layer, as in `forward`.
 */
export function exportTransformerEncoder(
  ctx: OnnxExportContext,
  m: TransformerEncoder,
  inputs: readonly OnnxValue[],
  options: OnnxForwardOptions,
): OnnxValue {
  let x = ctx.single(m, inputs); // [B, T, dModel]
  const layerOptions = { srcMask: options.mask, srcKeyPaddingMask: options.srcKeyPaddingMask, isCausal: options.isCausal };
  m.layers.forEach((layer, i) => {
    x = sub(ctx, `layers.${i}`, layer, x, layerOptions);
  });
  return m.norm ? sub(ctx, 'norm', m.norm, x) : x;
}
