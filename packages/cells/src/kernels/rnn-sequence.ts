import { Tensor, getBackend, needsGrad, recordMulti } from '@elman/core';
import type { RecurrentWeights } from '../weights.js';
import type { HiddenGradTracker } from './hidden-grad-norms.js';
import { type SequencePlan, biasSum, initialState, inputSideGrads, kernelInputs, projectInputs, rowAt } from './sequence-plan.js';

/** Nonlinearity of an Elman RNN. */
export type Nonlinearity = 'tanh' | 'relu';

/**
 * Fused single-layer Elman RNN over a whole sequence (Elman 1990; PyTorch's `nn.RNN`):
 * h' = act(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh) with act = tanh or ReLU.
 *
 * Forward: one GEMM projects the inputs of all B·T steps; each step runs only the recurrent GEMM `[B, H]·[H, H]`.
 * Backward is full BPTT in one reverse pass; the weight gradients are single GEMMs over all steps. One tape node.
 * Returns `[output [B, T, H], h_n [B, H]]`.
 */
export function rnnSequence(
  x: Tensor,
  w: RecurrentWeights<Tensor>,
  h0: Tensor | null,
  nonlinearity: Nonlinearity,
  plan: SequencePlan,
  tracker: HiddenGradTracker | null,
): Tensor[] {
  const { batch: B, steps: T, hiddenSize: H } = plan;
  const relu = nonlinearity === 'relu';
  const inputs = kernelInputs(x, w, [h0]);
  const keep = needsGrad(inputs);
  const backend = getBackend();
  const Whh = w.weightHh.data as Float32Array; // [H, H]
  const bias = biasSum(w, H); // [H]
  const P = projectInputs(x, w, plan); // [B, T, H] x·W_ihᵀ
  const Y = new Float32Array(B * T * H); // [B, T, H] outputs h_t (also act(·) for the backward); padding stays 0
  const Hp = keep ? new Float32Array(B * T * H) : null; // [B, T, H] h_{t−1} of every step, for dW_hh
  const h = initialState(h0, B * H); // [B, H] running state
  const R = new Float32Array(B * H); // [B, H] h·W_hhᵀ of one step

  for (let s = 0; s < plan.maxLen; s++) {
    backend.gemm(false, true, B, H, H, 1, h, 0, H, Whh, 0, H, 0, R, 0, H);
    for (let b = 0; b < B; b++) {
      const row = rowAt(plan, b, s);
      if (row < 0) continue; // ended: state frozen at its last valid step
      const o = row * H;
      const k = b * H;
      for (let j = 0; j < H; j++) {
        const pre = P[o + j]! + R[k + j]! + bias[j]!;
        const hNew = relu ? Math.max(pre, 0) : Math.tanh(pre);
        if (keep) Hp![o + j] = h[k + j]!;
        h[k + j] = hNew;
        Y[o + j] = hNew;
      }
    }
  }

  const outputs = [new Tensor(Y, [B, T, H]), new Tensor(h, [B, H])];
  return recordMulti('rnnSequence', inputs, outputs, { Y, Hp }, (grads, saved) => {
    const [gY, gH] = grads;
    const Yv = saved.Y;
    // Backward only runs when the node was recorded, i.e. when `keep` allocated Hp.
    const Hprev = saved.Hp!;
    const dY = gY ? (gY.data as Float32Array) : null; // [B, T, H]
    const dh = gH ? new Float32Array(gH.data as Float32Array) : new Float32Array(B * H); // [B, H] ∂L/∂h carried back
    const dA = new Float32Array(B * T * H); // [B, T, H] pre-activation gradients; padded rows stay 0
    const dAs = new Float32Array(B * H); // [B, H] this step's rows of dA, contiguous for the recurrent GEMM
    const dHp = new Float32Array(B * H); // [B, H] dA_s · W_hh = ∂L/∂h_{t−1}
    const sq = tracker ? tracker.begin() : null;

    for (let s = plan.maxLen - 1; s >= 0; s--) {
      for (let b = 0; b < B; b++) {
        const row = rowAt(plan, b, s);
        if (row < 0) continue;
        const o = row * H;
        const k = b * H;
        let norm = 0;
        for (let j = 0; j < H; j++) {
          const gh = dh[k + j]! + (dY ? dY[o + j]! : 0);
          norm += gh * gh;
          const y = Yv[o + j]!;
          // tanh' = 1 − h²; ReLU' = [h > 0] (0 at the kink, as PyTorch).
          dA[o + j] = dAs[k + j] = relu ? (y > 0 ? gh : 0) : gh * (1 - y * y);
        }
        if (sq) sq[row] = norm;
      }
      // Rows of sequences that have ended hold stale values; their results are not copied back below.
      backend.gemm(false, false, B, H, H, 1, dAs, 0, H, Whh, 0, H, 0, dHp, 0, H);
      for (let b = 0; b < B; b++) {
        if (s >= plan.lengths[b]!) continue;
        for (let k = b * H; k < (b + 1) * H; k++) dh[k] = dHp[k]!;
      }
    }

    let dWhh: Float32Array | null = null;
    if (w.weightHh.requiresGrad) {
      dWhh = new Float32Array(H * H); // [H, H] = dAᵀ · H_prev over all B·T rows
      backend.gemm(true, false, H, H, B * T, 1, dA, 0, H, Hprev, 0, H, 0, dWhh, 0, H);
    }
    return inputSideGrads(x, w, plan, dA, dWhh, null, [h0], [dh]);
  });
}
