import type { Embedding } from '@elman/core';
import type { OnnxExportContext } from '../export-context.js';
import type { OnnxValue } from '../graph-builder.js';

/** `Embedding` → `Gather(weight, ids, axis=0)`: int32 ids of any shape → `[...ids.shape, E]`. */
export function exportEmbedding(ctx: OnnxExportContext, m: Embedding, inputs: readonly OnnxValue[]): OnnxValue {
  const ids = ctx.single(m, inputs); // [...]
  const w = ctx.initializer('weight', m.weight); // [V, E]
  return ctx.op('Gather', [w, ids], { dtype: 'float32', shape: [...ids.shape, m.embeddingDim] }, { axis: { int: 0 } }); // [..., E]
}
