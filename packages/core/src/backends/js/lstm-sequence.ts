import type { RecurrentBackwardArgs, RecurrentForwardArgs, RecurrentSaved } from '../recurrent.js';
import { fastTanh } from './fast-math.js';
import { gemm, gemmPacked, stepArray } from './parallel-gemm.js';
import { biasSum, gradientSlab, inputSideGrads, packRecurrent, projectInputs, rowAt, sigmoid } from './recurrent-common.js';
import { releaseSlabs, takeSlab } from './slab-pool.js';

/**
 * Fused single-layer LSTM forward over a whole sequence (Hochreiter & Schmidhuber 1997; PyTorch's gate order i, f,
 * g, o): i, f, o = σ(·), g = tanh(·) of x W_ihᵀ + b_ih + h W_hhᵀ + b_hh; c' = f⊙c + i⊙g; h' = o⊙tanh(c').
 * One GEMM projects the inputs of all B·T steps; each step then runs only the recurrent GEMM `[B, H]·[H, 4H]` and a
 * gate loop over one slab of activations for the whole call. Saves gates, h_{t−1}, c_{t−1}, tanh(c_t).
 */
export function lstmForward(args: RecurrentForwardArgs): RecurrentSaved | null {
  const { geometry: g, weights, h, output: Y, keep } = args;
  const c = args.c!;
  const { batch: B, steps: T, hiddenSize: H } = g;
  const G = 4 * H;
  const Whh = weights.weightHh; // [4H, H]
  const bias = biasSum(args, G); // [4H]
  // x·W_ihᵀ for every step, overwritten row by row with the gate activations i, f, g, o.
  const A = projectInputs(args, G); // [B, T, 4H]
  // Saved for backward only: h_{t−1}, c_{t−1} and tanh(c_t) of every step.
  const Hp = keep ? takeSlab(B * T * H) : null; // [B, T, H]
  const Cp = keep ? takeSlab(B * T * H) : null; // [B, T, H]
  const TC = keep ? takeSlab(B * T * H) : null; // [B, T, H]
  const R = stepArray('R', B * G); // [B, 4H] h·W_hhᵀ of one step
  const WhhT = packRecurrent(0, true, H, G, Whh, 0, H); // W_hhᵀ [H, 4H], packed once for every step

  for (let s = 0; s < g.maxLen; s++) {
    gemmPacked(false, B, 1, h, 0, H, WhhT, 0, R, 0, G);
    for (let b = 0; b < B; b++) {
      const row = rowAt(g, b, s);
      if (row < 0) continue; // ended: state frozen at its last valid step
      const a = row * G;
      const r = b * G;
      const o = row * H;
      const k = b * H;
      for (let j = 0; j < H; j++) {
        const ig = sigmoid(A[a + j]! + R[r + j]! + bias[j]!);
        const fg = sigmoid(A[a + H + j]! + R[r + H + j]! + bias[H + j]!);
        const gg = fastTanh(A[a + 2 * H + j]! + R[r + 2 * H + j]! + bias[2 * H + j]!);
        const og = sigmoid(A[a + 3 * H + j]! + R[r + 3 * H + j]! + bias[3 * H + j]!);
        const cPrev = c[k + j]!;
        const cNew = fg * cPrev + ig * gg;
        const tc = fastTanh(cNew);
        const hNew = og * tc;
        A[a + j] = ig;
        A[a + H + j] = fg;
        A[a + 2 * H + j] = gg;
        A[a + 3 * H + j] = og;
        if (keep) {
          Hp![o + j] = h[k + j]!;
          Cp![o + j] = cPrev;
          TC![o + j] = tc;
        }
        c[k + j] = cNew;
        h[k + j] = hNew;
        if (Y) Y[o + j] = hNew;
      }
    }
  }
  if (!keep) releaseSlabs([A]);
  return keep ? { slabs: [A, Hp!, Cp!, TC!] } : null;
}

/**
 * BPTT of {@link lstmForward} in one reverse pass (one GEMM per step for ∂L/∂h_{t−1}); the weight gradients are
 * then single GEMMs over all steps.
 */
export function lstmBackward(args: RecurrentBackwardArgs): void {
  const { geometry: g, weights, dOutput: dY, dh, grads } = args;
  const dc = args.dc!;
  const { batch: B, steps: T, hiddenSize: H } = g;
  const G = 4 * H;
  const Whh = weights.weightHh; // [4H, H]
  const [A, Hp, Cp, TC] = args.saved.slabs as [Float32Array, Float32Array, Float32Array, Float32Array];
  const dG = gradientSlab(args, A, G); // [B, T, 4H] pre-activation gradients (over A when final); padded rows 0
  const dGs = stepArray('dGs', B * G); // [B, 4H] this step's rows of dG, contiguous for the recurrent GEMM
  const dHp = stepArray('dHp', B * H); // [B, H] dG_s · W_hh = ∂L/∂h_{t−1}
  const sq = args.hiddenGradSquares;
  const Wp = packRecurrent(0, false, G, H, Whh, 0, H); // W_hh [4H, H], packed once for every step

  for (let s = g.maxLen - 1; s >= 0; s--) {
    for (let b = 0; b < B; b++) {
      const row = rowAt(g, b, s);
      if (row < 0) continue;
      const a = row * G;
      const r = b * G;
      const o = row * H;
      const k = b * H;
      let norm = 0;
      for (let j = 0; j < H; j++) {
        const gh = dh[k + j]! + (dY ? dY[o + j]! : 0);
        norm += gh * gh;
        const ig = A[a + j]!;
        const fg = A[a + H + j]!;
        const gg = A[a + 2 * H + j]!;
        const og = A[a + 3 * H + j]!;
        const tc = TC[o + j]!;
        const dcT = dc[k + j]! + gh * og * (1 - tc * tc);
        const di = dcT * gg * ig * (1 - ig);
        const df = dcT * Cp[o + j]! * fg * (1 - fg);
        const dg = dcT * ig * (1 - gg * gg);
        const dout = gh * tc * og * (1 - og);
        dG[a + j] = dGs[r + j] = di;
        dG[a + H + j] = dGs[r + H + j] = df;
        dG[a + 2 * H + j] = dGs[r + 2 * H + j] = dg;
        dG[a + 3 * H + j] = dGs[r + 3 * H + j] = dout;
        dc[k + j] = dcT * fg;
      }
      if (sq) sq[row] = norm;
    }
    // Rows of sequences that have ended hold stale values; their results are not copied back below.
    gemmPacked(false, B, 1, dGs, 0, G, Wp, 0, dHp, 0, H);
    for (let b = 0; b < B; b++) {
      if (s >= g.lengths[b]!) continue;
      for (let k = b * H; k < (b + 1) * H; k++) dh[k] = dHp[k]!;
    }
  }

  // dW_hh = dGᵀ · H_prev over all B·T rows.
  if (grads.weightHh) gemm(true, false, G, H, B * T, 1, dG, 0, G, Hp, 0, H, 0, grads.weightHh, 0, H);
  inputSideGrads(args, dG, grads, false);
  // dG is scratch unless it is A; after the final pass nothing reads the saved slabs either.
  releaseSlabs(args.final ? [A, Hp, Cp, TC] : [dG]);
}
