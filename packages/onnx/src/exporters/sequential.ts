import type { Sequential } from '@elman/core';
import { OnnxExportError } from '../errors.js';
import type { OnnxExportContext } from '../export-context.js';
import type { OnnxValue } from '../graph-builder.js';

/** `Sequential` → its modules' graphs chained, each under its index (`0.weight`, `2.bias`, …, as in the state dict). */
export function exportSequential(ctx: OnnxExportContext, m: Sequential, inputs: readonly OnnxValue[]): OnnxValue {
  let x = ctx.single(m, inputs);
  for (let i = 0; i < m.length; i++) {
    const out = ctx.exportModule(String(i), m.at(i)!, [x]);
    if (out.length !== 1) {
      throw new OnnxExportError(`exportOnnx: module '${ctx.path === '' ? i : `${ctx.path}.${i}`}' of a Sequential returned ${out.length} outputs; a Sequential chains one-output modules`);
    }
    x = out[0]!;
  }
  return x;
}
