import { type GELU, type ReLU, type Sigmoid, type Tanh, Tensor } from '@elman/core';
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

function scalar(v: number): Tensor {
  return new Tensor(new Float32Array([v]), []);
}

/**
 * Exact `GELU` x·Φ(x) (Hendrycks & Gimpel 2016): the `Gelu` op from opset 20, before that the primitive form
 * `0.5 · x · (1 + erf(x / √2))` that `torch.onnx.export` also writes.
 */
export function exportGelu(ctx: OnnxExportContext, m: GELU, inputs: readonly OnnxValue[]): OnnxValue {
  const x = ctx.single(m, inputs);
  if (ctx.opset >= 20) return ctx.op('Gelu', [x], x);
  const erf = ctx.op('Erf', [ctx.op('Div', [x, ctx.constant(scalar(Math.SQRT2))], x)], x);
  const onePlus = ctx.op('Add', [erf, ctx.constant(scalar(1))], x);
  return ctx.op('Mul', [ctx.op('Mul', [x, onePlus], x), ctx.constant(scalar(0.5))], x);
}
