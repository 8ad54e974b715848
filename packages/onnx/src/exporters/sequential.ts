import { SequenceLayer } from '@elman/cells';
import type { Module, Sequential } from '@elman/core';
import { Bidirectional, RecurrentNetwork, Stacked } from '@elman/wrappers';
import { OnnxExportError } from '../errors.js';
import type { OnnxExportContext } from '../export-context.js';
import type { OnnxValue } from '../graph-builder.js';

/** Whether `m`'s forward returns `{output, state}`, of which a Sequential passes on `output`. */
function returnsOutput(m: Module): boolean {
  return m instanceof SequenceLayer || m instanceof RecurrentNetwork || m instanceof Bidirectional || m instanceof Stacked;
}

/**
 * `Sequential` → its modules' graphs chained, each under its index (`0.weight`, `2.bias`, …, as in the state dict).
 * A recurrent member (`RNN`/`LSTM`/`GRU`, a factory network, `Bidirectional`, `Stacked`) passes on its first graph
 * output, `output` (`[B, T, D·H]`, or `[B, H]` with `returnSequences: false`), and its final states are dropped,
 * exactly as `Sequential.forward` passes on the `output` of an `{output, state}` result.
 */
export function exportSequential(ctx: OnnxExportContext, m: Sequential, inputs: readonly OnnxValue[]): OnnxValue {
  let x = ctx.single(m, inputs);
  for (let i = 0; i < m.length; i++) {
    const member = m.at(i)!;
    const out = ctx.exportModule(String(i), member, [x]);
    if (out.length !== 1 && !returnsOutput(member)) {
      throw new OnnxExportError(`exportOnnx: module '${ctx.path === '' ? i : `${ctx.path}.${i}`}' of a Sequential returned ${out.length} outputs; a Sequential chains one-output modules`);
    }
    x = out[0]!;
  }
  return x;
}
