import { ValueError, add, concat, mul } from '@elman/core';
import type { Tensor } from '@elman/core';

/** How a bidirectional layer combines its two directions' outputs (Keras' `merge_mode`). */
export type MergeMode = 'concat' | 'sum' | 'mul' | 'ave';

const MODES: readonly MergeMode[] = ['concat', 'sum', 'mul', 'ave'];

/** Checks a merge mode (default `'concat'`). */
export function checkMergeMode(op: string, mode: unknown): MergeMode {
  const m = mode ?? 'concat';
  if (!MODES.includes(m as MergeMode)) {
    throw new ValueError(`${op}: merge must be one of ${MODES.map((s) => `'${s}'`).join(', ')}, got '${String(m)}'`);
  }
  return m as MergeMode;
}

/** Features of the merged output for hidden size H: 2H for `'concat'`, H otherwise. */
export function mergedSize(mode: MergeMode, hiddenSize: number): number {
  return mode === 'concat' ? 2 * hiddenSize : hiddenSize;
}

/** Combines the forward and backward outputs (`[B, T, H]` or `[B, H]`) along the last axis or elementwise. */
export function mergeDirections(mode: MergeMode, fwd: Tensor, bwd: Tensor): Tensor {
  switch (mode) {
    case 'concat':
      return concat([fwd, bwd], fwd.rank - 1); // [B, T, 2H]
    case 'sum':
      return add(fwd, bwd); // [B, T, H]
    case 'mul':
      return mul(fwd, bwd); // [B, T, H]
    case 'ave':
      return mul(add(fwd, bwd), 0.5); // [B, T, H]
  }
}
