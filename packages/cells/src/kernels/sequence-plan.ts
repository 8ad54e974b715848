import type { SequenceGeometry, Tensor } from '@elman/core';

/**
 * Geometry of one fused sequence-kernel call (the backend kernels' {@link SequenceGeometry}). Slabs are batch-first
 * `[B, T, ·]` like the input, so the input projection and the weight gradients are single GEMMs over all B·T rows.
 */
export type SequencePlan = SequenceGeometry;

/** A plan for `x [B, T, X]` with checked `lengths`. */
export function makePlan(x: Tensor, hiddenSize: number, lengths: Int32Array, reverse: boolean): SequencePlan {
  const [B, T, X] = x.shape as [number, number, number];
  let maxLen = 0;
  for (let b = 0; b < B; b++) maxLen = Math.max(maxLen, lengths[b]!);
  return { batch: B, steps: T, inputSize: X, hiddenSize, lengths, maxLen, reverse };
}
