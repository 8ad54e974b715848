import type { Linear } from '@elman/core';
import type { OnnxExportContext } from '../export-context.js';
import type { OnnxValue } from '../graph-builder.js';

/**
 * `Linear` → `Gemm(x, W, b, transB=1)` for `[B, in]` inputs, which reads the state-dict weight `[out, in]` as is.
 * Gemm is 2-D only, so other ranks (`[B, T, in]`, `[in]`) use `MatMul(x, Transpose(W)) + b`: the transpose of an
 * initializer is folded away by onnxruntime when the session loads, and the initializer keeps the state-dict layout.
 */
export function exportLinear(ctx: OnnxExportContext, m: Linear, inputs: readonly OnnxValue[]): OnnxValue {
  const x = ctx.single(m, inputs); // [..., in]
  const w = ctx.initializer('weight', m.weight); // [out, in]
  const b = m.bias ? ctx.initializer('bias', m.bias) : null; // [out]
  const y = { dtype: 'float32', shape: [...x.shape.slice(0, -1), m.outFeatures] } as const; // [..., out]
  if (x.shape.length === 2) return ctx.op('Gemm', b ? [x, w, b] : [x, w], y, { transB: { int: 1 } });
  const wt = ctx.op('Transpose', [w], { dtype: 'float32', shape: [m.inFeatures, m.outFeatures] }, { perm: { ints: [1, 0] } }); // [in, out]
  const xw = ctx.op('MatMul', [x, wt], y);
  return b ? ctx.op('Add', [xw, b], y) : xw;
}
