// Fused whole-sequence LSTM, forward and BPTT (Hochreiter & Schmidhuber 1997; PyTorch's gate order i, f, g, o):
// i, f, o = σ(·), g = tanh(·) of x W_ihᵀ + b_ih + h W_hhᵀ + b_hh; c' = f⊙c + i⊙g; h' = o⊙tanh(c').
// Same algorithm, slab layout and padding semantics as the js backend's src/backends/js/lstm-sequence.ts.
import { gemm, gemmPacked, gemmPackedWorkspace, packB, packedBBytes } from './gemm';
import { sigmoidv, tanhv } from './math';
import { align, bigGemmWorkspace, inputSideGrads, ld, maxLength, projectInputs, rowAt, sp, st, sumSquares, zeroPadding } from './recurrent';

/** Scratch bytes {@link lstmForward} and {@link lstmBackward} need (the larger of the two layouts). */
export function lstmWorkspace(B: i32, T: i32, X: i32, H: i32): i32 {
  const G = 4 * H;
  const gw = max(bigGemmWorkspace(B * T, X, H, G), gemmPackedWorkspace(B, max(G, H)));
  const fwd = packedBBytes(G, H) + B * G * 4 + 32;
  const bwd = packedBBytes(H, G) + B * G * 4 + B * H * 4 + (G + 2) * 8 + 64;
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
  for (let s = 0; s < steps; s++) {
    gemmPacked(B, G, H, h, H, pw, R, G, gw);
    for (let b = 0; b < B; b++) {
      const row = rowAt(lengths, T, reverse, b, s);
      if (row < 0) continue; // ended: state frozen at its last valid step
      const a = gates + (<usize>(row * G) << 2);
      const r = R + (<usize>(b * G) << 2);
      const o = <usize>(row * H) << 2;
      const k = <usize>(b * H) << 2;
      for (let j = 0; j < H; ) {
        const vec = j + 4 <= H;
        const jb = <usize>j << 2;
        const ig = sigmoidv(f32x4.add(f32x4.add(ld(a + jb, vec), ld(r + jb, vec)), ld(bias + jb, vec)));
        const fg = sigmoidv(f32x4.add(f32x4.add(ld(a + Hb + jb, vec), ld(r + Hb + jb, vec)), ld(bias + Hb + jb, vec)));
        const gg = tanhv(f32x4.add(f32x4.add(ld(a + 2 * Hb + jb, vec), ld(r + 2 * Hb + jb, vec)), ld(bias + 2 * Hb + jb, vec)));
        const og = sigmoidv(f32x4.add(f32x4.add(ld(a + 3 * Hb + jb, vec), ld(r + 3 * Hb + jb, vec)), ld(bias + 3 * Hb + jb, vec)));
        const cPrev = ld(c + k + jb, vec);
        const cNew = f32x4.add(f32x4.mul(fg, cPrev), f32x4.mul(ig, gg));
        const tcv = tanhv(cNew);
        const hNew = f32x4.mul(og, tcv);
        st(a + jb, ig, vec);
        st(a + Hb + jb, fg, vec);
        st(a + 2 * Hb + jb, gg, vec);
        st(a + 3 * Hb + jb, og, vec);
        if (keep) {
          st(hp + o + jb, ld(h + k + jb, vec), vec);
          st(cp + o + jb, cPrev, vec);
          st(tc + o + jb, tcv, vec);
        }
        st(c + k + jb, cNew, vec);
        st(h + k + jb, hNew, vec);
        if (y) st(y + o + jb, hNew, vec);
        j += vec ? 4 : 1;
      }
    }
  }
}

/**
 * BPTT of {@link lstmForward} in one reverse pass (one packed GEMM per step for ∂L/∂h_{t−1}), then the weight,
 * bias and input gradients as GEMMs over all B·T rows. `dh`, `dc` `[B, H]` enter as ∂L/∂h_n, ∂L/∂c_n and leave as
 * ∂L/∂h_0, ∂L/∂c_0; `dG [B, T, 4H]` receives the gate pre-activation gradients (it may be `gates`: each
 * element is read before it is written). Optional outputs (pointer 0 = skip):
 * `dY` (input), `dx`, `dWih`, `dWhh`, `db` (db_ih, which is also db_hh), `sq` (f64 ‖∂L/∂h_t‖² per row).
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
  work: usize,
): void {
  const G = 4 * H;
  const rows = B * T;
  const Hb = <usize>H << 2;
  const pw = align(work);
  const dGs = align(pw + <usize>packedBBytes(H, G)); // [B, 4H] this step's rows of dG, contiguous for the GEMM
  const dHp = align(dGs + (<usize>(B * G) << 2)); // [B, H] dG_s · W_hh = ∂L/∂h_{t−1}
  const acc = align(dHp + (<usize>(B * H) << 2));
  const gw = align(acc + (<usize>(G + 2) << 3));
  packB(0, H, G, whh, H, pw); // W_hh [4H, H], packed once for every step
  zeroPadding(dG, lengths, B, T, G); // padded rows add nothing to the all-rows gradient GEMMs
  const zero = sp(0);
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
      for (let j = 0; j < H; ) {
        const vec = j + 4 <= H;
        const jb = <usize>j << 2;
        const gh = f32x4.add(ld(dh + k + jb, vec), dY ? ld(dY + o + jb, vec) : zero);
        norm += sumSquares(gh, vec);
        const ig = ld(a + jb, vec);
        const fg = ld(a + Hb + jb, vec);
        const gg = ld(a + 2 * Hb + jb, vec);
        const og = ld(a + 3 * Hb + jb, vec);
        const tcv = ld(tc + o + jb, vec);
        const dcT = f32x4.add(ld(dc + k + jb, vec), f32x4.mul(f32x4.mul(gh, og), f32x4.sub(one, f32x4.mul(tcv, tcv))));
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
        st(dc + k + jb, f32x4.mul(dcT, fg), vec);
        j += vec ? 4 : 1;
      }
      if (sq) store<f64>(sq + (<usize>row << 3), norm);
    }
    // Rows of sequences that have ended hold stale values; their results are not copied back below.
    gemmPacked(B, H, G, dGs, G, pw, dHp, H, gw);
    for (let b = 0; b < B; b++) {
      if (s >= load<i32>(lengths + (<usize>b << 2))) continue;
      memory.copy(dh + (<usize>(b * H) << 2), dHp + (<usize>(b * H) << 2), Hb);
    }
  }
  // dW_hh = dGᵀ · H_prev over all B·T rows.
  if (dWhh) gemm(1, 0, G, H, rows, 1, dG, G, hp, H, 0, dWhh, H, gw);
  inputSideGrads(rows, X, G, x, wih, dG, dx, dWih, db, acc, gw);
}
