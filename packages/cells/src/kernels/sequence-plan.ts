import type { SequenceGeometry, Tensor } from '@elman/core';

/**
 * Geometry of one fused sequence-kernel call (the backend kernels' {@link SequenceGeometry}) and whether its caller
 * reads the output of every step. Slabs are batch-first `[B, T, ·]` like the input, so the input projection and the
 * weight gradients are single GEMMs over all B·T rows.
 */
export interface SequencePlan extends SequenceGeometry {
  /**
   * Whether the caller reads `output [B, T, H]`; false when it reads only the final state (`returnSequences: false`),
   * so the kernel need not write the outputs at all.
   */
  readonly sequenceOutput: boolean;
}

/** A plan for `x [B, T, X]` with checked `lengths`. */
export function makePlan(
  x: Tensor,
  hiddenSize: number,
  lengths: Int32Array,
  reverse: boolean,
  sequenceOutput: boolean,
): SequencePlan {
  const [B, T, X] = x.shape as [number, number, number];
  let maxLen = 0;
  for (let b = 0; b < B; b++) maxLen = Math.max(maxLen, lengths[b]!);
  return { batch: B, steps: T, inputSize: X, hiddenSize, lengths, maxLen, reverse, sequenceOutput };
}
