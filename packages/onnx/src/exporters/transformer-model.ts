import type { CausalLM, Transformer } from '@elman/transformer';
import { OnnxExportError } from '../errors.js';
import type { OnnxExportContext } from '../export-context.js';
import type { OnnxValue } from '../graph-builder.js';
import type { OnnxForwardOptions } from '../registry.js';


/**
 * The encoder–decoder `Transformer` → its encoder over `src`, then its decoder over `tgt` and the encoder's output
 * (initializers `encoder.layers.0.…`, `decoder.layers.0.…`). Inputs `src [B, S, dModel]` and `tgt [B, T, dModel]`
 * (already embedded, as `forward` takes them); the forward options (`srcMask`, `tgtKeyPaddingMask`, `tgtIsCausal`,
 * …) reach the encoder and decoder as in `forward`. Output `[B, T, dModel]`.
 */
export function exportTransformer(ctx: OnnxExportContext, m: Transformer, inputs: readonly OnnxValue[], options: OnnxForwardOptions): OnnxValue {
  if (inputs.length !== 2) throw new OnnxExportError(`exportOnnx: Transformer at '${ctx.path}' takes inputs src [B, S, dModel] and tgt [B, T, dModel], got ${inputs.length}`);
  const [src, tgt] = inputs as [OnnxValue, OnnxValue];
  const [memory] = ctx.exportModule('encoder', m.encoder, [src], {
    mask: options.srcMask,
    srcKeyPaddingMask: options.srcKeyPaddingMask,
    isCausal: options.srcIsCausal,
  }); // [B, S, dModel]
  return ctx.exportModule('decoder', m.decoder, [tgt, memory!], {
    tgtMask: options.tgtMask,
    memoryMask: options.memoryMask,
    tgtKeyPaddingMask: options.tgtKeyPaddingMask,
    memoryKeyPaddingMask: options.memoryKeyPaddingMask,
    tgtIsCausal: options.tgtIsCausal,
    memoryIsCausal: options.memoryIsCausal,
  })[0]!; // [B, T, dModel]
}

/**
 * `CausalLM` → next-token logits for every position of a whole sequence, as `forward` computes them: token
 * embedding (`Gather`, scaled by `embedScale`), positional encoding, causal encoder layers, optional final norm and
 * `lm_head` (tied weights are stored once). Input int32 `ids [B, T]` (T ≤ maxLength); forward option
 * `keyPaddingMask [B, T]` (a graph value). Output `[B, T, vocabSize]`. `generate`'s KV-cache decoding loop is not
 * part of the graph: a runtime calls the model on the growing sequence.
 */
export function exportCausalLM(ctx: OnnxExportContext, m: CausalLM, inputs: readonly OnnxValue[], options: OnnxForwardOptions): OnnxValue {
  const ids = ctx.single(m, inputs); // [B, T]
  let x = ctx.exportModule('token_embedding', m.token_embedding, [ids])[0]!; // [B, T, E]
  if (m.embedScale !== 1) x = ctx.op('Mul', [x, ctx.floatScalar(m.embedScale)], x);
  x = ctx.exportModule('position_embedding', m.position_embedding, [x])[0]!; // [B, T, E]
  m.layers.forEach((layer, i) => {
    x = ctx.exportModule(`layers.${i}`, layer, [x], { isCausal: true, srcKeyPaddingMask: options.keyPaddingMask })[0]!;
  });
  if (m.norm) x = ctx.exportModule('norm', m.norm, [x])[0]!;
  return ctx.exportModule('lm_head', m.lm_head, [x])[0]!; // [B, T, V]
}
