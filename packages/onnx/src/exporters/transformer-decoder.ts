import type { Module } from '@elman/core';
import type { TransformerDecoder, TransformerDecoderLayer } from '@elman/transformer';
import { OnnxExportError } from '../errors.js';
import type { OnnxExportContext } from '../export-context.js';
import type { OnnxValue } from '../graph-builder.js';
import type { OnnxForwardOptions } from '../registry.js';
import { geluOf } from './activations.js';

/** The one output of a submodule exported through the context. */
function sub(ctx: OnnxExportContext, name: string, m: Module, inputs: OnnxValue[], options?: OnnxForwardOptions): OnnxValue {
  return ctx.exportModule(name, m, inputs, options)[0]!;
}

/** The `[tgt, memory]` inputs of a decoder layer or stack, after checking there are two. */
function tgtAndMemory(ctx: OnnxExportContext, what: string, inputs: readonly OnnxValue[]): [OnnxValue, OnnxValue] {
  if (inputs.length !== 2) throw new OnnxExportError(`exportOnnx: ${what} at '${ctx.path}' takes inputs tgt [B, T, dModel] and memory [B, S, dModel], got ${inputs.length}`);
  return [inputs[0]!, inputs[1]!];
}

/**
 * `TransformerDecoderLayer` → masked self-attention over `tgt`, cross-attention from it over `memory`
 * (`multihead_attn`) and the feed-forward block, each with its residual `Add` and `LayerNormalization`, post-norm or
 * pre-norm as the layer computes them; dropouts are the identity (inference). Inputs `tgt [B, T, dModel]` and
 * `memory [B, S, dModel]`; forward options `tgtMask`, `memoryMask`, `tgtKeyPaddingMask`, `memoryKeyPaddingMask`
 * (graph values), `tgtIsCausal`, `memoryIsCausal`. Output `[B, T, dModel]`.
 */
export function exportTransformerDecoderLayer(
  ctx: OnnxExportContext,
  m: TransformerDecoderLayer,
  inputs: readonly OnnxValue[],
  options: OnnxForwardOptions,
): OnnxValue {
  const [tgt, memory] = tgtAndMemory(ctx, 'TransformerDecoderLayer', inputs);
  const selfOptions = { attnMask: options.tgtMask, keyPaddingMask: options.tgtKeyPaddingMask, isCausal: options.tgtIsCausal, needWeights: false };
  const crossOptions = { attnMask: options.memoryMask, keyPaddingMask: options.memoryKeyPaddingMask, isCausal: options.memoryIsCausal, needWeights: false };
  const selfAttention = (x: OnnxValue): OnnxValue => sub(ctx, 'self_attn', m.self_attn, [x], selfOptions); // [B, T, dModel]
  const crossAttention = (x: OnnxValue): OnnxValue => sub(ctx, 'multihead_attn', m.multihead_attn, [x, memory, memory], crossOptions); // [B, T, dModel]
  const feedForward = (x: OnnxValue): OnnxValue => {
    const h = sub(ctx, 'linear1', m.linear1, [x]); // [B, T, F]
    const a = m.activation === 'gelu' ? geluOf(ctx, h) : ctx.op('Relu', [h], h); // [B, T, F]
    return sub(ctx, 'linear2', m.linear2, [a]); // [B, T, dModel]
  };
  const add = (a: OnnxValue, b: OnnxValue): OnnxValue => ctx.op('Add', [a, b], a); // [B, T, dModel]
  const norm = (name: 'norm1' | 'norm2' | 'norm3', x: OnnxValue): OnnxValue => sub(ctx, name, m[name], [x]);
  let x = tgt;
  if (m.normFirst) {
    x = add(x, selfAttention(norm('norm1', x)));
    x = add(x, crossAttention(norm('norm2', x)));
    return add(x, feedForward(norm('norm3', x)));
  }
  x = norm('norm1', add(x, selfAttention(x)));
  x = norm('norm2', add(x, crossAttention(x)));
  return norm('norm3', add(x, feedForward(x)));
}

/** `TransformerDecoder` → its layers in turn over the same `memory` and options, then the optional final norm. */
export function exportTransformerDecoder(ctx: OnnxExportContext, m: TransformerDecoder, inputs: readonly OnnxValue[], options: OnnxForwardOptions): OnnxValue {
  const [tgt, memory] = tgtAndMemory(ctx, 'TransformerDecoder', inputs);
  let x = tgt; // [B, T, dModel]
  m.layers.forEach((layer, i) => {
    x = sub(ctx, `layers.${i}`, layer, [x, memory], options);
  });
  return m.norm ? sub(ctx, 'norm', m.norm, [x]) : x;
}
