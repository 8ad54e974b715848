import type { Tensor } from '@elman/core';
import type { RecurrentWeights } from '../weights.js';
import { type SequenceOutputs, fusedSequence } from './fused-sequence.js';
import type { HiddenGradTracker } from './hidden-grad-norms.js';
import type { SequencePlan } from './sequence-plan.js';

/**
 * Fused single-layer LSTM over a whole sequence (Hochreiter & Schmidhuber 1997; PyTorch's gate order i, f, g, o),
 * run by the active backend's whole-sequence kernel; one tape node whose backward is full BPTT.
 * Returns the outputs `[B, T, H]` (null
 * unless `plan.sequenceOutput`) and `[h_n, c_n]`, each `[B, H]`.
 */
export function lstmSequence(
  x: Tensor,
  w: RecurrentWeights<Tensor>,
  h0: Tensor | null,
  c0: Tensor | null,
  plan: SequencePlan,
  tracker: HiddenGradTracker | null,
): SequenceOutputs {
  return fusedSequence('lstmSequence', { kind: 'lstm' }, x, w, [h0, c0], plan, tracker);
}
