// Single-precision GEMM for the pure-TypeScript backend.
//
// Structure follows Goto & van de Geijn, "Anatomy of High-Performance Matrix Multiplication" (ACM TOMS 2008), as
// refactored by BLIS (Van Zee & van de Geijn 2015): five loops around a register-tiled micro-kernel, with panels of
// A and B packed into contiguous scratch so the micro-kernel streams both operands with unit stride.
//
// Tuning notes (Node 20 / V8, x86-64, measured with 4×4, 4×8, 6×8, 8×4, 3×4, 4×3, 2×6, … tiles, k unrolled 1–4 times):
// V8 computes in scalar doubles held in the 16 XMM registers and emits no FMA, and it schedules all of an iteration's
// loads and products before its adds, so a 4×3 tile (12 accumulators + 7 operands) already spills accumulators; the
// loop-carried add chain then runs through the stack. The kernel therefore takes two depth steps per iteration and
// adds their two products before touching the accumulator (c += a·b + a'·b'), halving the loop-carried chain: a 2×3
// tile done so beat the plain 4×3 kernel by 5–8% (7.5–7.7 against 7.0–7.3 GFLOP/s on [64, 256]·[256, 256 | 768],
// in-process A/B on a loaded 2-core Zen 5), as did 3×3 and 3×2; larger paired tiles and sums of four lost. Panels are
// packed with an even depth (a zero step appended to an odd block), so the kernel's loop needs no tail. Each add
// chain still sums in float64, in a different order than a single chain would.
// The kernel is instruction-bound, so cache blocking matters far less than in native code (MC 48–192, NC 384–4096 and
// KC 128–512 all measured within noise); the sizes below follow the usual L1/L2/L3 rule so large shapes never thrash.
// Products are accumulated in float64 within each KC block.
// Panels are packed as float64 (the values are exact, so results do not change): the kernel then loads doubles
// directly instead of converting each float32 load, and A's and B's panels share one array, so the kernel's loop
// checks one array (map, base, length) per iteration instead of two — together ~8% on the recurrent shapes.
// Operands used for many products (the recurrent weights, once per time step) can be packed once: see packB.
// Products with a pre-packed B and even, large enough dimensions take one level of Strassen's algorithm
// (gemm-strassen.ts): 7 block products instead of 8, as the kernel itself is near what V8's scalar code allows.

import { allFinite, packStrassenB, strassenFitsKN, strassenFitsM, strassenGemmPacked, strassenPackedSize } from './gemm-strassen.js';
// With intra-op threads (parallel-gemm.ts) helper threads run these same functions, from their source text
// (gemmKernelSource), on column windows of the product: every element of C is still computed by the same micro-kernel
// calls in the same order, so results are bit-identical to one thread.

/** Rows of C per micro-tile. */
const MR = 2;
/** Columns of C per micro-tile. */
const NR = 3;
/**
 * Depth of one packed block: a KC×NR micro-panel of B (6 KiB) stays in L1 while the kernel sweeps the A block. Even,
 * so only a product's last depth block can be odd (and gets a zero step).
 */
const KC = 256;
/** Rows of A packed at once: the MC×KC block (192 KiB) stays in L2. Multiple of MR. */
const MC = 96;
/** Columns of B packed at once: the KC×NC panel (3 MiB) stays in L3. Multiple of NR. */
const NC = 1536;
/** Below this many multiply-adds the packing overhead outweighs the tiled kernel (measured crossover). */
const SMALL_WORK = 1024;

/** Doubles reserved at the front of every packed buffer for one MC×KC block of A. */
const A_SPACE = MC * KC;
// Packing scratch (A's block, then B's panels), grown on demand and reused: no allocation per call in steady state.
let scratch = new Float64Array(0);
/** Staging for partial tiles at the bottom/right edge of C, so the kernel itself never branches. */
const edgeTile = new Float32Array(MR * NR);

/**
 * Single-precision general matrix multiply: `C = alpha * op(A) @ op(B) + beta * C`, where `op(X)` is `X` or `Xᵀ`.
 *
 * All matrices are row-major with BLAS-style leading dimensions: element `(i, k)` of `A` is
 * `A[aOffset + i * lda + k]`. `op(A)` is `[M, K]` (so `A` is stored `[K, M]` when `transA`), `op(B)` is `[K, N]`
 * (stored `[N, K]` when `transB`), and `C` is `[M, N]`. Products are accumulated in float64 within each block of
 * 256 along K.
 *
 * As in BLAS, `beta = 0` overwrites `C` without reading it (NaN/Inf already in `C` do not propagate), and
 * `alpha = 0` or `K = 0` only scales `C` by `beta`. `M = 0` or `N = 0` is a no-op. Arguments are not validated:
 * callers (the backend's matmul ops) are responsible for shapes and bounds.
 *
 * @param transA - use `Aᵀ` (A stored `[K, M]`)
 * @param transB - use `Bᵀ` (B stored `[N, K]`)
 * @param M - rows of `op(A)` and `C`
 * @param N - columns of `op(B)` and `C`
 * @param K - columns of `op(A)`, rows of `op(B)`
 * @param alpha - scale of the product
 * @param A - storage of A
 * @param aOffset - index of A's first element in `A`
 * @param lda - row stride of A as stored
 * @param B - storage of B
 * @param bOffset - index of B's first element in `B`
 * @param ldb - row stride of B as stored
 * @param beta - scale of the previous contents of `C`
 * @param C - storage of C, updated in place
 * @param cOffset - index of C's first element in `C`
 * @param ldc - row stride of C
 */
export function gemm(
  transA: boolean,
  transB: boolean,
  M: number,
  N: number,
  K: number,
  alpha: number,
  A: Float32Array,
  aOffset: number,
  lda: number,
  B: Float32Array,
  bOffset: number,
  ldb: number,
  beta: number,
  C: Float32Array,
  cOffset: number,
  ldc: number,
): void {
  if (M === 0 || N === 0) return;
  // Applying beta up front leaves every kernel a plain `C += alpha * product`, free of beta branches (see microKernel).
  scale(M, N, beta, C, cOffset, ldc);
  if (K === 0 || alpha === 0) return;
  // Strides of op(A)(i, k) and op(B)(k, j) in their storage, so transposition is only a change of strides.
  const aRow = transA ? 1 : lda;
  const aCol = transA ? lda : 1;
  const bRow = transB ? 1 : ldb;
  const bCol = transB ? ldb : 1;

  // Skinny or tiny products would waste most of a padded MR×NR tile or spend more time packing than multiplying:
  // compute them as matrix–vector products along the longer side of C instead.
  if (M < MR || N < NR || M * N * K <= SMALL_WORK) {
    if (M <= N) {
      for (let i = 0; i < M; i++) {
        gemv(N, K, alpha, B, bOffset, bCol, bRow, A, aOffset + i * aRow, aCol, C, cOffset + i * ldc, 1);
      }
    } else {
      for (let j = 0; j < N; j++) {
        gemv(M, K, alpha, A, aOffset, aRow, aCol, B, bOffset + j * bCol, bRow, C, cOffset + j, ldc);
      }
    }
    return;
  }

  const needB = Math.ceil(Math.min(NC, N) / NR) * NR * Math.min(KC, K + (K & 1));
  if (scratch.length < A_SPACE + needB) scratch = new Float64Array(A_SPACE + needB);
  const buf = scratch;
  for (let jc = 0; jc < N; jc += NC) {
    const nc = Math.min(NC, N - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = Math.min(KC, K - pc);
      // B's panel is packed as columns of op(B): "rows" of the panel are j, stepping bCol; depth k steps bRow.
      packPanelsB(buf, A_SPACE, B, bOffset + pc * bRow + jc * bCol, bCol, bRow, nc, kc);
      blockTimesPanel(buf, A_SPACE, 0, A, aOffset + pc * aCol, aRow, aCol, M, 0, nc, nc, kc, alpha, C, cOffset + jc, ldc);
    }
  }
}

/**
 * `C += alpha * op(A)[:, block] · panel` for columns `j0 … j1` (j0 a multiple of NR) of one packed KC×NC panel of
 * op(B) at `buf[bBase…]`, `nc` columns wide: packs MC-row blocks of op(A) into the same buffer at `buf[aBase…]` (each
 * thread has its own A space) and sweeps the micro-tiles.
 */
function blockTimesPanel(
  buf: Float64Array,
  bBase: number,
  aBase: number,
  A: Float32Array,
  aOffset: number,
  aRow: number,
  aCol: number,
  M: number,
  j0: number,
  j1: number,
  nc: number,
  kc: number,
  alpha: number,
  C: Float32Array,
  cOffset: number,
  ldc: number,
): void {
  const kp = kc + (kc & 1); // packed (even) depth
  for (let ic = 0; ic < M; ic += MC) {
    const mc = Math.min(MC, M - ic);
    packPanelsA(buf, aBase, A, aOffset + ic * aRow, aRow, aCol, mc, kc);
    for (let jr = j0; jr < j1; jr += NR) {
      const nr = Math.min(NR, nc - jr);
      const cCol = cOffset + jr;
      for (let ir = 0; ir < mc; ir += MR) {
        const mr = Math.min(MR, mc - ir);
        const ci = cCol + (ic + ir) * ldc;
        if (mr === MR && nr === NR) microKernel(kp, buf, aBase + ir * kp, bBase + jr * kp, alpha, C, ci, ldc);
        else edgeKernel(kp, buf, aBase + ir * kp, bBase + jr * kp, alpha, C, ci, ldc, mr, nr);
      }
    }
  }
}

/**
 * `op(B)` (`[K, N]`) packed once into the kernel's panel layout, for many products `op(A) · op(B)` with different A —
 * the recurrent weights, multiplied once per time step. Made by {@link packB}, used by {@link gemmPacked}; it copies
 * B, so it must be repacked if B changes.
 */
export interface PackedB {
  /** Rows of op(B): the depth K of the products. */
  readonly k: number;
  /** Columns of op(B) and of C. */
  readonly n: number;
  /**
   * Threads that may multiply by it at once: the buffers start with this many A spaces (one block of A each, thread
   * `t` packs into space `t`), then hold B's panels.
   */
  readonly aSlots: number;
  /** `aSlots` blocks of A, then B's KC×NC panels in the order the product visits them. */
  readonly buffer: Float64Array;
  /**
   * B's seven Strassen block operands (see gemm-strassen.ts) when op(B) splits and is finite, else null: products
   * with an even, large enough M and a finite A use them.
   */
  readonly strassen: Float64Array | null;
  /** The source, for products too small or skinny to use the panels (they fall back to {@link gemm}). */
  readonly source: {
    /** B stored `[N, K]`. */
    readonly transB: boolean;
    /** Storage of B. */
    readonly data: Float32Array;
    /** Index of B's first element. */
    readonly offset: number;
    /** Row stride of B as stored. */
    readonly ld: number;
  };
}

/** Where a {@link PackedB} is made: how many threads use it at once, and whether in shared memory for them. */
export interface PackLayout {
  /** Threads that may multiply by it at once (one A space each). */
  readonly aSlots: number;
  /** Allocate the buffers in a `SharedArrayBuffer` (helper threads read them). */
  readonly shared: boolean;
}

const ONE_THREAD: PackLayout = { aSlots: 1, shared: false };

/** `reuse` when it has room for `size` doubles and the kind of memory `layout` asks for, else a new buffer. */
function packBuffer(reuse: Float64Array | null | undefined, size: number, layout: PackLayout): Float64Array {
  // typeof first: browsers without cross-origin isolation have no SharedArrayBuffer at all.
  const shared = typeof SharedArrayBuffer === 'function' && reuse?.buffer instanceof SharedArrayBuffer;
  if (reuse && reuse.length >= size && shared === layout.shared) return reuse;
  return layout.shared ? new Float64Array(new SharedArrayBuffer(size * 8)) : new Float64Array(size);
}

/**
 * Packs `op(B)` (`[K, N]`, arguments as in {@link gemm}) for {@link gemmPacked}. Pass the previous result as `reuse`
 * to pack into its buffer when it is large enough (no allocation when the same shapes are packed call after call);
 * `layout` makes room for several threads' blocks of A (and shared memory) for threaded products.
 */
export function packB(
  transB: boolean,
  K: number,
  N: number,
  B: Float32Array,
  bOffset: number,
  ldb: number,
  reuse?: PackedB,
  layout: PackLayout = ONE_THREAD,
): PackedB {
  const bStart = layout.aSlots * A_SPACE;
  let size = bStart;
  // Panels are packed with even depth: only the last block of K can be odd and gains one zero step.
  for (let jc = 0; jc < N; jc += NC) size += Math.ceil(Math.min(NC, N - jc) / NR) * NR * (K + (K & 1));
  const sameSlots = reuse?.aSlots === layout.aSlots;
  const buffer = packBuffer(sameSlots ? reuse?.buffer : null, size, layout);
  const bRow = transB ? 1 : ldb;
  const bCol = transB ? ldb : 1;
  for (let jc = 0, base = bStart; jc < N; jc += NC) {
    const nc = Math.min(NC, N - jc);
    const panelWidth = Math.ceil(nc / NR) * NR;
    for (let pc = 0; pc < K; pc += KC) {
      const kc = Math.min(KC, K - pc);
      packPanelsB(buffer, base, B, bOffset + pc * bRow + jc * bCol, bCol, bRow, nc, kc);
      base += panelWidth * (kc + (kc & 1));
    }
  }
  const strassen =
    strassenFitsKN(K, N) && allFinite(B, bOffset, bRow, bCol, K, N)
      ? packStrassenB(K, N, B, bOffset, bRow, bCol, packBuffer(sameSlots ? reuse?.strassen : null, strassenPackedSize(K, N, bStart), layout), bStart)
      : null;
  return { k: K, n: N, aSlots: layout.aSlots, buffer, strassen, source: { transB, data: B, offset: bOffset, ld: ldb } };
}

/** How {@link gemmPacked} computes a product: see {@link packedPath}. */
export type PackedPath = 'small' | 'strassen' | 'classical';

/**
 * Which path a product `op(A) · packed` takes: `small` (too small or skinny for the panels: plain {@link gemm} on
 * the source), `strassen` (one Strassen level, when both operands split and are finite) or `classical` (the packed
 * panels). Every thread of a threaded product takes the one path chosen here.
 */
export function packedPath(
  transA: boolean,
  M: number,
  A: Float32Array,
  aOffset: number,
  lda: number,
  packed: PackedB,
): PackedPath {
  const { k: K, n: N } = packed;
  if (M < MR || N < NR || M * N * K <= SMALL_WORK) return 'small';
  const aRow = transA ? 1 : lda;
  const aCol = transA ? lda : 1;
  return packed.strassen && strassenFitsM(M) && allFinite(A, aOffset, aRow, aCol, M, K) ? 'strassen' : 'classical';
}

/**
 * {@link gemm} with a pre-packed right operand: `C = alpha * op(A) @ op(B) + beta * C` where `op(A)` is `[M, K]`
 * and `packed` holds `op(B)` (`[K, N]`). Same contract and results as `gemm` on the source of `packed`.
 */
export function gemmPacked(
  transA: boolean,
  M: number,
  alpha: number,
  A: Float32Array,
  aOffset: number,
  lda: number,
  packed: PackedB,
  beta: number,
  C: Float32Array,
  cOffset: number,
  ldc: number,
): void {
  gemmPackedWith(packedPath(transA, M, A, aOffset, lda, packed), transA, M, alpha, A, aOffset, lda, packed, beta, C, cOffset, ldc);
}

/** {@link gemmPacked} along a `path` already chosen by {@link packedPath} for these operands. */
export function gemmPackedWith(
  path: PackedPath,
  transA: boolean,
  M: number,
  alpha: number,
  A: Float32Array,
  aOffset: number,
  lda: number,
  packed: PackedB,
  beta: number,
  C: Float32Array,
  cOffset: number,
  ldc: number,
): void {
  const { k: K, n: N, source: src } = packed;
  if (path === 'small') {
    gemm(transA, src.transB, M, N, K, alpha, A, aOffset, lda, src.data, src.offset, src.ld, beta, C, cOffset, ldc);
    return;
  }
  scale(M, N, beta, C, cOffset, ldc);
  if (K === 0 || alpha === 0) return;
  const aRow = transA ? 1 : lda;
  const aCol = transA ? lda : 1;
  const bStart = packed.aSlots * A_SPACE;
  if (path === 'strassen') strassenGemmPacked(M, N, K, alpha, A, aOffset, aRow, aCol, packed.strassen!, bStart, 0, 0, N / 2, C, cOffset, ldc);
  else packedColumns(M, N, K, alpha, A, aOffset, aRow, aCol, packed.buffer, bStart, 0, 0, N, C, cOffset, ldc);
}

/**
 * The classical packed path of {@link gemmPacked} for columns `col0 … col1` of C (`col0` a multiple of NR): `C +=
 * alpha * op(A) · op(B)[:, col0…col1]`, beta already applied, with op(A)(i, p) = `A[aOffset + i*aRow + p*aCol]`,
 * B's panels at `buf[bStart…]` and this thread's A space at `buf[aBase…]`. Threads given disjoint column windows
 * compute exactly what one thread computes for those columns.
 */
export function packedColumns(
  M: number,
  N: number,
  K: number,
  alpha: number,
  A: Float32Array,
  aOffset: number,
  aRow: number,
  aCol: number,
  buf: Float64Array,
  bStart: number,
  aBase: number,
  col0: number,
  col1: number,
  C: Float32Array,
  cOffset: number,
  ldc: number,
): void {
  for (let jc = 0, base = bStart; jc < N; jc += NC) {
    const nc = Math.min(NC, N - jc);
    const panelWidth = Math.ceil(nc / NR) * NR;
    const j0 = Math.max(col0 - jc, 0);
    const j1 = Math.min(col1 - jc, nc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = Math.min(KC, K - pc);
      if (j0 < j1) blockTimesPanel(buf, base, aBase, A, aOffset + pc * aCol, aRow, aCol, M, j0, j1, nc, kc, alpha, C, cOffset + jc, ldc);
      base += panelWidth * (kc + (kc & 1));
    }
  }
}

/** Doubles of one A space (one MC×KC block of A) at the front of packed buffers: thread `t` packs at `t · A_SPACE`. */
export const GEMM_A_SPACE = A_SPACE;
/** Columns per micro-tile: column windows of threaded products start at multiples of it. */
export const GEMM_NR = NR;
/** Rows per micro-tile: row windows of threaded products start at multiples of it. */
export const GEMM_MR = MR;
/** Products of at most this many multiply-adds (or narrower than a micro-tile) skip packing: see {@link gemm}. */
export const GEMM_SMALL_WORK = SMALL_WORK;

/**
 * Source text of an expression whose value is `{ gemm, packedColumns }`: this file's kernels, self-contained, for
 * helper threads (thread-worker.ts) to run the very same code on shared memory.
 */
export function gemmKernelSource(): string {
  const functions = [gemm, blockTimesPanel, packedColumns, scale, gemv, packPanelsA, packPanelsB, packEdgePanel, microKernel, edgeKernel];
  return `(() => {
'use strict';
const MR = ${MR}, NR = ${NR}, KC = ${KC}, MC = ${MC}, NC = ${NC}, SMALL_WORK = ${SMALL_WORK}, A_SPACE = ${A_SPACE};
let scratch = new Float64Array(0);
const edgeTile = new Float32Array(MR * NR);
${functions.map(String).join('\n')}
return { gemm, packedColumns };
})()`;
}

/** `C = beta * C` on the M×N window, with `beta = 0` clearing (not multiplying) so NaNs in C do not survive. */
export function scale(M: number, N: number, beta: number, C: Float32Array, cOffset: number, ldc: number): void {
  if (beta === 1) return;
  for (let i = 0; i < M; i++) {
    const row = cOffset + i * ldc;
    if (beta === 0) C.fill(0, row, row + N);
    else for (let j = row; j < row + N; j++) C[j] = beta * C[j]!;
  }
}

/**
 * `y(t) += alpha * Σₖ X(t, k)·v(k)` for `t < T`, with `X(t, k) = X[xOffset + t*tStride + k*kStride]`,
 * `v(k) = V[vOffset + k*vStride]`, `y(t) = Y[yOffset + t*yStride]`. Four outputs at a time share each load of v and
 * give four independent add chains (a single dot-product chain is latency-bound at about a third of the speed).
 */
function gemv(
  T: number,
  K: number,
  alpha: number,
  X: Float32Array,
  xOffset: number,
  tStride: number,
  kStride: number,
  V: Float32Array,
  vOffset: number,
  vStride: number,
  Y: Float32Array,
  yOffset: number,
  yStride: number,
): void {
  // Leftover outputs first, for the same OSR reason as in packPanelsA: nothing may follow the long loop.
  const full = T - (T % 4);
  for (let t = full; t < T; t++) {
    let s = 0;
    for (let k = 0, x = xOffset + t * tStride, v = vOffset; k < K; k++, x += kStride, v += vStride) s += X[x]! * V[v]!;
    const y = yOffset + t * yStride;
    Y[y] = Y[y]! + alpha * s;
  }
  const t1 = tStride;
  const t2 = 2 * tStride;
  const t3 = 3 * tStride;
  for (let t = 0; t < full; t += 4) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let k = 0, x = xOffset + t * tStride, v = vOffset; k < K; k++, x += kStride, v += vStride) {
      const b = V[v]!;
      s0 += X[x]! * b;
      s1 += X[x + t1]! * b;
      s2 += X[x + t2]! * b;
      s3 += X[x + t3]! * b;
    }
    const y0 = yOffset + t * yStride;
    const y1 = y0 + yStride;
    const y2 = y1 + yStride;
    const y3 = y2 + yStride;
    Y[y0] = Y[y0]! + alpha * s0;
    Y[y1] = Y[y1]! + alpha * s1;
    Y[y2] = Y[y2]! + alpha * s2;
    Y[y3] = Y[y3]! + alpha * s3;
  }
}

/**
 * Packs `rows × kc` of a strided matrix (`src[off + r*rowStride + p*colStride]`) into MR-row micro-panels from
 * `dst[dBase]` on, each stored k-major (`dst[dBase + panel*MR*kp + p*MR + r]`) so the kernel reads MR consecutive values per k, with an even depth kp
 * (kc, or kc + 1 with a zero step when kc is odd: the kernel takes depth steps in pairs). The last panel is
 * zero-padded.
 */
function packPanelsA(
  dst: Float64Array,
  dBase: number,
  src: Float32Array,
  off: number,
  rowStride: number,
  colStride: number,
  rows: number,
  kc: number,
): void {
  const kp = kc + (kc & 1);
  const full = rows - (rows % MR);
  // The partial panel goes first so no code follows the long loop: V8 may compile that loop on-stack (OSR) before
  // any code after it has run, and such code would then deoptimize on every call until the function re-optimizes.
  if (full < rows) {
    packEdgePanel(dst, dBase + full * kp, src, off + full * rowStride, rowStride, colStride, rows - full, kc, MR);
  }
  const r1 = rowStride;
  for (let i0 = 0, d = dBase; i0 < full; i0 += MR, d += MR * kp) {
    if (kp > kc) dst.fill(0, d + MR * kc, d + MR * kp);
    for (let p = 0, s = off + i0 * rowStride, q = d; p < kc; p++, s += colStride, q += MR) {
      dst[q] = src[s]!;
      dst[q + 1] = src[s + r1]!;
    }
  }
}

/**
 * {@link packPanelsA} for the NR-column micro-panels of B (the panel's "rows" are columns of op(B)), written from
 * `dst[dBase]` on.
 */
function packPanelsB(
  dst: Float64Array,
  dBase: number,
  src: Float32Array,
  off: number,
  rowStride: number,
  colStride: number,
  rows: number,
  kc: number,
): void {
  const kp = kc + (kc & 1);
  const full = rows - (rows % NR);
  if (full < rows) {
    packEdgePanel(dst, dBase + full * kp, src, off + full * rowStride, rowStride, colStride, rows - full, kc, NR);
  }
  const r1 = rowStride;
  const r2 = 2 * rowStride;
  for (let j0 = 0, d = dBase; j0 < full; j0 += NR, d += NR * kp) {
    if (kp > kc) dst.fill(0, d + NR * kc, d + NR * kp);
    for (let p = 0, s = off + j0 * rowStride, q = d; p < kc; p++, s += colStride, q += NR) {
      dst[q] = src[s]!;
      dst[q + 1] = src[s + r1]!;
      dst[q + 2] = src[s + r2]!;
    }
  }
}

/**
 * Packs the last, partial micro-panel (`n < R` valid rows) and zero-fills the rest, and the odd depth's extra step,
 * so padded lanes add 0.
 */
function packEdgePanel(
  dst: Float64Array,
  d: number,
  src: Float32Array,
  off: number,
  rowStride: number,
  colStride: number,
  n: number,
  kc: number,
  R: number,
): void {
  const kp = kc + (kc & 1);
  for (let p = 0, q = d; p < kp; p++, q += R) {
    const s = off + p * colStride;
    for (let r = 0; r < R; r++) dst[q + r] = r < n && p < kc ? src[s + r * rowStride]! : 0;
  }
}

/**
 * One full MR×NR tile: `C += alpha * Ap @ Bp` over the even depth kp, from the micro-panels at `p[ai…]` (A) and
 * `p[bi…]` (B). Two depth steps per iteration, their products summed before the accumulator (see the tuning notes);
 * the six accumulators are locals so V8 keeps them in registers. The function has no branch besides the k loop on
 * purpose: a path first taken after V8 optimized this function would deoptimize the hottest code in the library.
 */
function microKernel(
  kp: number,
  p: Float64Array,
  ai: number,
  bi: number,
  alpha: number,
  C: Float32Array,
  ci: number,
  ldc: number,
): void {
  let c00 = 0, c01 = 0, c02 = 0;
  let c10 = 0, c11 = 0, c12 = 0;
  for (let q = 0; q < kp; q += 2, ai += 2 * MR, bi += 2 * NR) {
    const a0 = p[ai]!;
    const a1 = p[ai + 1]!;
    const e0 = p[ai + 2]!;
    const e1 = p[ai + 3]!;
    const b0 = p[bi]!;
    const b1 = p[bi + 1]!;
    const b2 = p[bi + 2]!;
    const f0 = p[bi + 3]!;
    const f1 = p[bi + 4]!;
    const f2 = p[bi + 5]!;
    c00 += a0 * b0 + e0 * f0; c01 += a0 * b1 + e0 * f1; c02 += a0 * b2 + e0 * f2;
    c10 += a1 * b0 + e1 * f0; c11 += a1 * b1 + e1 * f1; c12 += a1 * b2 + e1 * f2;
  }
  const r1 = ci + ldc;
  C[ci] = C[ci]! + alpha * c00;
  C[ci + 1] = C[ci + 1]! + alpha * c01;
  C[ci + 2] = C[ci + 2]! + alpha * c02;
  C[r1] = C[r1]! + alpha * c10;
  C[r1 + 1] = C[r1 + 1]! + alpha * c11;
  C[r1 + 2] = C[r1 + 2]! + alpha * c12;
}

/** An edge tile clipped to `mr × nr`: the full kernel into a zeroed scratch tile, then only its valid part into C. */
function edgeKernel(
  kp: number,
  p: Float64Array,
  ai: number,
  bi: number,
  alpha: number,
  C: Float32Array,
  ci: number,
  ldc: number,
  mr: number,
  nr: number,
): void {
  const t = edgeTile;
  t.fill(0);
  microKernel(kp, p, ai, bi, alpha, t, 0, NR);
  for (let r = 0; r < mr; r++) {
    for (let c = 0, d = ci + r * ldc; c < nr; c++, d++) C[d] = C[d]! + t[r * NR + c]!;
  }
}
