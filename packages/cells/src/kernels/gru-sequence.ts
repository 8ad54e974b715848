import { Tensor, getBackend, needsGrad, recordMulti } from '@elman/core';
import type { RecurrentWeights } from '../weights.js';
import { sigmoid } from './activations.js';
import type { HiddenGradTracker } from './hidden-grad-norms.js';
import { type SequencePlan, initialState, inputSideGrads, kernelInputs, projectInputs, rowAt } from './sequence-plan.js';

/**
 * Fused single-layer GRU over a whole sequence, gate order r, z, n (PyTorch's `nn.GRU`):
 * r = σ(W_ir x + b_ir + W_hr h + b_hr), z = σ(W_iz x + b_iz + W_hz h + b_hz), h' = (1 − z)⊙n + z⊙h with
 * - reset after (PyTorch, cuDNN): n = tanh(W_in x + b_in + r⊙(W_hn h + b_hn));
 * - reset before (Cho et al. 2014, the original): n = tanh(W_in x + b_in + W_hn (r⊙h) + b_hn), which needs r before
 *   the n block's recurrent product, so each step runs two recurrent GEMMs ([B, H]·[H, 2H], then [B, H]·[H, H]).
 *
 * One GEMM projects the inputs of all steps; backward is full BPTT in one reverse pass, weight gradients are GEMMs
 * over all B·T rows. One tape node. Returns `[output [B, T, H], h_n [B, H]]`.
 */
export function gruSequence(
  x: Tensor,
  w: RecurrentWeights<Tensor>,
  h0: Tensor | null,
  resetBefore: boolean,
  plan: SequencePlan,
  tracker: HiddenGradTracker | null,
): Tensor[] {
  const { batch: B, steps: T, hiddenSize: H } = plan;
  const G = 3 * H;
  const inputs = kernelInputs(x, w, [h0]);
  const keep = needsGrad(inputs);
  const backend = getBackend();
  const Whh = w.weightHh.data as Float32Array; // [3H, H]; rows [2H, 3H) are W_hn
  const bi = w.biasIh ? (w.biasIh.data as Float32Array) : new Float32Array(G); // [3H]
  const bh = w.biasHh ? (w.biasHh.data as Float32Array) : new Float32Array(G); // [3H]
  // x·W_ihᵀ for every step, overwritten row by row with the gate activations r, z, n.
  const A = projectInputs(x, w, plan); // [B, T, 3H]
  const Y = new Float32Array(B * T * H); // [B, T, H] outputs; padded steps stay 0
  const Hp = keep ? new Float32Array(B * T * H) : null; // [B, T, H] h_{t−1} of every step
  // Reset after: W_hn h + b_hn (∂n/∂r needs it). Reset before: r⊙h_{t−1} (dW_hn multiplies it).
  const S = keep ? new Float32Array(B * T * H) : null; // [B, T, H]
  const h = initialState(h0, B * H); // [B, H] running state
  const R = new Float32Array(B * G); // [B, 3H] recurrent products of one step
  const RH = resetBefore ? new Float32Array(B * H) : null; // [B, H] r⊙h of one step (reset before)

  for (let s = 0; s < plan.maxLen; s++) {
    if (!resetBefore) {
      backend.gemm(false, true, B, G, H, 1, h, 0, H, Whh, 0, H, 0, R, 0, G);
    } else {
      backend.gemm(false, true, B, 2 * H, H, 1, h, 0, H, Whh, 0, H, 0, R, 0, G);
      for (let b = 0; b < B; b++) {
        const row = rowAt(plan, b, s);
        if (row < 0) continue;
        const a = row * G;
        const r = b * G;
        const k = b * H;
        for (let j = 0; j < H; j++) {
          const rg = sigmoid(A[a + j]! + bi[j]! + R[r + j]! + bh[j]!);
          A[a + j] = rg;
          A[a + H + j] = sigmoid(A[a + H + j]! + bi[H + j]! + R[r + H + j]! + bh[H + j]!);
          RH![k + j] = rg * h[k + j]!;
        }
      }
      // n block: (r⊙h)·W_hnᵀ into columns [2H, 3H) of R.
      backend.gemm(false, true, B, H, H, 1, RH!, 0, H, Whh, 2 * H * H, H, 0, R, 2 * H, G);
    }
    for (let b = 0; b < B; b++) {
      const row = rowAt(plan, b, s);
      if (row < 0) continue; // ended: state frozen at its last valid step
      const a = row * G;
      const r = b * G;
      const o = row * H;
      const k = b * H;
      for (let j = 0; j < H; j++) {
        const hPrev = h[k + j]!;
        let rg: number;
        let zg: number;
        let hn: number;
        let ng: number;
        if (!resetBefore) {
          rg = sigmoid(A[a + j]! + bi[j]! + R[r + j]! + bh[j]!);
          zg = sigmoid(A[a + H + j]! + bi[H + j]! + R[r + H + j]! + bh[H + j]!);
          hn = R[r + 2 * H + j]! + bh[2 * H + j]!;
          ng = Math.tanh(A[a + 2 * H + j]! + bi[2 * H + j]! + rg * hn);
          A[a + j] = rg;
          A[a + H + j] = zg;
          if (keep) S![o + j] = hn;
        } else {
          rg = A[a + j]!;
          zg = A[a + H + j]!;
          ng = Math.tanh(A[a + 2 * H + j]! + bi[2 * H + j]! + R[r + 2 * H + j]! + bh[2 * H + j]!);
          if (keep) S![o + j] = RH![k + j]!;
        }
        A[a + 2 * H + j] = ng;
        if (keep) Hp![o + j] = hPrev;
        const hNew = ng + zg * (hPrev - ng);
        h[k + j] = hNew;
        Y[o + j] = hNew;
      }
    }
  }

  const outputs = [new Tensor(Y, [B, T, H]), new Tensor(h, [B, H])];
  return recordMulti('gruSequence', inputs, outputs, { A, Hp, S }, (grads, saved) => {
    const [gY, gH] = grads;
    const A = saved.A;
    // Backward only runs when the node was recorded, i.e. when `keep` allocated the saved slabs.
    const Hprev = saved.Hp!;
    const Sv = saved.S!;
    const dY = gY ? (gY.data as Float32Array) : null; // [B, T, H]
    const dh = gH ? new Float32Array(gH.data as Float32Array) : new Float32Array(B * H); // [B, H] ∂L/∂h carried back
    // Input-side pre-activation gradients (r, z, n), which for r and z are also the hidden side's.
    const dG = new Float32Array(B * T * G); // [B, T, 3H]; padded rows stay 0
    // Hidden-side gradient of the n block when it differs (reset after: ∂L/∂(W_hn h + b_hn) = dn_pre⊙r).
    const dGn = resetBefore ? null : new Float32Array(B * T * H); // [B, T, H]
    const dGs = new Float32Array(B * G); // [B, 3H] this step's hidden-side rows, contiguous for the GEMMs
    const dHp = new Float32Array(B * H); // [B, H] GEMM result: ∂L/∂h_{t−1} (reset before: first ∂L/∂(r⊙h))
    const sq = tracker ? tracker.begin() : null;

    for (let s = plan.maxLen - 1; s >= 0; s--) {
      for (let b = 0; b < B; b++) {
        const row = rowAt(plan, b, s);
        if (row < 0) continue;
        const a = row * G;
        const r = b * G;
        const o = row * H;
        const k = b * H;
        let norm = 0;
        for (let j = 0; j < H; j++) {
          const gh = dh[k + j]! + (dY ? dY[o + j]! : 0);
          norm += gh * gh;
          const rg = A[a + j]!;
          const zg = A[a + H + j]!;
          const ng = A[a + 2 * H + j]!;
          const dnPre = gh * (1 - zg) * (1 - ng * ng);
          const dzPre = gh * (Hprev[o + j]! - ng) * zg * (1 - zg);
          dG[a + H + j] = dGs[r + H + j] = dzPre;
          dG[a + 2 * H + j] = dnPre;
          if (!resetBefore) {
            const hn = Sv[o + j]!;
            const drPre = dnPre * hn * rg * (1 - rg);
            dG[a + j] = dGs[r + j] = drPre;
            dGn![o + j] = dGs[r + 2 * H + j] = dnPre * rg;
          } else {
            dGs[r + 2 * H + j] = dnPre;
          }
          dh[k + j] = gh * zg; // the direct path h' = … + z⊙h; recurrent terms are added below
        }
        if (sq) sq[row] = norm;
      }
      if (resetBefore) {
        // ∂L/∂(r⊙h) = dn_pre · W_hn, then r's gradient and the r⊙h path into h_{t−1}.
        backend.gemm(false, false, B, H, H, 1, dGs, 2 * H, G, Whh, 2 * H * H, H, 0, dHp, 0, H);
        for (let b = 0; b < B; b++) {
          const row = rowAt(plan, b, s);
          if (row < 0) continue;
          const a = row * G;
          const r = b * G;
          const o = row * H;
          const k = b * H;
          for (let j = 0; j < H; j++) {
            const rg = A[a + j]!;
            const dRh = dHp[k + j]!;
            dG[a + j] = dGs[r + j] = dRh * Hprev[o + j]! * rg * (1 - rg);
            dh[k + j] = dh[k + j]! + dRh * rg;
          }
        }
      }
      // Rows of sequences that have ended hold stale values; their results are not added below.
      // Reset after: all three blocks [B, 3H]·[3H, H]; reset before: the r, z blocks [B, 2H]·[2H, H].
      backend.gemm(false, false, B, H, resetBefore ? 2 * H : G, 1, dGs, 0, G, Whh, 0, H, 0, dHp, 0, H);
      for (let b = 0; b < B; b++) {
        if (s >= plan.lengths[b]!) continue;
        for (let k = b * H; k < (b + 1) * H; k++) dh[k] = dh[k]! + dHp[k]!;
      }
    }

    let dWhh: Float32Array | null = null;
    if (w.weightHh.requiresGrad) {
      dWhh = new Float32Array(G * H); // [3H, H]
      // r, z blocks: dGᵀ · H_prev over all B·T rows.
      backend.gemm(true, false, 2 * H, H, B * T, 1, dG, 0, G, Hprev, 0, H, 0, dWhh, 0, H);
      // n block: (dn_pre⊙r)ᵀ · H_prev (reset after) or dn_preᵀ · (r⊙h_prev) (reset before).
      if (dGn) backend.gemm(true, false, H, H, B * T, 1, dGn, 0, H, Hprev, 0, H, 0, dWhh, 2 * H * H, H);
      else backend.gemm(true, false, H, H, B * T, 1, dG, 2 * H, G, Sv, 0, H, 0, dWhh, 2 * H * H, H);
    }
    let dbHh: Float32Array | null = null;
    if (dGn && w.biasHh) {
      // b_hn sits inside r⊙(·): its gradient is Σ dn_pre⊙r, the other blocks' equal b_ih's.
      dbHh = new Float32Array(G); // [3H]
      backend.reduce('sum', dG, 1, B * T, G, dbHh);
      const dbn = new Float32Array(H); // [H]
      backend.reduce('sum', dGn, 1, B * T, H, dbn);
      dbHh.set(dbn, 2 * H);
    }
    return inputSideGrads(x, w, plan, dG, dWhh, dbHh, [h0], [dh]);
  });
}
