// Fused whole-sequence Elman RNN, forward and BPTT (Elman 1990; PyTorch's `nn.RNN`):
// h' = act(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh) with act = tanh or ReLU. Same algorithm, slab layout and padding
// semantics as the js backend's src/backends/js/rnn-sequence.ts.
import { gemm, gemmPacked, gemmPackedWorkspace, packB, packedBBytes } from './gemm';
import { tanhv } from './math';
import { align, bigGemmWorkspace, inputSideGrads, ld, maxLength, projectInputs, rowAt, sp, st, sumSquares, zeroPadding } from './recurrent';

/** Scratch bytes {@link rnnForward} and {@link rnnBackward} need (the larger of the two layouts). */
export function rnnWorkspace(B: i32, T: i32, X: i32, H: i32): i32 {
  const gw = max(bigGemmWorkspace(B * T, X, H, H), gemmPackedWorkspace(B, H));
  const fwd = packedBBytes(H, H) + B * H * 4 + 32;
  const bwd = packedBBytes(H, H) + 2 * B * H * 4 + (H + 2) * 8 + 64;
  return max(fwd, bwd) + gw + 16;
}

/**
 * Forward over all steps: `y [B, T, H]` receives the outputs (padded rows zeroed; pointer 0 = skip them, never with `keep`: backward reads them), `h [B, H]` holds the initial
 * state and ends as the final one; with `keep`, `hp [B, T, H]` receives h_{t−1}. `relu` picks ReLU over tanh.
 * `p [B, T, H]` is scratch for the input projection.
 */
export function rnnForward(
  B: i32,
  T: i32,
  X: i32,
  H: i32,
  lengths: usize,
  reverse: i32,
  relu: i32,
  x: usize,
  wih: usize,
  whh: usize,
  bias: usize,
  h: usize,
  y: usize,
  p: usize,
  keep: i32,
  hp: usize,
  work: usize,
): void {
  const rows = B * T;
  const pw = align(work);
  const R = align(pw + <usize>packedBBytes(H, H)); // [B, H] h·W_hhᵀ of one step
  const gw = align(R + (<usize>(B * H) << 2));
  projectInputs(rows, X, H, x, wih, p, gw); // [B, T, H] x·W_ihᵀ
  packB(1, H, H, whh, H, pw); // W_hhᵀ, packed once for every step
  // Padded rows: outputs are 0, and saved rows must be finite zeros (the all-rows weight-gradient GEMMs read them).
  if (y) zeroPadding(y, lengths, B, T, H);
  if (keep) zeroPadding(hp, lengths, B, T, H);
  const zero = sp(0);
  const steps = maxLength(lengths, B);
  for (let s = 0; s < steps; s++) {
    gemmPacked(B, H, H, h, H, pw, R, H, gw);
    for (let b = 0; b < B; b++) {
      const row = rowAt(lengths, T, reverse, b, s);
      if (row < 0) continue; // ended: state frozen at its last valid step
      const o = <usize>(row * H) << 2;
      const k = <usize>(b * H) << 2;
      const r = R + k;
      for (let j = 0; j < H; ) {
        const vec = j + 4 <= H;
        const jb = <usize>j << 2;
        const pre = f32x4.add(f32x4.add(ld(p + o + jb, vec), ld(r + jb, vec)), ld(bias + jb, vec));
        const hNew = relu ? f32x4.max(pre, zero) : tanhv(pre);
        if (keep) st(hp + o + jb, ld(h + k + jb, vec), vec);
        st(h + k + jb, hNew, vec);
        if (y) st(y + o + jb, hNew, vec);
        j += vec ? 4 : 1;
      }
    }
  }
}

/**
 * BPTT of {@link rnnForward} in one reverse pass, then the weight, bias and input gradients as GEMMs over all B·T
 * rows. `dh [B, H]` enters as ∂L/∂h_n and leaves as ∂L/∂h_0; `dA [B, T, H]` receives the pre-activation gradients
 * (it may be `y`: each element is read before it is written).
 * Optional (pointer 0 = skip): `dY`, `dx`, `dWih`, `dWhh`, `db`, `sq` (f64 ‖∂L/∂h_t‖² per row).
 */
export function rnnBackward(
  B: i32,
  T: i32,
  X: i32,
  H: i32,
  lengths: usize,
  reverse: i32,
  relu: i32,
  x: usize,
  wih: usize,
  whh: usize,
  y: usize,
  hp: usize,
  dY: usize,
  dh: usize,
  dA: usize,
  dx: usize,
  dWih: usize,
  dWhh: usize,
  db: usize,
  sq: usize,
  work: usize,
): void {
  const rows = B * T;
  const Hb = <usize>H << 2;
  const pw = align(work);
  const dAs = align(pw + <usize>packedBBytes(H, H)); // [B, H] this step's rows of dA
  const dHp = align(dAs + (<usize>(B * H) << 2)); // [B, H] dA_s · W_hh = ∂L/∂h_{t−1}
  const acc = align(dHp + (<usize>(B * H) << 2));
  const gw = align(acc + (<usize>(H + 2) << 3));
  packB(0, H, H, whh, H, pw); // W_hh, packed once for every step
  zeroPadding(dA, lengths, B, T, H); // padded rows add nothing to the all-rows gradient GEMMs
  const zero = sp(0);
  const one = sp(1);
  for (let s = maxLength(lengths, B) - 1; s >= 0; s--) {
    for (let b = 0; b < B; b++) {
      const row = rowAt(lengths, T, reverse, b, s);
      if (row < 0) continue;
      const o = <usize>(row * H) << 2;
      const k = <usize>(b * H) << 2;
      let norm: f64 = 0;
      for (let j = 0; j < H; ) {
        const vec = j + 4 <= H;
        const jb = <usize>j << 2;
        const gh = f32x4.add(ld(dh + k + jb, vec), dY ? ld(dY + o + jb, vec) : zero);
        norm += sumSquares(gh, vec);
        const yv = ld(y + o + jb, vec);
        // tanh' = 1 − h²; ReLU' = [h > 0] (0 at the kink, as PyTorch).
        const d = relu ? v128.and(gh, f32x4.gt(yv, zero)) : f32x4.mul(gh, f32x4.sub(one, f32x4.mul(yv, yv)));
        st(dA + o + jb, d, vec);
        st(dAs + k + jb, d, vec);
        j += vec ? 4 : 1;
      }
      if (sq) store<f64>(sq + (<usize>row << 3), norm);
    }
    // Rows of sequences that have ended hold stale values; their results are not copied back below.
    gemmPacked(B, H, H, dAs, H, pw, dHp, H, gw);
    for (let b = 0; b < B; b++) {
      if (s >= load<i32>(lengths + (<usize>b << 2))) continue;
      memory.copy(dh + (<usize>(b * H) << 2), dHp + (<usize>(b * H) << 2), Hb);
    }
  }
  // dW_hh = dAᵀ · H_prev over all B·T rows.
  if (dWhh) gemm(1, 0, H, H, rows, 1, dA, H, hp, H, 0, dWhh, H, gw);
  inputSideGrads(rows, X, H, x, wih, dA, dx, dWih, db, acc, gw);
}
