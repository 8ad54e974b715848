import { ShapeError, ValueError, fmtShape, stack } from '@elman/core';
import type { Batch, Example } from './dataset.js';

/**
 * Stacks examples into a batch (`[b, ...]` inputs and targets). Every input must have the shape of the first, and
 * every target likewise; variable-length sequences need {@link padSequences} or {@link bucketByLength} instead.
 */
export function collate(op: string, examples: readonly Example[]): Batch {
  const first = examples[0];
  if (!first) throw new ValueError(`${op}: cannot collate an empty list of examples`);
  for (const [i, ex] of examples.entries()) {
    for (const key of ['input', 'target'] as const) {
      const t = ex[key];
      const ref = first[key];
      if (t.dtype !== ref.dtype || t.rank !== ref.rank || t.shape.some((d, k) => d !== ref.shape[k])) {
        throw new ShapeError(
          `${op}: example ${i} has ${key} ${t.dtype} ${fmtShape(t.shape)} but example 0 has ${ref.dtype} ${fmtShape(ref.shape)}; ` +
            'pad variable-length sequences with padSequences or bucketByLength',
        );
      }
    }
  }
  return {
    input: stack(examples.map((e) => e.input)), // [b, ...]
    target: stack(examples.map((e) => e.target)), // [b, ...]
  };
}
