import type { Dropout } from '@elman/core';
import type { OnnxExportContext } from '../export-context.js';
import type { OnnxValue } from '../graph-builder.js';

/**
 * `Dropout` → `Identity`: the exported graph is the inference (eval-mode) computation, as with `torch.onnx.export`,
 * whatever the module's training flag.
 */
export function exportDropout(ctx: OnnxExportContext, m: Dropout, inputs: readonly OnnxValue[]): OnnxValue {
  const x = ctx.single(m, inputs);
  return ctx.op('Identity', [x], x);
}
