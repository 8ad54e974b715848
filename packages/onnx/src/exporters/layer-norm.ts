import { type LayerNorm, Tensor, sizeOf } from '@elman/core';
import type { OnnxExportContext } from '../export-context.js';
import type { OnnxValue } from '../graph-builder.js';

/**
 * Layer normalisation from primitive ops for opsets before 17, which lack `LayerNormalization` (Ba et al. 2016):
 * `d = x − mean(x)`, `(d / √(mean(d²) + eps)) · scale + bias` over the trailing `k` axes (`ReduceMean`'s axes are an
 * attribute up to opset 17).
 */
function primitiveLayerNorm(ctx: OnnxExportContext, x: OnnxValue, k: number, eps: number, scale: OnnxValue | null, bias: OnnxValue | null): OnnxValue {
  const axes = { axes: { ints: Array.from({ length: k }, (_, i) => i - k) }, keepdims: { int: 1 } };
  const reduced = { dtype: 'float32' as const, shape: [...x.shape.slice(0, -k), ...new Array<number>(k).fill(1)] }; // [..., 1, …, 1]
  const d = ctx.op('Sub', [x, ctx.op('ReduceMean', [x], reduced, axes)], x); // [..., ...normalizedShape]
  const variance = ctx.op('ReduceMean', [ctx.op('Mul', [d, d], d)], reduced, axes); // [..., 1, …, 1]
  let y = ctx.op('Div', [d, ctx.op('Sqrt', [ctx.op('Add', [variance, ctx.floatScalar(eps)], reduced)], reduced)], x);
  if (scale) y = ctx.op('Mul', [y, scale], x);
  return bias ? ctx.op('Add', [y, bias], x) : y;
}

/**
 * `LayerNorm` → `LayerNormalization` (opset ≥ 17) over the trailing `normalizedShape` axes. Without an affine
 * weight the scale input, which the op requires, is a `Constant` of ones; without a bias the optional input is left
 * out. Before opset 17 the same computation is written with primitive ops (`ReduceMean`, `Sub`, `Mul`, `Sqrt`, `Div`).
 */
export function exportLayerNorm(ctx: OnnxExportContext, m: LayerNorm, inputs: readonly OnnxValue[]): OnnxValue {
  const x = ctx.single(m, inputs); // [..., ...normalizedShape]
  const shape = m.normalizedShape;
  const weight = m.weight ? ctx.initializer('weight', m.weight) : null; // normalizedShape
  const bias = m.bias ? ctx.initializer('bias', m.bias) : null; // normalizedShape
  if (ctx.opset < 17) return primitiveLayerNorm(ctx, x, shape.length, m.eps, weight, bias);
  const scale = weight ?? ctx.constant(new Tensor(new Float32Array(sizeOf(shape)).fill(1), shape));
  return ctx.op('LayerNormalization', bias ? [x, scale, bias] : [x, scale], x, {
    axis: { int: -shape.length },
    epsilon: { float: m.eps },
  });
}
