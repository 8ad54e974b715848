import type { Tensor } from '@elman/core';
import type { RecurrentWeights } from '../weights.js';
import { type SequenceOutputs, fusedSequence } from './fused-sequence.js';
import type { HiddenGradTracker } from './hidden-grad-norms.js';
import type { SequencePlan } from './sequence-plan.js';

/** Nonlinearity of an Elman RNN. */
export type Nonlinearity = 'tanh' | 'relu';

/**
 * Fused single-layer Elman RNN over a whole sequence (Elman 1990; PyTorch's `nn.RNN`),
 * h' = act(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh), run by the active backend's whole-sequence kernel; one tape node whose
 * backward is full BPTT. Returns the outputs `[B, T, H]`
 * (null unless `plan.sequenceOutput`) and `[h_n [B, H]]`.
 */
export function rnnSequence(
  x: Tensor,
  w: RecurrentWeights<Tensor>,
  h0: Tensor | null,
  nonlinearity: Nonlinearity,
  plan: SequencePlan,
  tracker: HiddenGradTracker | null,
): SequenceOutputs {
  return fusedSequence('rnnSequence', { kind: 'rnn', nonlinearity }, x, w, [h0], plan, tracker);
}
