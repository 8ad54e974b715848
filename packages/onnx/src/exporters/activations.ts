import type { GELU, ReLU, Sigmoid, Tanh } from '@elman/core';
import type { OnnxExportContext } from '../export-context.js';
import type { OnnxValue } from '../graph-builder.js';

/** `Tanh` → `Tanh`. */
export function exportTanh(ctx: OnnxExportContext, m: Tanh, inputs: readonly OnnxValue[]): OnnxValue {
  const x = ctx.single(m, inputs);
  return ctx.op('Tanh', [x], x);
}

/** `ReLU` → `Relu`. */
export function exportRelu(ctx: OnnxExportContext, m: ReLU, inputs: readonly OnnxValue[]): OnnxValue {
  const x = ctx.single(m, inputs);
  return ctx.op('Relu', [x], x);
}

/** `Sigmoid` → `Sigmoid`. */
export function exportSigmoid(ctx: OnnxExportContext, m: Sigmoid, inputs: readonly OnnxValue[]): OnnxValue {
  const x = ctx.single(m, inputs);
  return ctx.op('Sigmoid', [x], x);
}


/**
 * Exact GELU x·Φ(x) (Hendrycks & Gimpel 2016) of a graph value: the `Gelu` op from opset 20, before that the
 * primitive form `0.5 · x · (1 + erf(x / √2))` that `torch.onnx.export` also writes.
 */
export function geluOf(ctx: OnnxExportContext, x: OnnxValue): OnnxValue {
  if (ctx.opset >= 20) return ctx.op('Gelu', [x], x);
  const erf = ctx.op('Erf', [ctx.op('Div', [x, ctx.floatScalar(Math.SQRT2)], x)], x);
  const onePlus = ctx.op('Add', [erf, ctx.floatScalar(1)], x);
  return ctx.op('Mul', [ctx.op('Mul', [x, onePlus], x), ctx.floatScalar(0.5)], x);
}

/** `GELU` → exact GELU ({@link geluOf}). */
export function exportGelu(ctx: OnnxExportContext, m: GELU, inputs: readonly OnnxValue[]): OnnxValue {
  return geluOf(ctx, ctx.single(m, inputs));
}
