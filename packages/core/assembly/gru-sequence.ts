// Fused whole-sequence GRU, forward and BPTT, gate order r, z, n (PyTorch's `nn.GRU`):
// r = σ(W_ir x + b_ir + W_hr h + b_hr), z = σ(W_iz x + b_iz + W_hz h + b_hz), h' = (1 − z)⊙n + z⊙h with
// - reset after (PyTorch, cuDNN): n = tanh(W_in x + b_in + r⊙(W_hn h + b_hn)), one recurrent GEMM per step;
// - reset before (Cho et al. 2014): n = tanh(W_in x + b_in + W_hn (r⊙h) + b_hn), two per step (r first).
// Same algorithm, slab layout and padding semantics as the js backend's src/backends/js/gru-sequence.ts.
import { gemm, gemmPacked, gemmPackedWorkspace, packB, packedBBytes } from './gemm';
import {
  align,
  allZero,
  bigGemmWorkspace,
  columnSums,
  inputSideGrads,
  ld,
  maxLength,
  projectInputs,
  recurrentProduct,
  rowAt,
  sigmoidGate,
  sp,
  st,
  sumSquares,
  tanhGate,
  zeroPadding,
} from './recurrent';

/** Scratch bytes {@link gruForward} and {@link gruBackward} need (either reset placement). */
export function gruWorkspace(B: i32, T: i32, X: i32, H: i32): i32 {
  const G = 3 * H;
  const gw = max(bigGemmWorkspace(B * T, X, H, G), gemmPackedWorkspace(B, G));
  const packed = max(packedBBytes(G, H), packedBBytes(H, G)) + packedBBytes(H, H);
  return packed + B * G * 4 + 2 * B * H * 4 + 128 + gw + 16;
}

/**
 * Forward over all steps. `gates [B, T, 3H]` receives r, z, n; `h [B, H]` holds the initial state and ends as the
 * final one; `y [B, T, H]` the outputs (padded rows zeroed; pointer 0 = skip them). With `keep`, `hp [B, T, H]` receives h_{t−1} and
 * `sv [B, T, H]` W_hn h + b_hn (reset after) or r⊙h_{t−1} (reset before). `bi`, `bh` are the biases (zeros for none).
 */
export function gruForward(
  B: i32,
  T: i32,
  X: i32,
  H: i32,
  lengths: usize,
  reverse: i32,
  resetBefore: i32,
  x: usize,
  wih: usize,
  whh: usize,
  bi: usize,
  bh: usize,
  h: usize,
  y: usize,
  gates: usize,
  keep: i32,
  hp: usize,
  sv: usize,
  work: usize,
): void {
  const G = 3 * H;
  const rows = B * T;
  const Hb = <usize>H << 2;
  const whn = whh + (<usize>(2 * H * H) << 2); // rows [2H, 3H) of W_hh
  const pw = align(work); // W_hhᵀ (reset after) or [W_hr; W_hz]ᵀ (reset before)
  const pn = align(pw + <usize>packedBBytes(G, H)); // W_hnᵀ (reset before)
  const R = align(pn + <usize>packedBBytes(H, H)); // [B, 3H] recurrent products of one step
  const RH = align(R + (<usize>(B * G) << 2)); // [B, H] r⊙h of one step (reset before)
  const gw = align(RH + (<usize>(B * H) << 2));
  projectInputs(rows, X, G, x, wih, gates, gw); // [B, T, 3H] x·W_ihᵀ
  if (resetBefore) {
    packB(1, 2 * H, H, whh, H, pw);
    packB(1, H, H, whn, H, pn);
  } else {
    packB(1, G, H, whh, H, pw);
  }
  // Padded rows: outputs are 0, and saved rows must be finite zeros (the all-rows weight-gradient GEMMs read them).
  if (y) zeroPadding(y, lengths, B, T, H);
  if (keep) {
    zeroPadding(hp, lengths, B, T, H);
    zeroPadding(sv, lengths, B, T, H);
  }
  const steps = maxLength(lengths, B);
  const zeroStart = allZero(h, B * H);
  for (let s = 0; s < steps; s++) {
    const zero = s === 0 && zeroStart;
    if (!resetBefore) {
      recurrentProduct(B, G, H, h, pw, R, G, gw, zero);
    } else {
      recurrentProduct(B, 2 * H, H, h, pw, R, G, gw, zero);
      for (let b = 0; b < B; b++) {
        const row = rowAt(lengths, T, reverse, b, s);
        if (row < 0) continue;
        const a = gates + (<usize>(row * G) << 2);
        const r = R + (<usize>(b * G) << 2);
        const k = <usize>(b * H) << 2;
        for (let j = 0; j < H; ) {
          const vec = j + 4 <= H;
          const jb = <usize>j << 2;
          const rg = inline.always(sigmoidGate(f32x4.add(f32x4.add(ld(a + jb, vec), ld(bi + jb, vec)), f32x4.add(ld(r + jb, vec), ld(bh + jb, vec)))));
          const zPre = f32x4.add(f32x4.add(ld(a + Hb + jb, vec), ld(bi + Hb + jb, vec)), f32x4.add(ld(r + Hb + jb, vec), ld(bh + Hb + jb, vec)));
          st(a + jb, rg, vec);
          st(a + Hb + jb, inline.always(sigmoidGate(zPre)), vec);
          st(RH + k + jb, f32x4.mul(rg, ld(h + k + jb, vec)), vec);
          j += vec ? 4 : 1;
        }
      }
      // n block: (r⊙h)·W_hnᵀ into columns [2H, 3H) of R (0 from the zero state, where r⊙h = 0).
      recurrentProduct(B, H, H, RH, pn, R + 2 * Hb, G, gw, zero);
    }
    for (let b = 0; b < B; b++) {
      const row = rowAt(lengths, T, reverse, b, s);
      if (row < 0) continue; // ended: state frozen at its last valid step
      const a = gates + (<usize>(row * G) << 2);
      const r = R + (<usize>(b * G) << 2);
      const o = <usize>(row * H) << 2;
      const k = <usize>(b * H) << 2;
      const h4 = H & ~3;
      for (let j = 0; j < h4; j += 4) inline.always(forwardUnits(a, r, bi, bh, h + k, RH + k, o, sv, hp, y, keep, resetBefore, Hb, <usize>j << 2, true));
      for (let j = h4; j < H; j++) inline.always(forwardUnits(a, r, bi, bh, h + k, RH + k, o, sv, hp, y, keep, resetBefore, Hb, <usize>j << 2, false));
    }
  }
}

/**
 * The state update of units j…j+3 (byte offset `jb`; one unit when `vec` is false) of one sequence at one step:
 * gate activations from the projection `a` and the recurrent product `r`, written back over `a`; the new h in
 * place (`h`, and `RH` = r⊙h_{t−1} for reset-before, point at this sequence's row); `y`/`sv`/`hp` rows at byte
 * offset `o` when wanted.
 */
function forwardUnits(
  a: usize,
  r: usize,
  bi: usize,
  bh: usize,
  h: usize,
  RH: usize,
  o: usize,
  sv: usize,
  hp: usize,
  y: usize,
  keep: i32,
  resetBefore: i32,
  Hb: usize,
  jb: usize,
  vec: bool,
): void {
  const hPrev = ld(h + jb, vec);
  const xn = f32x4.add(ld(a + 2 * Hb + jb, vec), ld(bi + 2 * Hb + jb, vec));
  let zg: v128;
  let ng: v128;
  if (!resetBefore) {
    const rg = inline.always(sigmoidGate(f32x4.add(f32x4.add(ld(a + jb, vec), ld(bi + jb, vec)), f32x4.add(ld(r + jb, vec), ld(bh + jb, vec)))));
    zg = inline.always(sigmoidGate(f32x4.add(f32x4.add(ld(a + Hb + jb, vec), ld(bi + Hb + jb, vec)), f32x4.add(ld(r + Hb + jb, vec), ld(bh + Hb + jb, vec)))));
    const hn = f32x4.add(ld(r + 2 * Hb + jb, vec), ld(bh + 2 * Hb + jb, vec));
    ng = inline.always(tanhGate(f32x4.add(xn, f32x4.mul(rg, hn))));
    st(a + jb, rg, vec);
    st(a + Hb + jb, zg, vec);
    if (keep) st(sv + o + jb, hn, vec);
  } else {
    zg = ld(a + Hb + jb, vec);
    ng = inline.always(tanhGate(f32x4.add(xn, f32x4.add(ld(r + 2 * Hb + jb, vec), ld(bh + 2 * Hb + jb, vec)))));
    if (keep) st(sv + o + jb, ld(RH + jb, vec), vec);
  }
  st(a + 2 * Hb + jb, ng, vec);
  if (keep) st(hp + o + jb, hPrev, vec);
  const hNew = f32x4.add(ng, f32x4.mul(zg, f32x4.sub(hPrev, ng)));
  st(h + jb, hNew, vec);
  if (y) st(y + o + jb, hNew, vec);
}

/**
 * BPTT through units j…j+3 (byte offset `jb`; one unit when `vec` is false) of one sequence at one step: the
 * pre-activation gradients into `ga` (this row of dG), `dGn` (reset after) and `r` (the step's contiguous rows for
 * the ∂L/∂h_{t−1} GEMM); `dh` gets the direct path z⊙∂L/∂h (the recurrent terms are added after the GEMM). `a` is
 * the row's saved gates, `o` the byte offset of its `[B, T, H]` rows. Returns ‖∂L/∂h_t‖² of these units when `sq`
 * asks for it, else 0.
 */
function backwardUnits(
  a: usize,
  ga: usize,
  r: usize,
  o: usize,
  hp: usize,
  sv: usize,
  dGn: usize,
  dh: usize,
  dY: usize,
  sq: usize,
  resetBefore: i32,
  Hb: usize,
  jb: usize,
  vec: bool,
): f64 {
  const one = sp(1);
  const gh = dY ? f32x4.add(ld(dh + jb, vec), ld(dY + o + jb, vec)) : ld(dh + jb, vec);
  const rg = ld(a + jb, vec);
  const zg = ld(a + Hb + jb, vec);
  const ng = ld(a + 2 * Hb + jb, vec);
  const dnPre = f32x4.mul(f32x4.mul(gh, f32x4.sub(one, zg)), f32x4.sub(one, f32x4.mul(ng, ng)));
  const dzPre = f32x4.mul(f32x4.mul(gh, f32x4.sub(ld(hp + o + jb, vec), ng)), f32x4.mul(zg, f32x4.sub(one, zg)));
  st(ga + Hb + jb, dzPre, vec);
  st(r + Hb + jb, dzPre, vec);
  st(ga + 2 * Hb + jb, dnPre, vec);
  if (!resetBefore) {
    const drPre = f32x4.mul(f32x4.mul(dnPre, ld(sv + o + jb, vec)), f32x4.mul(rg, f32x4.sub(one, rg)));
    st(ga + jb, drPre, vec);
    st(r + jb, drPre, vec);
    const dn = f32x4.mul(dnPre, rg);
    st(dGn + o + jb, dn, vec);
    st(r + 2 * Hb + jb, dn, vec);
  } else {
    st(r + 2 * Hb + jb, dnPre, vec);
  }
  st(dh + jb, f32x4.mul(gh, zg), vec); // the direct path h' = … + z⊙h; the recurrent terms are added after the GEMM
  return sq ? sumSquares(gh, vec) : 0;
}

/**
 * BPTT of {@link gruForward} in one reverse pass, then the weight, bias and input gradients as GEMMs over all B·T
 * rows. `dh [B, H]` enters as ∂L/∂h_n and leaves as ∂L/∂h_0; `dG [B, T, 3H]` receives the input-side pre-activation
 * gradients (it may be `gates`: each element is read before it is written), `dGn [B, T, H]` (reset after) the n block's hidden-side ones. Optional (pointer 0 = skip): `dY`, `dx`,
 * `dWih`, `dWhh`, `dbIh`, `dbHh` (reset after only: b_hn sits inside r⊙(·)), `sq` (f64 ‖∂L/∂h_t‖² per row).
 */
export function gruBackward(
  B: i32,
  T: i32,
  X: i32,
  H: i32,
  lengths: usize,
  reverse: i32,
  resetBefore: i32,
  x: usize,
  wih: usize,
  whh: usize,
  gates: usize,
  hp: usize,
  sv: usize,
  dY: usize,
  dh: usize,
  dG: usize,
  dGn: usize,
  dx: usize,
  dWih: usize,
  dWhh: usize,
  dbIh: usize,
  dbHh: usize,
  sq: usize,
  work: usize,
): void {
  const G = 3 * H;
  const rows = B * T;
  const Hb = <usize>H << 2;
  const K = resetBefore ? 2 * H : G; // depth of the ∂L/∂h_{t−1} product: the blocks that multiply h itself
  const whn = whh + (<usize>(2 * H * H) << 2);
  const pw = align(work); // W_hh rows [0, K)
  const pn = align(pw + <usize>packedBBytes(H, G)); // W_hn (reset before)
  const dGs = align(pn + <usize>packedBBytes(H, H)); // [B, 3H] this step's hidden-side rows
  const dHp = align(dGs + (<usize>(B * G) << 2)); // [B, H] GEMM results
  const gw = align(dHp + (<usize>(B * H) << 2));
  packB(0, H, K, whh, H, pw);
  if (resetBefore) packB(0, H, H, whn, H, pn);
  // Padded rows add nothing to the all-rows gradient GEMMs.
  zeroPadding(dG, lengths, B, T, G);
  if (!resetBefore) zeroPadding(dGn, lengths, B, T, H);
  const one = sp(1);
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
      for (let j = 0; j < h4; j += 4) norm += inline.always(backwardUnits(a, ga, r, o, hp, sv, dGn, dh + k, dY, sq, resetBefore, Hb, <usize>j << 2, true));
      for (let j = h4; j < H; j++) norm += inline.always(backwardUnits(a, ga, r, o, hp, sv, dGn, dh + k, dY, sq, resetBefore, Hb, <usize>j << 2, false));
      if (sq) store<f64>(sq + (<usize>row << 3), norm);
    }
    if (resetBefore) {
      // ∂L/∂(r⊙h) = dn_pre · W_hn, then r's gradient and the r⊙h path into h_{t−1}.
      gemmPacked(B, H, H, dGs + 2 * Hb, G, pn, dHp, H, gw);
      for (let b = 0; b < B; b++) {
        const row = rowAt(lengths, T, reverse, b, s);
        if (row < 0) continue;
        const a = gates + (<usize>(row * G) << 2);
        const ga = dG + (<usize>(row * G) << 2);
        const r = dGs + (<usize>(b * G) << 2);
        const o = <usize>(row * H) << 2;
        const k = <usize>(b * H) << 2;
        for (let j = 0; j < H; ) {
          const vec = j + 4 <= H;
          const jb = <usize>j << 2;
          const rg = ld(a + jb, vec);
          const dRh = ld(dHp + k + jb, vec);
          const dr = f32x4.mul(f32x4.mul(dRh, ld(hp + o + jb, vec)), f32x4.mul(rg, f32x4.sub(one, rg)));
          st(ga + jb, dr, vec);
          st(r + jb, dr, vec);
          st(dh + k + jb, f32x4.add(ld(dh + k + jb, vec), f32x4.mul(dRh, rg)), vec);
          j += vec ? 4 : 1;
        }
      }
    }
    // Rows of sequences that have ended hold stale values; their results are not added below.
    gemmPacked(B, H, K, dGs, G, pw, dHp, H, gw);
    for (let b = 0; b < B; b++) {
      if (s >= load<i32>(lengths + (<usize>b << 2))) continue;
      const d = dh + (<usize>(b * H) << 2);
      const e = dHp + (<usize>(b * H) << 2);
      for (let j = 0; j < H; ) {
        const vec = j + 4 <= H;
        const jb = <usize>j << 2;
        st(d + jb, f32x4.add(ld(d + jb, vec), ld(e + jb, vec)), vec);
        j += vec ? 4 : 1;
      }
    }
  }
  if (dWhh) {
    // r, z blocks: dGᵀ · H_prev over all B·T rows.
    gemm(1, 0, 2 * H, H, rows, 1, dG, G, hp, H, 0, dWhh, H, gw);
    // n block: (dn_pre⊙r)ᵀ · H_prev (reset after) or dn_preᵀ · (r⊙h_prev) (reset before).
    const dWn = dWhh + (<usize>(2 * H * H) << 2);
    if (!resetBefore) gemm(1, 0, H, H, rows, 1, dGn, H, hp, H, 0, dWn, H, gw);
    else gemm(1, 0, H, H, rows, 1, dG + 2 * Hb, G, sv, H, 0, dWn, H, gw);
  }
  if (dbHh) {
    // Reset after: b_hn's gradient is Σ dn_pre⊙r; the r and z blocks' equal b_ih's.
    columnSums(dG, rows, 2 * H, G, dbHh);
    columnSums(dGn, rows, H, H, dbHh + 2 * Hb);
  }
  inputSideGrads(rows, X, G, x, wih, dG, dx, dWih, dbIh, gw);
}
