import { type LayerNorm, Tensor, sizeOf } from '@elman/core';
import type { OnnxExportContext } from '../export-context.js';
import type { OnnxValue } from '../graph-builder.js';

/**
 * `LayerNorm` → `LayerNormalization` (opset ≥ 17) over the trailing `normalizedShape` axes. Without an affine
 * weight the scale input, which the op requires, is a `Constant` of ones; without a bias the optional input is left out.
 */
export function exportLayerNorm(ctx: OnnxExportContext, m: LayerNorm, inputs: readonly OnnxValue[]): OnnxValue {
  const x = ctx.single(m, inputs); // [..., ...normalizedShape]
  if (ctx.opset < 17) throw ctx.unsupported(m, `needs opset ≥ 17 (ONNX LayerNormalization), got opset ${ctx.opset}`);
  const shape = m.normalizedShape;
  const scale = m.weight
    ? ctx.initializer('weight', m.weight)
    : ctx.constant(new Tensor(new Float32Array(sizeOf(shape)).fill(1), shape));
  const bias = m.bias ? ctx.initializer('bias', m.bias) : null;
  return ctx.op('LayerNormalization', bias ? [x, scale, bias] : [x, scale], x, {
    axis: { int: -shape.length },
    epsilon: { float: m.eps },
  });
}
