// Single-precision GEMM, C = alpha·op(A)·op(B) + beta·C, row-major with leading dimensions (BLAS sgemm semantics).
//
// Structure: Goto & van de Geijn, "Anatomy of High-Performance Matrix Multiplication" (ACM TOMS 2008), as refactored
// by BLIS (Van Zee & van de Geijn 2015): five loops around a register-tiled micro-kernel over packed panels.
//
// Tuning (Node 20 / V8 on x86-64, measured with bench/src/suites/matmul.mjs shapes): V8 gives wasm SIMD the 16 XMM
// registers. A 4×8 tile holds 8 f32x4 accumulators + 2 B vectors + 1 broadcast A value = 11 registers and ran at
// ~50 GFLOP/s (SIMD128) / ~60 (relaxed FMA) at 512³; a 6×8 tile (15 registers) spilled and fell to ~29, and unrolling
// the k loop by two cost a third (V8's register allocator then spills the accumulators).
import { geluv, sigmoidv, tanhv } from './math';
import { madd } from './simd';

/** Rows of C per micro-tile. */
const MR = 4;
/** Columns of C per micro-tile (two f32x4 vectors). */
const NR = 8;
/** Depth of a packed block: the KC×NR micro-panel of B (8 KiB) stays in L1 while the kernel sweeps the A block. */
const KC = 256;
/**
 * Rows of A packed at once: the MC×KC block (64 KiB) stays in L2 next to the B panel. Multiple of MR. 48 to 128
 * reached the same ~60 GFLOP/s at 512³ here; the smaller block leaves more of a shared L2 to the B panel.
 */
const MC = 64;
/** Columns of B packed at once: the KC×NC panel (2 MiB) stays in L3. Multiple of NR. */
const NC = 2048;
/** Widest op(B) for which a transposed A is read in place rather than packed (see `product`). */
const DIRECT_A_MAX_N = 64;
/** Largest A block (bytes) that a packed-B product reads in place: room left in a 48 KiB L1 for B's micro-panel. */
const DIRECT_A_MAX_BYTES = 32768;
/** Leading dimension (floats) from which A is always packed: rows 4 KiB apart alias to the same L1 sets. */
const DIRECT_A_MAX_LD = 1024;
/** Products up to this many multiply-adds skip packing (measured crossover: 16³ takes 0.6 µs packed, 1.0 µs not). */
const SMALL_WORK = 1024;

/**
 * Threads with an edge tile each: 64 in the shared-memory build (src/backends/wasm/index.ts MAX_THREADS mirrors
 * it), 1 in the default builds, whose static data stays as it was.
 */
const MAX_THREADS = ASC_FEATURE_THREADS ? 64 : 1;
/** Staging for partial tiles at the bottom/right edge of C, so the micro-kernel itself never branches. */
const edgeTiles = memory.data(MR * NR * 4 * MAX_THREADS, 16);
/**
 * This instance's staging tile. Static data is shared by every instance over a shared memory (the threaded build),
 * globals are not: each GEMM thread points its own instance at its own tile with {@link setThreadIndex}.
 */
let edgeTile: usize = edgeTiles;

/** Gives this instance thread `index`'s edge tile (0, the default, is the calling thread's); index < MAX_THREADS. */
export function setThreadIndex(index: i32): void {
  edgeTile = edgeTiles + <usize>(index * MR * NR * 4);
}

/**
 * Bytes of scratch {@link gemm} needs for these sizes: the packed panels, or on the small path up to NR − 1 gathered
 * columns of B and one gathered row of A.
 */
export function gemmWorkspace(M: i32, N: i32, K: i32): i32 {
  const kc = min(KC, K);
  const packA = ((min(MC, M) + MR - 1) / MR) * MR * kc;
  const packB = ((min(NC, N) + NR - 1) / NR) * NR * kc;
  return max(packA + packB, NR * K) * 4 + 16;
}

/**
 * `C = alpha·op(A)·op(B) + beta·C`. Pointers are byte addresses of the first element; leading dimensions are in
 * elements. `beta = 0` overwrites C without reading it; `work` holds {@link gemmWorkspace} bytes.
 */
export function gemm(
  transA: i32,
  transB: i32,
  M: i32,
  N: i32,
  K: i32,
  alpha: f32,
  a: usize,
  lda: i32,
  b: usize,
  ldb: i32,
  beta: f32,
  c: usize,
  ldc: i32,
  work: usize,
): void {
  if (M <= 0 || N <= 0) return;
  // beta = 0: the first depth block stores its tiles instead of adding them to a cleared C (no pass over C first).
  if (beta !== 0) scale(c, M, N, ldc, beta);
  product(transA, transB, M, N, K, alpha, a, lda, b, ldb, c, ldc, work, ACT_NONE, 0, 0, beta === 0);
}

// Epilogue activation codes; ACT_CODES in src/backends/wasm/gemm.ts mirrors them.
const ACT_NONE = 0;
const ACT_RELU = 1;
const ACT_GELU = 2;
const ACT_TANH = 3;
const ACT_SIGMOID = 4;

/**
 * `C = act(op(A)·op(B) + bias)` with `bias` (length N, pointer 0 for none) broadcast over the rows: the affine map
 * of a Linear layer and its activation in one pass over C. The bias is written into C before the product
 * accumulates onto it; the activation runs on each register tile right after its last depth block is stored,
 * while the tile is still in L1, instead of as a second sweep over C. When `aux` is not 0 the pre-activation is
 * also written there (leading dimension `ldaux`) for a backward pass that needs it (GELU's derivative).
 */
export function gemmBiasAct(
  transA: i32,
  transB: i32,
  M: i32,
  N: i32,
  K: i32,
  a: usize,
  lda: i32,
  b: usize,
  ldb: i32,
  bias: usize,
  act: i32,
  c: usize,
  ldc: i32,
  aux: usize,
  ldaux: i32,
  work: usize,
): void {
  if (M <= 0 || N <= 0) return;
  if (bias !== 0) for (let i = 0; i < M; i++) memory.copy(c + ((<usize>(i * ldc)) << 2), bias, <usize>N << 2);
  product(transA, transB, M, N, K, 1, a, lda, b, ldb, c, ldc, work, act, aux, ldaux, bias === 0);
}

/**
 * `C += alpha·op(A)·op(B)` on an initialised C, or with `overwrite` `C = alpha·op(A)·op(B)` without reading C (the
 * first depth block stores its tiles: no clearing pass over C, no load of it in the micro-kernel); then the
 * epilogue (`act`, `aux`) of {@link gemmBiasAct}.
 */
function product(
  transA: i32,
  transB: i32,
  M: i32,
  N: i32,
  K: i32,
  alpha: f32,
  a: usize,
  lda: i32,
  b: usize,
  ldb: i32,
  c: usize,
  ldc: i32,
  work: usize,
  act: i32,
  aux: usize,
  ldaux: i32,
  overwrite: bool,
): void {
  const post = act !== ACT_NONE || aux !== 0;
  if (K <= 0 || alpha === 0) {
    if (overwrite) scale(c, M, N, ldc, 0);
    if (post) epilogue(c, ldc, M, N, act, aux, ldaux);
    return;
  }
  // Element strides of op(A)(i, k) and op(B)(k, j) in storage: transposition is only a change of strides.
  const aRow = transA ? 1 : lda;
  const aCol = transA ? lda : 1;
  const bRow = transB ? 1 : ldb;
  const bCol = transB ? ldb : 1;
  const ws = (work + 15) & ~(<usize>15);
  if (M < MR || N < NR || M * N * K <= SMALL_WORK) {
    if (overwrite) scale(c, M, N, ldc, 0);
    small(transB, M, N, K, alpha, a, aRow, aCol, b, ldb, c, ldc, ws);
    if (post) epilogue(c, ldc, M, N, act, aux, ldaux);
    return;
  }
  const kcMax = min(KC, K);
  const pa = ws;
  const pb = pa + ((<usize>(((min(MC, M) + MR - 1) / MR) * MR * kcMax)) << 2);
  const ldcBytes = <usize>ldc << 2;
  // A transposed (op(A)'s columns contiguous, e.g. the weight gradients dYᵀ·X) already holds every micro-panel the
  // kernel reads, MR consecutive floats per k at a stride of lda: the kernel can read it in place, skipping the pack.
  // That pays where a packed block would be reused by few B panels (N ≤ DIRECT_A_MAX_N: measured 10–14 % faster
  // for the fused LSTM's dW_ih, dW_hh at N 32–64) and A's rows are under 4 KiB apart (at 4 KiB they alias to the
  // same L1 sets: TN 1024×32×1024 fell from 43 to 32 GFLOP/s); wider products keep the pack (neutral at N 128–256,
  // 512³ TN fell from 57 to 48 GFLOP/s without it). Only whole MR-row panels, so the kernel never reads past A's last column.
  const direct = transA !== 0 && M % MR === 0 && N <= DIRECT_A_MAX_N && lda < DIRECT_A_MAX_LD;
  const aStep: usize = direct ? <usize>aCol << 2 : MR * 4;
  for (let jc = 0; jc < N; jc += NC) {
    const nc = min(NC, N - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = min(KC, K - pc);
      const last = post && pc + kc >= K;
      const first = overwrite && pc === 0;
      // B's panel is packed by columns of op(B): the panel's "rows" are j (stride bCol), depth k steps bRow.
      pack(pb, b + ((<usize>(pc * bRow + jc * bCol)) << 2), bCol, bRow, nc, kc, NR);
      for (let ic = 0; ic < M; ic += MC) {
        const mc = min(MC, M - ic);
        const block = a + ((<usize>(ic * aRow + pc * aCol)) << 2);
        if (!direct) pack(pa, block, aRow, aCol, mc, kc, MR);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const bp = pb + ((<usize>(jr * kc)) << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            const ap = direct ? block + (<usize>ir << 2) : pa + ((<usize>(ir * kc)) << 2);
            const ci = c + ((<usize>((ic + ir) * ldc + jc + jr)) << 2);
            if (mr === MR && nr === NR) kernel(kc, ap, aStep, 4, bp, alpha, ci, ldcBytes, first);
            else edge(kc, ap, aStep, 4, bp, alpha, ci, ldc, mr, nr, first);
          }
        }
        if (last) {
          // The mc×nc block of C just completed is still in L2: activate it now, in long rows, rather than per
          // 4×8 tile (measured slower: a call and a loop set-up per 32 floats) or in a second sweep over all of C.
          const ai: usize = aux === 0 ? 0 : aux + ((<usize>(ic * ldaux + jc)) << 2);
          epilogue(c + ((<usize>(ic * ldc + jc)) << 2), ldc, mc, nc, act, ai, ldaux);
        }
      }
    }
  }
}

/**
 * Applies `act` in place to a `rows × cols` window of C (leading dimension `ldc`), first copying the
 * pre-activation to `aux` (leading dimension `ldaux`) unless `aux` is 0. Row tails go through the vector routine
 * one lane at a time so every element rounds the same way.
 */
function epilogue(c: usize, ldc: i32, rows: i32, cols: i32, act: i32, aux: usize, ldaux: i32): void {
  for (let r = 0; r < rows; r++) {
    const row = c + ((<usize>(r * ldc)) << 2);
    if (aux !== 0) memory.copy(aux + ((<usize>(r * ldaux)) << 2), row, <usize>cols << 2);
    // One loop per activation (each its own function, which V8 compiles as tightly as the unary kernels), so no
    // dispatch per vector.
    if (act === ACT_RELU) reluRow(row, cols);
    else if (act === ACT_GELU) geluRow(row, cols);
    else if (act === ACT_TANH) tanhRow(row, cols);
    else if (act === ACT_SIGMOID) sigmoidRow(row, cols);
  }
}

// Row activations: the vector body, then the tail one lane at a time through the same routine so every element
// rounds the same way.

function reluRow(row: usize, n: i32): void {
  // max keeps NaN, like torch.relu and the unary relu kernel.
  const zero = f32x4.splat(0);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const p = row + (<usize>j << 2);
    v128.store(p, f32x4.max(v128.load(p), zero));
  }
  for (; j < n; j++) {
    const p = row + (<usize>j << 2);
    store<f32>(p, max(load<f32>(p), 0));
  }
}

function geluRow(row: usize, n: i32): void {
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const p = row + (<usize>j << 2);
    v128.store(p, geluv(v128.load(p)));
  }
  for (; j < n; j++) {
    const p = row + (<usize>j << 2);
    store<f32>(p, f32x4.extract_lane(geluv(f32x4.splat(load<f32>(p))), 0));
  }
}

function tanhRow(row: usize, n: i32): void {
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const p = row + (<usize>j << 2);
    v128.store(p, tanhv(v128.load(p)));
  }
  for (; j < n; j++) {
    const p = row + (<usize>j << 2);
    store<f32>(p, f32x4.extract_lane(tanhv(f32x4.splat(load<f32>(p))), 0));
  }
}

function sigmoidRow(row: usize, n: i32): void {
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const p = row + (<usize>j << 2);
    v128.store(p, sigmoidv(v128.load(p)));
  }
  for (; j < n; j++) {
    const p = row + (<usize>j << 2);
    store<f32>(p, f32x4.extract_lane(sigmoidv(f32x4.splat(load<f32>(p))), 0));
  }
}

/** `C = beta·C` on the M×N window; `beta = 0` stores zeros so NaN/Inf already in C do not survive. */
function scale(c: usize, M: i32, N: i32, ldc: i32, beta: f32): void {
  if (beta === 1) return;
  const vb = f32x4.splat(beta);
  for (let i = 0; i < M; i++) {
    const row = c + ((<usize>(i * ldc)) << 2);
    if (beta === 0) {
      memory.fill(row, 0, <usize>N << 2);
      continue;
    }
    let j = 0;
    for (; j + 4 <= N; j += 4) {
      const p = row + (<usize>j << 2);
      v128.store(p, f32x4.mul(v128.load(p), vb));
    }
    for (; j < N; j++) {
      const p = row + (<usize>j << 2);
      store<f32>(p, load<f32>(p) * beta);
    }
  }
}

/**
 * Packs `rows × kc` of a strided matrix (element `(r, p)` at `src + 4·(r·rowStride + p·colStride)`) into R-row
 * micro-panels stored k-major (`R` consecutive values per k), zero-padding the last panel. One of the strides is
 * always 1 (row-major storage, transposed or not): unit row stride copies vectors, unit column stride transposes
 * 4×4 blocks in registers.
 */
function pack(dst: usize, src: usize, rowStride: i32, colStride: i32, rows: i32, kc: i32, R: i32): void {
  const full = rows - (rows % R);
  const panelBytes = <usize>(R * kc) << 2;
  const rs = <usize>rowStride << 2;
  const cs = <usize>colStride << 2;
  if (rowStride === 1) {
    for (let i0 = 0; i0 < full; i0 += R) {
      let s = src + (<usize>i0 << 2);
      let d = dst + <usize>(i0 / R) * panelBytes;
      for (let p = 0; p < kc; p++, s += cs, d += <usize>R << 2) {
        v128.store(d, v128.load(s));
        if (R === 8) v128.store(d, v128.load(s, 16), 16);
      }
    }
  } else if (colStride === 1) {
    const kc4 = kc & ~3;
    const rowBytes = <usize>R << 2;
    for (let i0 = 0; i0 < full; i0 += R) {
      const panel = dst + <usize>(i0 / R) * panelBytes;
      for (let g = 0; g < R; g += 4) {
        const s0 = src + <usize>(i0 + g) * rs;
        const d0 = panel + (<usize>g << 2);
        for (let p = 0; p < kc4; p += 4) {
          const s = s0 + (<usize>p << 2);
          const r0 = v128.load(s);
          const r1 = v128.load(s + rs);
          const r2 = v128.load(s + 2 * rs);
          const r3 = v128.load(s + 3 * rs);
          const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5);
          const t1 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
          const t2 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
          const t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
          const d = d0 + <usize>p * rowBytes;
          v128.store(d, i64x2.shuffle(t0, t1, 0, 2));
          v128.store(d + rowBytes, i64x2.shuffle(t0, t1, 1, 3));
          v128.store(d + 2 * rowBytes, i64x2.shuffle(t2, t3, 0, 2));
          v128.store(d + 3 * rowBytes, i64x2.shuffle(t2, t3, 1, 3));
        }
        for (let p = kc4; p < kc; p++) {
          const s = s0 + (<usize>p << 2);
          const d = d0 + <usize>p * rowBytes;
          for (let r = 0; r < 4; r++) store<f32>(d + (<usize>r << 2), load<f32>(s + <usize>r * rs));
        }
      }
    }
  }
  if (full < rows) {
    const n = rows - full;
    let d = dst + <usize>(full / R) * panelBytes;
    for (let p = 0; p < kc; p++) {
      const s = src + <usize>full * rs + <usize>p * cs;
      for (let r = 0; r < R; r++, d += 4) store<f32>(d, r < n ? load<f32>(s + <usize>r * rs) : 0);
    }
  }
}

/**
 * One full MR×NR tile: `C += alpha·Ap·Bp` over depth kc (A's MR values of depth k at `pa + k·aStep`), or `C = alpha·Ap·Bp` when `first` (C not read). The
 * accumulators are locals V8 keeps in XMM registers. Both store alpha·acc + c (c = 0 when `first`), so a product
 * rounds the same whether C was cleared first or not.
 */
function kernel(kc: i32, pa: usize, aStep: usize, aRow: usize, pb: usize, alpha: f32, c: usize, ldc: usize, first: bool): void {
  const pa1 = aRow;
  const pa2 = aRow << 1;
  const pa3 = aRow * 3;
  let c00 = f32x4.splat(0);
  let c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0);
  let c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0);
  let c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0);
  let c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = madd(a, b0, c00);
    c01 = madd(a, b1, c01);
    a = v128.load32_splat(pa + pa1);
    c10 = madd(a, b0, c10);
    c11 = madd(a, b1, c11);
    a = v128.load32_splat(pa + pa2);
    c20 = madd(a, b0, c20);
    c21 = madd(a, b1, c21);
    a = v128.load32_splat(pa + pa3);
    c30 = madd(a, b0, c30);
    c31 = madd(a, b1, c31);
    pa += aStep;
    pb += NR * 4;
  }
  const va = f32x4.splat(alpha);
  if (first) {
    const z = f32x4.splat(0);
    v128.store(c, madd(va, c00, z));
    v128.store(c, madd(va, c01, z), 16);
    c += ldc;
    v128.store(c, madd(va, c10, z));
    v128.store(c, madd(va, c11, z), 16);
    c += ldc;
    v128.store(c, madd(va, c20, z));
    v128.store(c, madd(va, c21, z), 16);
    c += ldc;
    v128.store(c, madd(va, c30, z));
    v128.store(c, madd(va, c31, z), 16);
    return;
  }
  v128.store(c, madd(va, c00, v128.load(c)));
  v128.store(c, madd(va, c01, v128.load(c, 16)), 16);
  c += ldc;
  v128.store(c, madd(va, c10, v128.load(c)));
  v128.store(c, madd(va, c11, v128.load(c, 16)), 16);
  c += ldc;
  v128.store(c, madd(va, c20, v128.load(c)));
  v128.store(c, madd(va, c21, v128.load(c, 16)), 16);
  c += ldc;
  v128.store(c, madd(va, c30, v128.load(c)));
  v128.store(c, madd(va, c31, v128.load(c, 16)), 16);
}

/**
 * A tile clipped to `mr × nr` at C's bottom/right edge: the full kernel into the staging tile, then the valid part
 * added to C (stored when `first`: C not read).
 */
function edge(kc: i32, pa: usize, aStep: usize, aRow: usize, pb: usize, alpha: f32, c: usize, ldc: i32, mr: i32, nr: i32, first: bool): void {
  kernel(kc, pa, aStep, aRow, pb, alpha, edgeTile, NR * 4, true);
  for (let r = 0; r < mr; r++) {
    const row = c + ((<usize>(r * ldc)) << 2);
    const t = edgeTile + ((<usize>(r * NR)) << 2);
    if (first) {
      memory.copy(row, t, <usize>nr << 2);
      continue;
    }
    for (let q = 0; q < nr; q++) {
      const p = row + (<usize>q << 2);
      store<f32>(p, load<f32>(p) + load<f32>(t + (<usize>q << 2)));
    }
  }
}

/**
 * Skinny or tiny products, where packing would cost more than it saves. With rows of op(B) contiguous and at least
 * a vector wide (B not transposed, N ≥ 4), each row of C is updated by axpy with the rows of B. Otherwise every
 * element of C is a dot product over k: columns of op(B) (rows of a transposed B, or gathered into `work` when B is
 * not transposed) against rows of op(A) (gathered into `work` when A is transposed), all with unit stride.
 */
function small(
  transB: i32,
  M: i32,
  N: i32,
  K: i32,
  alpha: f32,
  a: usize,
  aRow: i32,
  aCol: i32,
  b: usize,
  ldb: i32,
  c: usize,
  ldc: i32,
  work: usize,
): void {
  const ldbBytes = <usize>ldb << 2;
  const kBytes = <usize>K << 2;
  if (!transB && N >= 4) {
    const step = <usize>aCol << 2;
    for (let i = 0; i < M; i++) {
      const ai = a + ((<usize>(i * aRow)) << 2);
      const ci = c + ((<usize>(i * ldc)) << 2);
      for (let k = 0; k < K; k++) axpy(alpha * load<f32>(ai + <usize>k * step), b + <usize>k * ldbBytes, ci, N);
    }
    return;
  }
  // Column j of op(B) starts at bj(j) and steps 4 bytes: a transposed B's own rows, or copies of B's columns.
  let cols = b;
  let colBytes = ldbBytes;
  let rowBuf = work;
  if (!transB) {
    for (let j = 0; j < N; j++) {
      for (let k = 0; k < K; k++) store<f32>(work + <usize>j * kBytes + (<usize>k << 2), load<f32>(b + <usize>k * ldbBytes + (<usize>j << 2)));
    }
    cols = work;
    colBytes = kBytes;
    rowBuf = work + <usize>N * kBytes;
  }
  const aStep = <usize>aCol << 2;
  for (let i = 0; i < M; i++) {
    let row = a + ((<usize>(i * aRow)) << 2);
    if (aCol !== 1) {
      for (let k = 0; k < K; k++) store<f32>(rowBuf + (<usize>k << 2), load<f32>(row + <usize>k * aStep));
      row = rowBuf;
    }
    const ci = c + ((<usize>(i * ldc)) << 2);
    for (let j = 0; j < N; j++) {
      const p = ci + (<usize>j << 2);
      store<f32>(p, load<f32>(p) + alpha * dot(row, cols + <usize>j * colBytes, K));
    }
  }
}

/** Σ x[k]·y[k] over n floats, two vector accumulators for independent add chains. */
function dot(x: usize, y: usize, n: i32): f32 {
  let s0 = f32x4.splat(0);
  let s1 = f32x4.splat(0);
  let k = 0;
  for (; k + 8 <= n; k += 8) {
    const o = <usize>k << 2;
    s0 = madd(v128.load(x + o), v128.load(y + o), s0);
    s1 = madd(v128.load(x + o, 16), v128.load(y + o, 16), s1);
  }
  for (; k + 4 <= n; k += 4) {
    const o = <usize>k << 2;
    s0 = madd(v128.load(x + o), v128.load(y + o), s0);
  }
  const s = f32x4.add(s0, s1);
  let r = f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3);
  for (; k < n; k++) r += load<f32>(x + (<usize>k << 2)) * load<f32>(y + (<usize>k << 2));
  return r;
}

/** y[j] += s·x[j] for n floats. */
function axpy(s: f32, x: usize, y: usize, n: i32): void {
  const vs = f32x4.splat(s);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const o = <usize>j << 2;
    v128.store(y + o, madd(vs, v128.load(x + o), v128.load(y + o)));
  }
  for (; j < n; j++) {
    const o = <usize>j << 2;
    store<f32>(y + o, load<f32>(y + o) + s * load<f32>(x + o));
  }
}

/**
 * Bytes {@link packB} writes for op(B) of `K × N`: whole NR-column panels, every depth block of each NC block
 * stored back to back (NC is a multiple of NR, so only the last panel is padded).
 */
export function packedBBytes(N: i32, K: i32): i32 {
  return ((N + NR - 1) / NR) * NR * K * 4;
}

/**
 * Packs all of op(B) (`K × N`) once, in the panel layout {@link gemm} builds per call, for products that reuse the
 * same B many times (the recurrent weights of a fused sequence kernel: once per call instead of once per step).
 * Block (jc, pc) starts at float `jc·K + ncPad·pc`.
 */
export function packB(transB: i32, N: i32, K: i32, b: usize, ldb: i32, dst: usize): void {
  const bRow = transB ? 1 : ldb;
  const bCol = transB ? ldb : 1;
  for (let jc = 0; jc < N; jc += NC) {
    const nc = min(NC, N - jc);
    const ncPad = ((nc + NR - 1) / NR) * NR;
    for (let pc = 0; pc < K; pc += KC) {
      const kc = min(KC, K - pc);
      pack(dst + (<usize>(jc * K + ncPad * pc) << 2), b + ((<usize>(pc * bRow + jc * bCol)) << 2), bCol, bRow, nc, kc, NR);
    }
  }
}

/** Scratch bytes {@link gemmPacked} needs: one packed MC×KC block of A. */
export function gemmPackedWorkspace(M: i32, K: i32): i32 {
  return ((min(MC, M) + MR - 1) / MR) * MR * min(KC, K) * 4 + 16;
}

/**
 * `C = A·op(B)` (overwriting C) with op(B) packed by {@link packB}; A is row-major `M × K` with leading dimension
 * `lda`. Any M ≥ 1 runs the tiled path (edge tiles cover M < MR), so one small per-step product never repacks B.
 */
export function gemmPacked(M: i32, N: i32, K: i32, a: usize, lda: i32, pb: usize, c: usize, ldc: i32, work: usize): void {
  if (M <= 0 || N <= 0) return;
  if (K <= 0) {
    scale(c, M, N, ldc, 0);
    return;
  }
  const pa = (work + 15) & ~(<usize>15);
  const ldcBytes = <usize>ldc << 2;
  // A small A (a step's state or gate gradients, M = batch) is read in place, MR rows at a time, skipping the pack
  // (a pass over A per call, i.e. per step of a sequence kernel): while it fits in L1 (DIRECT_A_MAX_BYTES) every
  // panel of B reuses it from there. Packed as before: larger A, rows 4 KiB or more apart (they alias to the same
  // L1 sets, see product), or M not a multiple of MR (the kernel would read past A's last row).
  const direct = M * min(KC, K) * 4 <= DIRECT_A_MAX_BYTES && M % MR === 0 && lda < DIRECT_A_MAX_LD;
  const aStep: usize = direct ? 4 : MR * 4;
  const aRow: usize = direct ? <usize>lda << 2 : 4;
  for (let jc = 0; jc < N; jc += NC) {
    const nc = min(NC, N - jc);
    const ncPad = ((nc + NR - 1) / NR) * NR;
    for (let pc = 0; pc < K; pc += KC) {
      const kc = min(KC, K - pc);
      const panel = pb + (<usize>(jc * K + ncPad * pc) << 2);
      for (let ic = 0; ic < M; ic += MC) {
        const mc = min(MC, M - ic);
        const block = a + ((<usize>(ic * lda + pc)) << 2);
        if (!direct) pack(pa, block, lda, 1, mc, kc, MR);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const bp = panel + ((<usize>(jr * kc)) << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            const ap = direct ? block + <usize>ir * aRow : pa + ((<usize>(ir * kc)) << 2);
            const ci = c + ((<usize>((ic + ir) * ldc + jc + jr)) << 2);
            if (mr === MR && nr === NR) kernel(kc, ap, aStep, aRow, bp, 1, ci, ldcBytes, pc === 0);
            else edge(kc, ap, aStep, aRow, bp, 1, ci, ldc, mr, nr, pc === 0);
          }
        }
      }
    }
  }
}
