import type { Tensor } from '@elman/core';
import type { Encoder } from '@elman/seq2seq';
import { RecurrentNetwork } from '@elman/wrappers';
import { OnnxExportError } from '../errors.js';
import type { OnnxExportContext } from '../export-context.js';
import type { OnnxDim, OnnxValue } from '../graph-builder.js';
import { f32 } from './recurrent.js';
import { noForwardOptions } from './recurrent-state.js';

/** The Encoder's forward on flat inputs `[src, lengths?]` (int32 both): `{memory, state: {h, c?}}`. */
export function encoderForward(m: Encoder, inputs: readonly Tensor[], options?: Readonly<Record<string, unknown>>): unknown {
  noForwardOptions('Encoder', options);
  const [src, lengths] = inputs;
  return m.forward(src!, lengths?.data as Int32Array | undefined);
}

/**
 * The seq2seq `Encoder` → its embedding (`Gather`) and recurrence (ONNX `RNN`/`LSTM`/`GRU` nodes), initializers
 * `embedding.weight`, `rnn.W_l0`, …. Inputs int32 `src [B, S]` and optionally int32 `lengths [B]`; outputs as
 * `forward`: `memory [B, S, C]` (0 past each length), then the last layer's final state `h [B, C]` (and `c`), its
 * directions concatenated (C = D·H).
 */
export function exportEncoder(ctx: OnnxExportContext, m: Encoder, inputs: readonly OnnxValue[]): OnnxValue[] {
  if (inputs.length < 1 || inputs.length > 2 || inputs.some((v) => v.dtype !== 'int32')) {
    throw new OnnxExportError(
      `exportOnnx: Encoder at '${ctx.path}' takes inputs int32 src [B, S] and optionally int32 lengths [B]; got ${inputs.length} inputs (${inputs.map((v) => v.dtype).join(', ')})`,
    );
  }
  const [src, lengths] = inputs as [OnnxValue, OnnxValue | undefined];
  const [x] = ctx.exportModule('embedding', m.embedding, [src]); // [B, S, E]
  const [memory, h, c] = ctx.exportModule('rnn', m.rnn, lengths ? [x!, lengths] : [x!]); // [B, S, C], states
  const rnn = m.rnn;
  if (!(rnn instanceof RecurrentNetwork)) return c ? [memory!, h!, c] : [memory!, h!]; // states [B, H]
  // [L·D, B, H] → the last layer's D rows → [B, D·H], directions side by side as Encoder.forward concatenates them.
  const D = rnn.numDirections;
  const H = rnn.hiddenSize;
  const last = (rnn.numLayers - 1) * D;
  const B: OnnxDim = src.shape[0]!;
  const lastLayer = (s: OnnxValue): OnnxValue => {
    const rows = ctx.op('Slice', [s, ctx.int64s([last]), ctx.int64s([last + D]), ctx.int64s([0])], f32([D, B, H])); // [D, B, H]
    const bdh = ctx.op('Transpose', [rows], f32([B, D, H]), { perm: { ints: [1, 0, 2] } }); // [B, D, H]
    return ctx.op('Reshape', [bdh, ctx.int64s([0, D * H])], f32([B, D * H])); // [B, D·H]
  };
  return c ? [memory!, lastLayer(h!), lastLayer(c)] : [memory!, lastLayer(h!)];
}
