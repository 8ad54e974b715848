// Fused whole-sequence LSTM, forward and BPTT (Hochreiter & Schmidhuber 1997; PyTorch's gate order i, f, g, o):
// i, f, o = σ(·), g = tanh(·) of x W_ihᵀ + b_ih + h W_hhᵀ + b_hh; c' = f⊙c + i⊙g; h' = o⊙tanh(c').
// Same algorithm, slab layout and padding semantics as the js backend's src/backends/js/lstm-sequence.ts.
import { gemm, gemmPackedWorkspace, packB, packedBBytes } from './gemm';
import { align, allZero, bigGemmWorkspace, carryBack, inputSideGrads, ld, maxLength, minLength, projectInputs, recurrentProduct, rowAt, sigmoidGate, sp, st, sumSquares, tanhGate, zeroPadding } from './recurrent';

/** Scratch bytes {@link lstmForward} and {@link lstmBackward} need (the larger of the two layouts). */
export function lstmWorkspace(B: i32, T: i32, X: i32, H: i32): i32 {
  const G = 4 * H;
  const gw = max(bigGemmWorkspace(B * T, X, H, G), gemmPackedWorkspace(B, max(G, H)));
  const fwd = packedBBytes(G, H) + B * G * 4 + 32;
  const bwd = packedBBytes(H, G) + B * G * 4 + B * H * 4 + 64;
  return max(fwd, bwd) + gw + 16;
}

/**
 * Forward over all steps. `gates [B, T, 4H]` receives the activations i, f, g, o; `h`, `c` `[B, H]` hold the
 * initial state and end as the final one; `y [B, T, H]` the outputs (padded rows zeroed; pointer 0 = skip them). With `keep`, `hp`, `cp`,
 * `tc` `[B, T, H]` receive h_{t−1}, c_{t−1} and tanh(c_t) for the backward pass.
 */
export function lstmForward(
  B: i32,
  T: i32,
  X: i32,
  H: i32,
  lengths: usize,
  reverse: i32,
  x: usize,
  wih: usize,
  whh: usize,
  bias: usize,
  h: usize,
  c: usize,
  y: usize,
  gates: usize,
  keep: i32,
  hp: usize,
  cp: usize,
  tc: usize,
  work: usize,
): void {
  const G = 4 * H;
  const rows = B * T;
  const Hb = <usize>H << 2;
  const pw = align(work);
  const R = align(pw + <usize>packedBBytes(G, H)); // [B, 4H] h·W_hhᵀ of one step
  const gw = align(R + (<usize>(B * G) << 2));
  projectInputs(rows, X, G, x, wih, gates, gw); // [B, T, 4H] x·W_ihᵀ
  packB(1, G, H, whh, H, pw); // W_hhᵀ [H, 4H], packed once for every step
  // Padded rows: outputs are 0, and saved rows must be finite zeros (the all-rows weight-gradient GEMMs read them).
  if (y) zeroPadding(y, lengths, B, T, H);
  if (keep) {
    zeroPadding(hp, lengths, B, T, H);
    zeroPadding(cp, lengths, B, T, H);
    zeroPadding(tc, lengths, B, T, H);
  }
  const steps = maxLength(lengths, B);
  const zeroStart = allZero(h, B * H);
  for (let s = 0; s < steps; s++) {
    recurrentProduct(B, G, H, h, pw, R, G, gw, s === 0 && zeroStart);
    for (let b = 0; b < B; b++) {
      const row = rowAt(lengths, T, reverse, b, s);
      if (row < 0) continue; // ended: state frozen at its last valid step
      const a = gates + (<usize>(row * G) << 2);
      const r = R + (<usize>(b * G) << 2);
      const o = <usize>(row * H) << 2;
      const k = <usize>(b * H) << 2;
      const h4 = H & ~3;
      // Two passes over the row: the gates and c' (four independent activation chains per vector), then tanh(c') and
      // h'. In one pass the tanh(c') chain waits on the gates' chains and the two serialise every vector; split, each
      // pass's vectors are independent and overlap in the out-of-order window.
      for (let j = 0; j < h4; j += 4) inline.always(gateUnits(a, r, bias, c + k, h + k, o, hp, cp, keep, Hb, <usize>j << 2, true));
      for (let j = h4; j < H; j++) inline.always(gateUnits(a, r, bias, c + k, h + k, o, hp, cp, keep, Hb, <usize>j << 2, false));
      for (let j = 0; j < h4; j += 4) inline.always(outputUnits(a, c + k, h + k, o, tc, y, keep, Hb, <usize>j << 2, true));
      for (let j = h4; j < H; j++) inline.always(outputUnits(a, c + k, h + k, o, tc, y, keep, Hb, <usize>j << 2, false));
    }
  }
}

/**
 * BPTT through units j…j+3 (byte offset `jb`; one unit when `vec` is false) of one sequence at one step: the gate
 * pre-activation gradients into `ga` (this row of dG) and `r` (the step's contiguous copy for the dh GEMM), ∂L/∂c
 * carried back in `dc`. `a` is the row's saved gates, `o` the byte offset of its `[B, T, H]` rows. Returns
 * ‖∂L/∂h_t‖² of these units when `sq` asks for it (four lane extractions per vector otherwise saved), else 0.
 */
function backwardUnits(
  a: usize,
  ga: usize,
  r: usize,
  o: usize,
  tc: usize,
  cp: usize,
  dh: usize,
  dc: usize,
  dY: usize,
  sq: usize,
  Hb: usize,
  jb: usize,
  vec: bool,
): f64 {
  const one = sp(1);
  const gh = dY ? f32x4.add(ld(dh + jb, vec), ld(dY + o + jb, vec)) : ld(dh + jb, vec);
  const ig = ld(a + jb, vec);
  const fg = ld(a + Hb + jb, vec);
  const gg = ld(a + 2 * Hb + jb, vec);
  const og = ld(a + 3 * Hb + jb, vec);
  const tcv = ld(tc + o + jb, vec);
  const dcT = f32x4.add(ld(dc + jb, vec), f32x4.mul(f32x4.mul(gh, og), f32x4.sub(one, f32x4.mul(tcv, tcv))));
  const di = f32x4.mul(f32x4.mul(dcT, gg), f32x4.mul(ig, f32x4.sub(one, ig)));
  const df = f32x4.mul(f32x4.mul(dcT, ld(cp + o + jb, vec)), f32x4.mul(fg, f32x4.sub(one, fg)));
  const dg = f32x4.mul(f32x4.mul(dcT, ig), f32x4.sub(one, f32x4.mul(gg, gg)));
  const dout = f32x4.mul(f32x4.mul(gh, tcv), f32x4.mul(og, f32x4.sub(one, og)));
  st(ga + jb, di, vec);
  st(r + jb, di, vec);
  st(ga + Hb + jb, df, vec);
  st(r + Hb + jb, df, vec);
  st(ga + 2 * Hb + jb, dg, vec);
  st(r + 2 * Hb + jb, dg, vec);
  st(ga + 3 * Hb + jb, dout, vec);
  st(r + 3 * Hb + jb, dout, vec);
  st(dc + jb, f32x4.mul(dcT, fg), vec);
  return sq ? sumSquares(gh, vec) : 0;
}

/**
 * The gates of units j…j+3 (byte offset `jb`; one unit when `vec` is false) of one sequence at one step: gate
 * activations from the projection `a`, the recurrent product `r` and the bias, written back over `a`; the new cell
 * state c' in place, h_{t−1} and c_{t−1} to `hp`/`cp` rows at byte offset `o` when `keep`.
 */
function gateUnits(a: usize, r: usize, bias: usize, c: usize, h: usize, o: usize, hp: usize, cp: usize, keep: i32, Hb: usize, jb: usize, vec: bool): void {
  const ig = inline.always(sigmoidGate(f32x4.add(f32x4.add(ld(a + jb, vec), ld(r + jb, vec)), ld(bias + jb, vec))));
  const fg = inline.always(sigmoidGate(f32x4.add(f32x4.add(ld(a + Hb + jb, vec), ld(r + Hb + jb, vec)), ld(bias + Hb + jb, vec))));
  const gg = inline.always(tanhGate(f32x4.add(f32x4.add(ld(a + 2 * Hb + jb, vec), ld(r + 2 * Hb + jb, vec)), ld(bias + 2 * Hb + jb, vec))));
  const og = inline.always(sigmoidGate(f32x4.add(f32x4.add(ld(a + 3 * Hb + jb, vec), ld(r + 3 * Hb + jb, vec)), ld(bias + 3 * Hb + jb, vec))));
  const cPrev = ld(c + jb, vec);
  st(a + jb, ig, vec);
  st(a + Hb + jb, fg, vec);
  st(a + 2 * Hb + jb, gg, vec);
  st(a + 3 * Hb + jb, og, vec);
  if (keep) {
    st(hp + o + jb, ld(h + jb, vec), vec);
    st(cp + o + jb, cPrev, vec);
  }
  st(c + jb, f32x4.add(f32x4.mul(fg, cPrev), f32x4.mul(ig, gg)), vec);
}

/**
 * The outputs of units j…j+3 after {@link gateUnits}: h' = o⊙tanh(c') in place, tanh(c') to `tc` when `keep`, h'
 * to `y` when wanted (rows at byte offset `o`; `a` holds the row's gate activations).
 */
function outputUnits(a: usize, c: usize, h: usize, o: usize, tc: usize, y: usize, keep: i32, Hb: usize, jb: usize, vec: bool): void {
  const tcv = inline.always(tanhGate(ld(c + jb, vec)));
  const hNew = f32x4.mul(ld(a + 3 * Hb + jb, vec), tcv);
  if (keep) st(tc + o + jb, tcv, vec);
  st(h + jb, hNew, vec);
  if (y) st(y + o + jb, hNew, vec);
}

/**
 * BPTT of {@link lstmForward} in one reverse pass (one packed GEMM per step for ∂L/∂h_{t−1}), then the weight,
 * bias and input gradients as GEMMs over all B·T rows. `dh`, `dc` `[B, H]` enter as ∂L/∂h_n, ∂L/∂c_n and leave as
 * ∂L/∂h_0, ∂L/∂c_0; `dG [B, T, 4H]` receives the gate pre-activation gradients (it may be `gates`: each
 * element is read before it is written). Optional outputs (pointer 0 = skip):
 * `dY` (input), `dx`, `dWih`, `dWhh`, `db` (db_ih, which is also db_hh), `sq` (f64 ‖∂L/∂h_t‖² per row). With
 * `stateGrads` 0 the caller drops ∂L/∂h_0: `dh` is left holding ∂L/∂h_1 (no product at step 0).
 */
export function lstmBackward(
  B: i32,
  T: i32,
  X: i32,
  H: i32,
  lengths: usize,
  reverse: i32,
  x: usize,
  wih: usize,
  whh: usize,
  gates: usize,
  hp: usize,
  cp: usize,
  tc: usize,
  dY: usize,
  dh: usize,
  dc: usize,
  dG: usize,
  dx: usize,
  dWih: usize,
  dWhh: usize,
  db: usize,
  sq: usize,
  stateGrads: i32,
  work: usize,
): void {
  const G = 4 * H;
  const rows = B * T;
  const Hb = <usize>H << 2;
  const pw = align(work);
  const dGs = align(pw + <usize>packedBBytes(H, G)); // [B, 4H] this step's rows of dG, contiguous for the GEMM
  const dHp = align(dGs + (<usize>(B * G) << 2)); // [B, H] dG_s · W_hh once a sequence has ended (carryBack)
  const gw = align(dHp + (<usize>(B * H) << 2));
  packB(0, H, G, whh, H, pw); // W_hh [4H, H], packed once for every step
  zeroPadding(dG, lengths, B, T, G); // padded rows add nothing to the all-rows gradient GEMMs
  const minLen = minLength(lengths, B);
  for (let s = maxLength(lengths, B) - 1; s >= 0; s--) {
    for (let b = 0; b < B; b++) {
      const row = rowAt(lengths, T, reverse, b, s);
      if (row < 0) continue;
      const a = gates + (<usize>(row * G) << 2);
      const ga = dG + (<usize>(row * G) << 2);
      const r = dGs + (<usize>(b * G) << 2);
      const o = <usize>(row * H) << 2;
      const k = <usize>(b * H) << 2;
      let norm: f64 = 0;
      const h4 = H & ~3;
      for (let j = 0; j < h4; j += 4) norm += inline.always(backwardUnits(a, ga, r, o, tc, cp, dh + k, dc + k, dY, sq, Hb, <usize>j << 2, true));
      for (let j = h4; j < H; j++) norm += inline.always(backwardUnits(a, ga, r, o, tc, cp, dh + k, dc + k, dY, sq, Hb, <usize>j << 2, false));
      if (sq) store<f64>(sq + (<usize>row << 3), norm);
    }
    // ∂L/∂h_0 (processing step 0) only when the caller reads it: one step's GEMM fewer from a default zero state.
    if (s > 0 || stateGrads) carryBack(B, H, G, s, minLen, lengths, dGs, pw, dh, dHp, gw);
  }
  // dW_hh = dGᵀ · H_prev over all B·T rows.
  if (dWhh) gemm(1, 0, G, H, rows, 1, dG, G, hp, H, 0, dWhh, H, gw);
  inputSideGrads(rows, X, G, x, wih, dG, dx, dWih, db, gw);
}
