import type { RecurrentBackwardArgs, RecurrentForwardArgs, RecurrentSaved } from '../recurrent.js';
import { fastTanh } from './fast-math.js';
import { gemm, gemmPacked, stepArray } from './parallel-gemm.js';
import { gradientSlab, inputSideGrads, packRecurrent, projectInputs, rowAt, sigmoid } from './recurrent-common.js';
import { reduce } from './reduce.js';
import { releaseSlabs, takeSlab } from './slab-pool.js';

function resetBeforeOf(args: RecurrentForwardArgs | RecurrentBackwardArgs): boolean {
  return args.cell.kind === 'gru' && args.cell.resetBefore;
}

/**
 * Fused single-layer GRU forward over a whole sequence, gate order r, z, n (PyTorch's `nn.GRU`):
 * r = σ(W_ir x + b_ir + W_hr h + b_hr), z = σ(W_iz x + b_iz + W_hz h + b_hz), h' = (1 − z)⊙n + z⊙h with
 * - reset after (PyTorch, cuDNN): n = tanh(W_in x + b_in + r⊙(W_hn h + b_hn));
 * - reset before (Cho et al. 2014, the original): n = tanh(W_in x + b_in + W_hn (r⊙h) + b_hn), which needs r before
 *   the n block's recurrent product, so each step runs two recurrent GEMMs ([B, H]·[H, 2H], then [B, H]·[H, H]).
 * Saves gates r, z, n, h_{t−1}, and W_hn h + b_hn (reset after) or r⊙h_{t−1} (reset before).
 */
export function gruForward(args: RecurrentForwardArgs): RecurrentSaved | null {
  const { geometry: g, weights, h, output: Y, keep } = args;
  const resetBefore = resetBeforeOf(args);
  const { batch: B, steps: T, hiddenSize: H } = g;
  const G = 3 * H;
  const Whh = weights.weightHh; // [3H, H]; rows [2H, 3H) are W_hn
  const bi = weights.biasIh ?? new Float32Array(G); // [3H]
  const bh = weights.biasHh ?? new Float32Array(G); // [3H]
  // x·W_ihᵀ for every step, overwritten row by row with the gate activations r, z, n.
  const A = projectInputs(args, G); // [B, T, 3H]
  const Hp = keep ? takeSlab(B * T * H) : null; // [B, T, H] h_{t−1} of every step
  // Reset after: W_hn h + b_hn (∂n/∂r needs it). Reset before: r⊙h_{t−1} (dW_hn multiplies it).
  const S = keep ? takeSlab(B * T * H) : null; // [B, T, H]
  const R = stepArray('R', B * G); // [B, 3H] recurrent products of one step
  const RH = resetBefore ? stepArray('RH', B * H) : null; // [B, H] r⊙h of one step (reset before)
  // W_hhᵀ packed once for every step: all three blocks [H, 3H] (reset after), or the r, z blocks [H, 2H] and the
  // n block [H, H] apart (reset before).
  const WhhT = packRecurrent(0, true, H, resetBefore ? 2 * H : G, Whh, 0, H);
  const WhnT = resetBefore ? packRecurrent(1, true, H, H, Whh, 2 * H * H, H) : null;

  for (let s = 0; s < g.maxLen; s++) {
    if (!resetBefore) {
      gemmPacked(false, B, 1, h, 0, H, WhhT, 0, R, 0, G);
    } else {
      gemmPacked(false, B, 1, h, 0, H, WhhT, 0, R, 0, G);
      for (let b = 0; b < B; b++) {
        const row = rowAt(g, b, s);
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
      gemmPacked(false, B, 1, RH!, 0, H, WhnT!, 0, R, 2 * H, G);
    }
    for (let b = 0; b < B; b++) {
      const row = rowAt(g, b, s);
      if (row < 0) continue; // ended: state frozen at its last valid step
      const a = row * G;
      const r = b * G;
      const o = row * H;
      const k = b * H;
      for (let j = 0; j < H; j++) {
        const hPrev = h[k + j]!;
        let zg: number;
        let ng: number;
        if (!resetBefore) {
          const rg = sigmoid(A[a + j]! + bi[j]! + R[r + j]! + bh[j]!);
          zg = sigmoid(A[a + H + j]! + bi[H + j]! + R[r + H + j]! + bh[H + j]!);
          const hn = R[r + 2 * H + j]! + bh[2 * H + j]!;
          ng = fastTanh(A[a + 2 * H + j]! + bi[2 * H + j]! + rg * hn);
          A[a + j] = rg;
          A[a + H + j] = zg;
          if (keep) S![o + j] = hn;
        } else {
          zg = A[a + H + j]!;
          ng = fastTanh(A[a + 2 * H + j]! + bi[2 * H + j]! + R[r + 2 * H + j]! + bh[2 * H + j]!);
          if (keep) S![o + j] = RH![k + j]!;
        }
        A[a + 2 * H + j] = ng;
        if (keep) Hp![o + j] = hPrev;
        const hNew = ng + zg * (hPrev - ng);
        h[k + j] = hNew;
        if (Y) Y[o + j] = hNew;
      }
    }
  }
  if (!keep) releaseSlabs([A]);
  return keep ? { slabs: [A, Hp!, S!] } : null;
}

/** BPTT of {@link gruForward} in one reverse pass; the weight gradients are then GEMMs over all B·T rows. */
export function gruBackward(args: RecurrentBackwardArgs): void {
  const { geometry: g, weights, dOutput: dY, dh, grads } = args;
  const resetBefore = resetBeforeOf(args);
  const { batch: B, steps: T, hiddenSize: H } = g;
  const G = 3 * H;
  const Whh = weights.weightHh; // [3H, H]
  const [A, Hprev, Sv] = args.saved.slabs as [Float32Array, Float32Array, Float32Array];
  // Input-side pre-activation gradients (r, z, n), which for r and z are also the hidden side's.
  const dG = gradientSlab(args, A, G); // [B, T, 3H] (over A when final); padded rows 0
  // Hidden-side gradient of the n block when it differs (reset after: ∂L/∂(W_hn h + b_hn) = dn_pre⊙r).
  const dGn = resetBefore ? null : takeSlab(B * T * H); // [B, T, H]
  const dGs = stepArray('dGs', B * G); // [B, 3H] this step's hidden-side rows, contiguous for the GEMMs
  const dHp = stepArray('dHp', B * H); // [B, H] GEMM result: ∂L/∂h_{t−1} (reset before: first ∂L/∂(r⊙h))
  const sq = args.hiddenGradSquares;
  // W_hh packed once for every step: [3H, H] (reset after) or the r, z rows [2H, H] and W_hn [H, H] apart.
  const Wp = packRecurrent(0, false, resetBefore ? 2 * H : G, H, Whh, 0, H);
  const Wn = resetBefore ? packRecurrent(1, false, H, H, Whh, 2 * H * H, H) : null;

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
      gemmPacked(false, B, 1, dGs, 2 * H, G, Wn!, 0, dHp, 0, H);
      for (let b = 0; b < B; b++) {
        const row = rowAt(g, b, s);
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
    gemmPacked(false, B, 1, dGs, 0, G, Wp, 0, dHp, 0, H);
    for (let b = 0; b < B; b++) {
      if (s >= g.lengths[b]!) continue;
      for (let k = b * H; k < (b + 1) * H; k++) dh[k] = dh[k]! + dHp[k]!;
    }
  }

  const dWhh = grads.weightHh;
  if (dWhh) {
    // r, z blocks: dGᵀ · H_prev over all B·T rows.
    gemm(true, false, 2 * H, H, B * T, 1, dG, 0, G, Hprev, 0, H, 0, dWhh, 0, H);
    // n block: (dn_pre⊙r)ᵀ · H_prev (reset after) or dn_preᵀ · (r⊙h_prev) (reset before).
    if (dGn) gemm(true, false, H, H, B * T, 1, dGn, 0, H, Hprev, 0, H, 0, dWhh, 2 * H * H, H);
    else gemm(true, false, H, H, B * T, 1, dG, 2 * H, G, Sv, 0, H, 0, dWhh, 2 * H * H, H);
  }
  const ownBiasHh = dGn !== null && grads.biasHh !== null;
  if (ownBiasHh) {
    // b_hn sits inside r⊙(·): its gradient is Σ dn_pre⊙r, the other blocks' equal b_ih's.
    const dbHh = grads.biasHh!;
    reduce('sum', dG, 1, B * T, G, dbHh);
    reduce('sum', dGn!, 1, B * T, H, dbHh.subarray(2 * H));
  }
  inputSideGrads(args, dG, grads, ownBiasHh);
  // dG (unless it is A) and dGn are scratch; after the final pass nothing reads the saved slabs either.
  releaseSlabs(args.final ? [A, Hprev, Sv, dGn] : [dG, dGn]);
}
