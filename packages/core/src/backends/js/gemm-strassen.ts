// One level of Strassen's algorithm around the js GEMM's packed micro-kernel, for products with a pre-packed right
// operand (the recurrent weights, multiplied once per time step).
//
// Strassen, "Gaussian elimination is not optimal" (Numer. Math. 1969): C = A·B split into 2×2 blocks needs 7 block
// products instead of 8. Following Huang, Smith, Henry & van de Geijn, "Strassen's Algorithm Reloaded" (SC16), the
// block sums are formed while packing (A's block sums per call, B's once per packed weight) and each product's
// micro-tile is added straight into the one or two C blocks it contributes to, so no temporary matrix is made. The
// saving is 1/8 of the multiply-adds, which are ~85% of a recurrent training step on this backend, less the packing
// of A's block sums (7/4 of A, each element read twice) and a second C update per tile.
//
// Accuracy: block sums are formed in float64 (exact for float32 inputs) and every product is accumulated in float64
// as in the classical path; each C element receives two to four float32-rounded contributions instead of one per KC
// block, which leaves the error far inside the 1e-5 (relative to Σ|a·b|) the GEMM is tested to. Non-finite inputs
// would turn into NaN through the differences of products (∞ − ∞), so callers check that both operands are finite
// (see allFinite) and use the classical path otherwise.
//
// Measured (loaded machine, in-process A/B against the classical packed path, both with the paired 2×3 kernel):
// 1.05–1.07× on the S2 recurrent products [64, 256]·[256, 256 | 768] and [64, 768]·[768, 256] (8.1–8.4 effective
// GFLOP/s), below the 8/7 ideal by the A-side sums, the second C update and edge tiles. Without a pre-packed B (the
// weight-gradient and input-projection GEMMs, whose N ≤ 768 gives each packed element little reuse) packing both
// operands' block sums cost as much as the saved block product (0.91–1.03× measured), so those stay classical.

/** Rows of C per micro-tile (the classical kernel's paired 2×3 tile, measured best for V8's scalar code; see gemm.ts). */
const MR = 2;
/** Columns of C per micro-tile. */
const NR = 3;
/** Depth of one packed block (even: panels are packed with even depth, see packSum). */
const KC = 256;
/** Rows of A packed at once (multiple of MR). */
const MC = 96;
/** Columns of B packed at once (multiple of NR). */
const NC = 1536;

/**
 * The seven products of Strassen's scheme, M_i = (A_x + sA·A_y)(B_u + sB·B_v), with blocks numbered 0 = 11, 1 = 12,
 * 2 = 21, 3 = 22 (−1: no second term) and the C blocks they are added to with their signs:
 * M1 = (A11 + A22)(B11 + B22) → C11, C22; M2 = (A21 + A22)B11 → C21, −C22; M3 = A11(B12 − B22) → C12, C22;
 * M4 = A22(B21 − B11) → C11, C21; M5 = (A11 + A12)B22 → −C11, C12; M6 = (A21 − A11)(B11 + B12) → C22;
 * M7 = (A12 − A22)(B21 + B22) → C11.
 * Row layout: [ax, ay, sA, bu, bv, sB, c1, g1, c2, g2].
 */
const PRODUCTS: readonly (readonly number[])[] = [
  [0, 3, 1, 0, 3, 1, 0, 1, 3, 1],
  [2, 3, 1, 0, -1, 0, 2, 1, 3, -1],
  [0, -1, 0, 1, 3, -1, 1, 1, 3, 1],
  [3, -1, 0, 2, 0, -1, 0, 1, 2, 1],
  [0, 1, 1, 3, -1, 0, 0, -1, 1, 1],
  [2, 0, -1, 0, 1, 1, 3, 1, -1, 0],
  [1, 3, -1, 2, 3, 1, 0, 1, -1, 0],
];

// Smallest half-dimensions worth splitting: below these the block sums, short k loops and edge tiles eat the saving.
/** Smallest M / 2 (rows of a block of A and C). */
const MIN_HALF_M = 16;
/** Smallest N / 2 (columns of a block of B and C). */
const MIN_HALF_N = 48;
/** Smallest K / 2 (the depth of each block product). */
const MIN_HALF_K = 64;

/** Whether op(B) of `[K, N]` can be split: both dimensions even and their halves large enough. */
export function strassenFitsKN(K: number, N: number): boolean {
  return N % 2 === 0 && K % 2 === 0 && N >= 2 * MIN_HALF_N && K >= 2 * MIN_HALF_K;
}

/** Whether M rows of op(A) and C can be split: M even and its half large enough. */
export function strassenFitsM(M: number): boolean {
  return M % 2 === 0 && M >= 2 * MIN_HALF_M;
}

/** Whether every element of the `rows × cols` window (`src[off + r*rowStride + c*colStride]`) is finite. */
export function allFinite(src: Float32Array, off: number, rowStride: number, colStride: number, rows: number, cols: number): boolean {
  // Walk the window along its smaller stride (a transposed operand's stored rows).
  if (rowStride < colStride) return allFinite(src, off, colStride, rowStride, cols, rows);
  // 0·v is 0 for finite v and NaN for ±∞ or NaN, so the sums stay 0 exactly when all are finite: branch-free, with
  // four independent chains (one chain would wait on the add latency at every element).
  let p0 = 0;
  let p1 = 0;
  let p2 = 0;
  let p3 = 0;
  const full = cols - (cols % 4);
  for (let r = 0; r < rows; r++) {
    const row = off + r * rowStride;
    for (let c = full, s = row + full * colStride; c < cols; c++, s += colStride) p0 += 0 * src[s]!;
    for (let c = 0, s = row; c < full; c += 4, s += 4 * colStride) {
      p0 += 0 * src[s]!;
      p1 += 0 * src[s + colStride]!;
      p2 += 0 * src[s + 2 * colStride]!;
      p3 += 0 * src[s + 3 * colStride]!;
    }
  }
  return p0 + p1 + p2 + p3 === 0;
}

/** Staging for clipped edge tiles (float32, so the kernel stays monomorphic on its C argument). */
const edgeTile = new Float32Array(MR * NR);

/** The half-dimensions of a split product. */
interface Halves {
  /** Half of M: rows of each block of op(A) and C. */
  readonly m: number;
  /** Half of N: columns of each block of op(B) and C. */
  readonly n: number;
  /** Half of K: columns of each block of op(A), rows of each block of op(B). */
  readonly k: number;
}

/**
 * Doubles {@link packStrassenB} writes for op(B) of `[K, N]` when B's panels start at `bStart` (after the threads'
 * spaces for summed blocks of A).
 */
export function strassenPackedSize(K: number, N: number, bStart: number): number {
  const n = N / 2;
  const k = K / 2;
  let size = bStart;
  for (let jc = 0; jc < n; jc += NC) size += PRODUCTS.length * Math.ceil(Math.min(NC, n - jc) / NR) * NR * (k + (k & 1));
  return size;
}

/**
 * Packs op(B) (`[K, N]`, stored `B[bOffset + p*bRow + j*bCol]`) for {@link strassenGemmPacked} into `out` (at least
 * {@link strassenPackedSize} long) and returns it: room for the threads' blocks of summed A (`bStart` doubles), then
 * the seven summed B operands (B_u + sB·B_v of each product) in the order the products visit them (product, then NC
 * columns, then KC depth). Packed once per right operand used in many products (the recurrent weights, once per time
 * step). The caller checks {@link strassenFitsKN} and that B is finite.
 */
export function packStrassenB(
  K: number,
  N: number,
  B: Float32Array,
  bOffset: number,
  bRow: number,
  bCol: number,
  out: Float64Array,
  bStart: number,
): Float64Array {
  const n = N / 2;
  const k = K / 2;
  let base = bStart;
  for (const [, , , bu, bv, sB] of PRODUCTS as number[][]) {
    const bFirst = bOffset + blockOf(bu!, k, n, bRow, bCol);
    const bDelta = bv! < 0 ? 0 : blockOf(bv!, k, n, bRow, bCol) - blockOf(bu!, k, n, bRow, bCol);
    for (let jc = 0; jc < n; jc += NC) {
      const nc = Math.min(NC, n - jc);
      const width = Math.ceil(nc / NR) * NR;
      for (let pc = 0; pc < k; pc += KC) {
        const kc = Math.min(KC, k - pc);
        packSum(out, base, B, bFirst + pc * bRow + jc * bCol, bDelta, sB!, bCol, bRow, nc, kc, NR);
        base += width * (kc + (kc & 1));
      }
    }
  }
  return out;
}

/**
 * `C += alpha · op(A)·op(B)` by one level of Strassen, with op(B) (`[K, N]`) packed by {@link packStrassenB} (B's
 * operands from `packed[bStart]` on) and op(A)(i, p) = `A[aOffset + i*aRow + p*aCol]` (`[M, K]`), for columns
 * `col0 … col1` (`col0` a multiple of NR) of every block of C (blocks are N / 2 wide). The caller has applied beta to
 * C and checked {@link strassenFitsM} and that A is finite; A's summed blocks are packed at `packed[aBase…]` (each
 * thread its own space). Threads given disjoint column windows add the same products in the same order to each
 * element as one thread, so the results are bit-identical.
 */
export function strassenGemmPacked(
  M: number,
  N: number,
  K: number,
  alpha: number,
  A: Float32Array,
  aOffset: number,
  aRow: number,
  aCol: number,
  packed: Float64Array,
  bStart: number,
  aBase: number,
  col0: number,
  col1: number,
  C: Float32Array,
  cOffset: number,
  ldc: number,
): void {
  const h: Halves = { m: M / 2, n: N / 2, k: K / 2 };
  let base = bStart;
  for (const [ax, ay, sA, , , , c1, g1, c2, g2] of PRODUCTS as number[][]) {
    for (let jc = 0; jc < h.n; jc += NC) {
      const nc = Math.min(NC, h.n - jc);
      const width = Math.ceil(nc / NR) * NR;
      const j0 = Math.max(col0 - jc, 0);
      const j1 = Math.min(col1 - jc, nc);
      for (let pc = 0; pc < h.k; pc += KC) {
        const kc = Math.min(KC, h.k - pc);
        if (j0 < j1) {
          product(packed, base, aBase, h, ax!, ay!, sA!, A, aOffset + pc * aCol, aRow, aCol, j0, j1, nc, kc, alpha, C, cOffset + jc, ldc, c1!, g1!, c2!, g2!);
        }
        base += width * (kc + (kc & 1));
      }
    }
  }
}

/**
 * Source text of an expression whose value is `{ strassenGemmPacked }`: this file's kernels, self-contained, for
 * helper threads (thread-worker.ts) to run the very same code on shared memory.
 */
export function strassenKernelSource(): string {
  const functions = [strassenGemmPacked, blockOf, product, packSum, dualKernel, addTile, dualEdge];
  return `(() => {
'use strict';
const MR = ${MR}, NR = ${NR}, KC = ${KC}, MC = ${MC}, NC = ${NC};
const PRODUCTS = ${JSON.stringify(PRODUCTS)};
const edgeTile = new Float32Array(MR * NR);
${functions.map(String).join('\n')}
return { strassenGemmPacked };
})()`;
}

/** Storage offset of block `q` (0 = 11, 1 = 12, 2 = 21, 3 = 22) of a matrix with `rows × cols` blocks. */
function blockOf(q: number, rows: number, cols: number, rowStride: number, colStride: number): number {
  return (q >> 1) * rows * rowStride + (q & 1) * cols * colStride;
}

/**
 * Columns `j0 … j1` of one KC×NC panel of one product: for each MC block of rows, packs A_x + sA·A_y (block columns
 * `pc…pc+kc` are already folded into `aOffset`) into `buf[aBase…]`, then sweeps the micro-tiles against the B panel
 * at `buf[bBase…]`,
 * adding `g1·alpha·tile` to C block c1 and `g2·alpha·tile` to C block c2 (none when c2 < 0).
 */
function product(
  buf: Float64Array,
  bBase: number,
  aBase: number,
  h: Halves,
  ax: number,
  ay: number,
  sA: number,
  A: Float32Array,
  aOffset: number,
  aRow: number,
  aCol: number,
  j0: number,
  j1: number,
  nc: number,
  kc: number,
  alpha: number,
  C: Float32Array,
  cOffset: number,
  ldc: number,
  c1: number,
  g1: number,
  c2: number,
  g2: number,
): void {
  const aFirst = aOffset + blockOf(ax, h.m, h.k, aRow, aCol);
  const aDelta = ay < 0 ? 0 : blockOf(ay, h.m, h.k, aRow, aCol) - blockOf(ax, h.m, h.k, aRow, aCol);
  const c1Off = cOffset + blockOf(c1, h.m, h.n, ldc, 1);
  // A single target is written as a second update of weight 0 to the same tile, so one kernel serves both cases.
  const c2Off = c2 < 0 ? c1Off : cOffset + blockOf(c2, h.m, h.n, ldc, 1);
  const a1 = alpha * g1;
  const a2 = c2 < 0 ? 0 : alpha * g2;
  const kp = kc + (kc & 1); // packed (even) depth
  for (let ic = 0; ic < h.m; ic += MC) {
    const mc = Math.min(MC, h.m - ic);
    packSum(buf, aBase, A, aFirst + ic * aRow, aDelta, sA, aRow, aCol, mc, kc, MR);
    for (let jr = j0; jr < j1; jr += NR) {
      const nr = Math.min(NR, nc - jr);
      for (let ir = 0; ir < mc; ir += MR) {
        const mr = Math.min(MR, mc - ir);
        const rowCol = (ic + ir) * ldc + jr;
        if (mr === MR && nr === NR) {
          dualKernel(kp, buf, aBase + ir * kp, bBase + jr * kp, C, c1Off + rowCol, a1, c2Off + rowCol, a2, ldc);
        } else {
          dualEdge(kp, buf, aBase + ir * kp, bBase + jr * kp, C, c1Off + rowCol, a1, c2Off + rowCol, a2, ldc, mr, nr);
        }
      }
    }
  }
}

/**
 * Packs `rows × kc` of `X + s·Y`, where X is the strided matrix at `src[off…]` (`off + r*rowStride + p*colStride`) and
 * Y the same window `delta` further on, into R-row micro-panels stored k-major from `dst[dBase]`, with an even depth
 * (a zero step appended when kc is odd: the kernel takes depth steps in pairs); the last panel is zero-padded. With
 * s = 0 (no second block) it is a plain copy: the inputs are finite, so 0·Y adds exactly 0.
 */
function packSum(
  dst: Float64Array,
  dBase: number,
  src: Float32Array,
  off: number,
  delta: number,
  s: number,
  rowStride: number,
  colStride: number,
  rows: number,
  kc: number,
  R: number,
): void {
  const kp = kc + (kc & 1);
  for (let r0 = 0, d = dBase; r0 < rows; r0 += R, d += R * kp) {
    const n = Math.min(R, rows - r0);
    if (n < R) dst.fill(0, d, d + R * kp);
    else if (kp > kc) dst.fill(0, d + R * kc, d + R * kp);
    // Every row of the panel at each depth step, so a transposed source is read along its stored rows.
    for (let p = 0, q = d, i = off + r0 * rowStride; p < kc; p++, q += R, i += colStride) {
      for (let r = 0, j = i; r < n; r++, j += rowStride) dst[q + r] = src[j]! + s * src[j + delta]!;
    }
  }
}

/**
 * One full MR×NR tile of a product over the even depth kp from the micro-panels at `p[ai…]` (A) and `p[bi…]` (B),
 * added to two C tiles with weights `a1` and `a2` (`C[c1…] += a1·tile`, then `C[c2…] += a2·tile`). The loop is the
 * classical kernel's (two depth steps per iteration, see gemm.ts); only the epilogue differs.
 */
function dualKernel(
  kp: number,
  p: Float64Array,
  ai: number,
  bi: number,
  C: Float32Array,
  c1: number,
  a1: number,
  c2: number,
  a2: number,
  ldc: number,
): void {
  let c00 = 0, c01 = 0, c02 = 0;
  let c10 = 0, c11 = 0, c12 = 0;
  for (let q = 0; q < kp; q += 2, ai += 2 * MR, bi += 2 * NR) {
    const x0 = p[ai]!;
    const x1 = p[ai + 1]!;
    const u0 = p[ai + 2]!;
    const u1 = p[ai + 3]!;
    const y0 = p[bi]!;
    const y1 = p[bi + 1]!;
    const y2 = p[bi + 2]!;
    const v0 = p[bi + 3]!;
    const v1 = p[bi + 4]!;
    const v2 = p[bi + 5]!;
    c00 += x0 * y0 + u0 * v0; c01 += x0 * y1 + u0 * v1; c02 += x0 * y2 + u0 * v2;
    c10 += x1 * y0 + u1 * v0; c11 += x1 * y1 + u1 * v1; c12 += x1 * y2 + u1 * v2;
  }
  addTile(C, c1, ldc, a1, c00, c01, c02, c10, c11, c12);
  addTile(C, c2, ldc, a2, c00, c01, c02, c10, c11, c12);
}

/** `C[tile at ci] += w · (the six accumulators)`. */
function addTile(
  C: Float32Array,
  ci: number,
  ldc: number,
  w: number,
  c00: number, c01: number, c02: number,
  c10: number, c11: number, c12: number,
): void {
  const r1 = ci + ldc;
  C[ci] = C[ci]! + w * c00;
  C[ci + 1] = C[ci + 1]! + w * c01;
  C[ci + 2] = C[ci + 2]! + w * c02;
  C[r1] = C[r1]! + w * c10;
  C[r1 + 1] = C[r1 + 1]! + w * c11;
  C[r1 + 2] = C[r1 + 2]! + w * c12;
}

/**
 * A tile clipped to `mr × nr` at the bottom/right edge: the full kernel into a zeroed staging tile, then only its
 * valid part into the two C tiles.
 */
function dualEdge(
  kp: number,
  p: Float64Array,
  ai: number,
  bi: number,
  C: Float32Array,
  c1: number,
  a1: number,
  c2: number,
  a2: number,
  ldc: number,
  mr: number,
  nr: number,
): void {
  const t = edgeTile;
  t.fill(0);
  dualKernel(kp, p, ai, bi, t, 0, 1, 0, 0, NR);
  for (let r = 0; r < mr; r++) {
    for (let c = 0; c < nr; c++) {
      const v = t[r * NR + c]!;
      C[c1 + r * ldc + c] = C[c1 + r * ldc + c]! + a1 * v;
      C[c2 + r * ldc + c] = C[c2 + r * ldc + c]! + a2 * v;
    }
  }
}
