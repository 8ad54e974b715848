import type { Tensor } from '@elman/core';
import type { RecurrentWeights } from '../weights.js';
import { type SequenceOutputs, fusedSequence } from './fused-sequence.js';
import type { HiddenGradTracker } from './hidden-grad-norms.js';
import type { SequencePlan } from './sequence-plan.js';

/**
 * Fused single-layer GRU over a whole sequence, gate order r, z, n (PyTorch's `nn.GRU`), reset gate after the n
 * block's recurrent product (PyTorch, cuDNN) or before it (Cho et al. 2014), run by the active backend's
 * whole-sequence kernel; one tape node whose backward is full BPTT. Returns the outputs
 * `[B, T, H]` (null unless `plan.sequenceOutput`) and `[h_n [B, H]]`.
 */
export function gruSequence(
  x: Tensor,
  w: RecurrentWeights<Tensor>,
  h0: Tensor | null,
  resetBefore: boolean,
  plan: SequencePlan,
  tracker: HiddenGradTracker | null,
): SequenceOutputs {
  return fusedSequence('gruSequence', { kind: 'gru', resetBefore }, x, w, [h0], plan, tracker);
}
