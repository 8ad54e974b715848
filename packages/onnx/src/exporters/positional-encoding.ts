import type { LearnedPositionalEncoding, SinusoidalPositionalEncoding } from '@elman/transformer';
import type { OnnxExportContext } from '../export-context.js';
import type { OnnxValue } from '../graph-builder.js';

/** `x [B, T, d] + table[0 : T]`, T read from x at run time, so the time axis can be dynamic. */
function addRows(ctx: OnnxExportContext, x: OnnxValue, table: OnnxValue): OnnxValue {
  const shape = ctx.op('Shape', [x], { dtype: 'int64', shape: [3] }); // [3]
  const T = ctx.op('Slice', [shape, ctx.int64s([1]), ctx.int64s([2]), ctx.int64s([0])], { dtype: 'int64', shape: [1] }); // [1]
  const rows = ctx.op('Slice', [table, ctx.int64s([0]), T, ctx.int64s([0])], { dtype: 'float32', shape: [x.shape[1]!, table.shape[1]!] }); // [T, d]
  return ctx.op('Add', [x, rows], x); // [B, T, d]
}

/**
 * `SinusoidalPositionalEncoding` → `x + pe[0 : T]`, the table a `Constant` (a non-persistent buffer, so not an
 * initializer and not in the state dict); dropout is the identity. Input `[B, T, dModel]` with T ≤ maxLength
 * (onnxruntime's Slice clamps, so a longer input fails at the `Add` with a shape error). The graph always starts at
 * position 0 (`forward`'s default offset).
 */
export function exportSinusoidalPositionalEncoding(ctx: OnnxExportContext, m: SinusoidalPositionalEncoding, inputs: readonly OnnxValue[]): OnnxValue {
  return addRows(ctx, ctx.single(m, inputs), ctx.constant(m.pe)); // [B, T, dModel]
}

/** `LearnedPositionalEncoding` → `x + weight[0 : T]` with the initializer `weight`; as the sinusoidal one otherwise. */
export function exportLearnedPositionalEncoding(ctx: OnnxExportContext, m: LearnedPositionalEncoding, inputs: readonly OnnxValue[]): OnnxValue {
  return addRows(ctx, ctx.single(m, inputs), ctx.initializer('weight', m.weight)); // [B, T, dModel]
}
