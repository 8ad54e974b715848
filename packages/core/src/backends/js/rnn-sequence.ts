import type { RecurrentBackwardArgs, RecurrentForwardArgs, RecurrentSaved } from '../recurrent.js';
import { fastTanh } from './fast-math.js';
import { gemm, gemmPacked, stepArray } from './parallel-gemm.js';
import { biasSum, inputSideGrads, packRecurrent, projectInputs, rowAt } from './recurrent-common.js';
import { releaseSlabs, takeSlab } from './slab-pool.js';

/**
 * Fused single-layer Elman RNN forward over a whole sequence (Elman 1990; PyTorch's `nn.RNN`):
 * h' = act(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh) with act = tanh or ReLU. One GEMM projects the inputs of all B·T steps;
 * each step runs only the recurrent GEMM `[B, H]·[H, H]`. Saves h_{t−1} and its own copy of the outputs (they double
 * as the activations), so the caller may skip the outputs (`output` null) and never hands its own buffer to backward.
 */
export function rnnForward(args: RecurrentForwardArgs): RecurrentSaved | null {
  const { geometry: g, weights, h, output: Y, keep, cell } = args;
  const relu = cell.kind === 'rnn' && cell.nonlinearity === 'relu';
  const { batch: B, steps: T, hiddenSize: H } = g;
  const Whh = weights.weightHh; // [H, H]
  const bias = biasSum(args, H); // [H]
  const P = projectInputs(args, H); // [B, T, H] x·W_ihᵀ
  const Hp = keep ? takeSlab(B * T * H) : null; // [B, T, H] h_{t−1} of every step, for dW_hh
  const Ys = keep ? takeSlab(B * T * H) : null; // [B, T, H] h_t, the activations (only valid rows are read back)
  const R = stepArray('R', B * H); // [B, H] h·W_hhᵀ of one step
  const WhhT = packRecurrent(0, true, H, H, Whh, 0, H); // W_hhᵀ, packed once for every step

  for (let s = 0; s < g.maxLen; s++) {
    gemmPacked(false, B, 1, h, 0, H, WhhT, 0, R, 0, H);
    for (let b = 0; b < B; b++) {
      const row = rowAt(g, b, s);
      if (row < 0) continue; // ended: state frozen at its last valid step
      const o = row * H;
      const k = b * H;
      for (let j = 0; j < H; j++) {
        const pre = P[o + j]! + R[k + j]! + bias[j]!;
        const hNew = relu ? Math.max(pre, 0) : fastTanh(pre);
        if (keep) {
          Hp![o + j] = h[k + j]!;
          Ys![o + j] = hNew;
        }
        h[k + j] = hNew;
        if (Y) Y[o + j] = hNew;
      }
    }
  }
  releaseSlabs([P]);
  return keep ? { slabs: [Hp!, Ys!] } : null;
}

/** BPTT of {@link rnnForward} in one reverse pass; the weight gradients are then single GEMMs over all steps. */
export function rnnBackward(args: RecurrentBackwardArgs): void {
  const { geometry: g, weights, dOutput: dY, dh, grads, cell } = args;
  const relu = cell.kind === 'rnn' && cell.nonlinearity === 'relu';
  const { batch: B, steps: T, hiddenSize: H } = g;
  const Whh = weights.weightHh; // [H, H]
  const [Hprev, Yv] = args.saved.slabs as [Float32Array, Float32Array]; // [B, T, H] h_{t−1} and h_t
  const dA = takeSlab(B * T * H); // [B, T, H] pre-activation gradients; padded rows stay 0
  const dAs = stepArray('dAs', B * H); // [B, H] this step's rows of dA, contiguous for the recurrent GEMM
  const dHp = stepArray('dHp', B * H); // [B, H] dA_s · W_hh = ∂L/∂h_{t−1}
  const sq = args.hiddenGradSquares;
  const Wp = packRecurrent(0, false, H, H, Whh, 0, H); // W_hh, packed once for every step

  for (let s = g.maxLen - 1; s >= 0; s--) {
    for (let b = 0; b < B; b++) {
      const row = rowAt(g, b, s);
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
    gemmPacked(false, B, 1, dAs, 0, H, Wp, 0, dHp, 0, H);
    for (let b = 0; b < B; b++) {
      if (s >= g.lengths[b]!) continue;
      for (let k = b * H; k < (b + 1) * H; k++) dh[k] = dHp[k]!;
    }
  }

  // dW_hh = dAᵀ · H_prev over all B·T rows.
  if (grads.weightHh) gemm(true, false, H, H, B * T, 1, dA, 0, H, Hprev, 0, H, 0, grads.weightHh, 0, H);
  inputSideGrads(args, dA, grads, false);
  releaseSlabs(args.final ? [dA, Hprev, Yv] : [dA]);
}
