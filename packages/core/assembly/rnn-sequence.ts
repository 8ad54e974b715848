// Fused whole-sequence Elman RNN, forward and BPTT (Elman 1990; PyTorch's `nn.RNN`):
// h' = act(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh) with act = tanh or ReLU. Same algorithm, slab layout and padding
// semantics as the js backend's src/backends/js/rnn-sequence.ts.
import { gemm, gemmPackedWorkspace, packB, packedBBytes } from './gemm';
import { align, allZero, bigGemmWorkspace, carryBack, inputSideGrads, ld, maxLength, minLength, projectInputs, recurrentProduct, rowAt, sp, st, sumSquares, tanhGate, zeroPadding } from './recurrent';

/** Scratch bytes {@link rnnForward} and {@link rnnBackward} need (the larger of the two layouts). */
export function rnnWorkspace(B: i32, T: i32, X: i32, H: i32): i32 {
  const gw = max(bigGemmWorkspace(B * T, X, H, H), gemmPackedWorkspace(B, H));
  const fwd = packedBBytes(H, H) + B * H * 4 + 32;
  const bwd = packedBBytes(H, H) + 2 * B * H * 4 + 64;
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
  const steps = maxLength(lengths, B);
  const zeroStart = allZero(h, B * H);
  for (let s = 0; s < steps; s++) {
    recurrentProduct(B, H, H, h, pw, R, H, gw, s === 0 && zeroStart);
    for (let b = 0; b < B; b++) {
      const row = rowAt(lengths, T, reverse, b, s);
      if (row < 0) continue; // ended: state frozen at its last valid step
      const o = <usize>(row * H) << 2;
      const k = <usize>(b * H) << 2;
      const r = R + k;
      const h4 = H & ~3;
      for (let j = 0; j < h4; j += 4) inline.always(forwardUnits(p + o, r, bias, h + k, hp, y, o, keep, relu, <usize>j << 2, true));
      for (let j = h4; j < H; j++) inline.always(forwardUnits(p + o, r, bias, h + k, hp, y, o, keep, relu, <usize>j << 2, false));
    }
  }
}

/**
 * The state update of units j…j+3 (byte offset `jb`; one unit when `vec` is false) of one sequence at one step:
 * `pre = p + r + bias` (`p` and `r` point at this row's projection and recurrent product), the new h in place, and
 * the `y`/`hp` rows at byte offset `o` when wanted.
 */
function forwardUnits(p: usize, r: usize, bias: usize, h: usize, hp: usize, y: usize, o: usize, keep: i32, relu: i32, jb: usize, vec: bool): void {
  const pre = f32x4.add(f32x4.add(ld(p + jb, vec), ld(r + jb, vec)), ld(bias + jb, vec));
  const hNew = relu ? f32x4.max(pre, sp(0)) : inline.always(tanhGate(pre));
  if (keep) st(hp + o + jb, ld(h + jb, vec), vec);
  st(h + jb, hNew, vec);
  if (y) st(y + o + jb, hNew, vec);
}

/**
 * BPTT through units j…j+3 (byte offset `jb`; one unit when `vec` is false) of one sequence at one step: the
 * pre-activation gradient into `dA` (row at byte offset `o`) and `dAs` (the step's contiguous copy). Returns
 * ‖∂L/∂h_t‖² of these units when `sq` asks for it, else 0.
 */
function backwardUnits(dh: usize, dY: usize, y: usize, dA: usize, dAs: usize, o: usize, sq: usize, relu: i32, jb: usize, vec: bool): f64 {
  const gh = dY ? f32x4.add(ld(dh + jb, vec), ld(dY + o + jb, vec)) : ld(dh + jb, vec);
  const yv = ld(y + o + jb, vec);
  // tanh' = 1 − h²; ReLU' = [h > 0] (0 at the kink, as PyTorch).
  const d = relu ? v128.and(gh, f32x4.gt(yv, sp(0))) : f32x4.mul(gh, f32x4.sub(sp(1), f32x4.mul(yv, yv)));
  st(dA + o + jb, d, vec);
  st(dAs + jb, d, vec);
  return sq ? sumSquares(gh, vec) : 0;
}

/**
 * BPTT of {@link rnnForward} in one reverse pass, then the weight, bias and input gradients as GEMMs over all B·T
 * rows. `dh [B, H]` enters as ∂L/∂h_n and leaves as ∂L/∂h_0; `dA [B, T, H]` receives the pre-activation gradients
 * (it may be `y`: each element is read before it is written).
 * Optional (pointer 0 = skip): `dY`, `dx`, `dWih`, `dWhh`, `db`, `sq` (f64 ‖∂L/∂h_t‖² per row). With `stateGrads` 0
 * the caller drops ∂L/∂h_0: `dh` is left holding ∂L/∂h_1 (no product at step 0).
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
  stateGrads: i32,
  work: usize,
): void {
  const rows = B * T;
  const pw = align(work);
  const dAs = align(pw + <usize>packedBBytes(H, H)); // [B, H] this step's rows of dA
  const dHp = align(dAs + (<usize>(B * H) << 2)); // [B, H] dA_s · W_hh once a sequence has ended (carryBack)
  const gw = align(dHp + (<usize>(B * H) << 2));
  packB(0, H, H, whh, H, pw); // W_hh, packed once for every step
  zeroPadding(dA, lengths, B, T, H); // padded rows add nothing to the all-rows gradient GEMMs
  const minLen = minLength(lengths, B);
  for (let s = maxLength(lengths, B) - 1; s >= 0; s--) {
    for (let b = 0; b < B; b++) {
      const row = rowAt(lengths, T, reverse, b, s);
      if (row < 0) continue;
      const o = <usize>(row * H) << 2;
      const k = <usize>(b * H) << 2;
      let norm: f64 = 0;
      const h4 = H & ~3;
      for (let j = 0; j < h4; j += 4) norm += inline.always(backwardUnits(dh + k, dY, y, dA, dAs + k, o, sq, relu, <usize>j << 2, true));
      for (let j = h4; j < H; j++) norm += inline.always(backwardUnits(dh + k, dY, y, dA, dAs + k, o, sq, relu, <usize>j << 2, false));
      if (sq) store<f64>(sq + (<usize>row << 3), norm);
    }
    if (s > 0 || stateGrads) carryBack(B, H, H, s, minLen, lengths, dAs, pw, dh, dHp, gw); // ∂L/∂h_0 only when read
  }
  // dW_hh = dAᵀ · H_prev over all B·T rows.
  if (dWhh) gemm(1, 0, H, H, rows, 1, dA, H, hp, H, 0, dWhh, H, gw);
  inputSideGrads(rows, X, H, x, wih, dA, dx, dWih, db, gw);
}
