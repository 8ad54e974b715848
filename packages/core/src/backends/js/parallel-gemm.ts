// Intra-op threading of the js GEMMs: a product large enough is split into column (or row) blocks, one per thread;
// helper threads (thread-pool.ts) run the same kernels as the caller on SharedArrayBuffers. Blocks start on whole
// micro-tiles and every block still takes the packed path, so each element of C is computed by the same micro-kernel
// calls in the same order as on one thread: results are bit-identical, whatever the number of threads. Only the
// output is split, never the reduction.
//
// The js kernels are plain functions; a threaded js backend makes its pool current for the duration of each kernel
// call (withThreads), and the kernels' GEMMs (the all-time-step projections and gradients, and the per-step recurrent
// products) find it here. Operands already in shared memory (slabs and packed weights made while a pool is current)
// are used in place; others are copied into reusable shared staging buffers.

import {
  GEMM_A_SPACE,
  GEMM_MR,
  GEMM_NR,
  GEMM_SMALL_WORK,
  type PackedB,
  type PackLayout,
  gemmPackedWith,
  gemm as gemmOneThread,
  packB as packBOneThread,
  packedColumns,
  packedPath,
  scale,
} from './gemm.js';
import { strassenGemmPacked } from './gemm-strassen.js';
import type { JsThreadPool } from './thread-pool.js';
import { JS_THREAD_OPS } from './thread-worker.js';

/** A threaded js backend's pool and threshold, current while one of its kernels runs. */
export interface JsThreads {
  /** The helper threads. */
  readonly pool: JsThreadPool;
  /** Smallest product, in multiply-adds (M·N·K), split across threads. */
  readonly minWork: number;
}

/**
 * GEMMs from this many multiply-adds up run on the threads by default: 2^20, about 0.25 ms on one thread here. The
 * per-step recurrent products of the S2 benchmark shape ([64, 256]·[256, 256 … 768]) are 4–13 M.
 */
export const DEFAULT_JS_PARALLEL_MIN_WORK = 2 ** 20;

let current: JsThreads | null = null;

/** Runs `fn` with `threads` current (null: one thread), restoring the previous ones after. */
export function withThreads<T>(threads: JsThreads | null, fn: () => T): T {
  const previous = current;
  current = threads;
  try {
    return fn();
  } finally {
    current = previous;
  }
}

/** Whether a threaded kernel call is running: buffers it allocates for GEMM operands should then be shared. */
export function threadsActive(): boolean {
  return current !== null && current.pool.size > 1;
}

/** A zeroed float32 array of `n`, in shared memory while a threaded call runs (see {@link threadsActive}). */
export function operandArray(n: number): Float32Array {
  return threadsActive() ? new Float32Array(new SharedArrayBuffer(4 * n)) : new Float32Array(n);
}

/** Shared per-step operand arrays of the fused kernels, by role and length, reused call after call. */
const stepArrays = new Map<string, Float32Array>();

/**
 * A zeroed float32 array of `n` for a fused kernel's per-step GEMM operands (`role` names which, e.g. `R`): while a
 * threaded call runs, the one shared array of that role and length, reused by every call (so the helpers are sent
 * each buffer once, and none piles up in them however long a synchronous training loop runs); else a new array.
 * A call must not hold two arrays of one role.
 */
export function stepArray(role: string, n: number): Float32Array {
  if (!threadsActive()) return new Float32Array(n);
  const key = `${role}:${n}`;
  const cached = stepArrays.get(key);
  if (cached) return cached.fill(0);
  const made = new Float32Array(new SharedArrayBuffer(4 * n));
  stepArrays.set(key, made);
  return made;
}

/** A block of C one thread computes: rows `row … row + rows`, columns `col … col + cols`. */
export interface JsGemmBlock {
  /** First row of C. */
  readonly row: number;
  /** Rows of C. */
  readonly rows: number;
  /** First column of C. */
  readonly col: number;
  /** Columns of C. */
  readonly cols: number;
}

/**
 * How an `M × N` product over depth `K` splits across `threads`: the whole of C (one block) when the product has
 * fewer than `minWork` multiply-adds, would take the unpacked small path, or is too narrow for a block per thread;
 * else `threads` blocks along the longer side of C (columns on a tie), starting at whole micro-tiles (NR columns, MR
 * rows). Every block stays on the packed path (each has more than the small path's work), so results do not change.
 */
export function planJsGemm(M: number, N: number, K: number, threads: number, minWork: number): JsGemmBlock[] {
  const whole = [{ row: 0, rows: M, col: 0, cols: N }];
  if (threads < 2 || M * N * K < minWork || M < GEMM_MR || N < GEMM_NR) return whole;
  const byCols = N >= M;
  const length = byCols ? N : M;
  const unit = byCols ? GEMM_NR : GEMM_MR;
  const parts = Math.min(threads, Math.floor(length / unit));
  if (parts < 2) return whole;
  const blocks: JsGemmBlock[] = [];
  let start = 0;
  for (let p = 1; p <= parts; p++) {
    const end = p === parts ? length : Math.floor((p * length) / (parts * unit)) * unit;
    blocks.push(byCols ? { row: 0, rows: M, col: start, cols: end - start } : { row: start, rows: end - start, col: 0, cols: N });
    start = end;
  }
  const smallest = blocks[0]!; // the first block is never longer than the others
  if (smallest.rows * smallest.cols * K <= GEMM_SMALL_WORK) return whole;
  return blocks;
}

/** Column windows `[col0, col1)` of `n` columns for `parts` threads, on whole micro-tiles (1 window when too narrow). */
function columnWindows(n: number, parts: number): number[] {
  const count = Math.min(parts, Math.floor(n / GEMM_NR));
  if (count < 2) return [0, n];
  const edges = [0];
  for (let p = 1; p < count; p++) edges.push(Math.floor((p * n) / (count * GEMM_NR)) * GEMM_NR);
  edges.push(n);
  return edges;
}

/** Reusable shared staging for operands outside shared memory, by role (A, B, C), grown on demand. */
const staging: (Float32Array | null)[] = [null, null, null];

/**
 * `array` as seen by the helpers: its shared buffer's id and the element offset of `offset`, staging a copy of
 * `array[offset … offset + length)` (into staging slot `role`) when the array is not in shared memory.
 */
function shared(pool: JsThreadPool, role: number, array: Float32Array, offset: number, length: number): [number, number] {
  if (array.buffer instanceof SharedArrayBuffer) return [pool.idOf(array.buffer), array.byteOffset / 4 + offset];
  let stage = staging[role];
  if (!stage || stage.length < length) {
    stage = new Float32Array(new SharedArrayBuffer(4 * Math.max(length, 2 * (stage?.length ?? 0))));
    staging[role] = stage;
  }
  stage.set(array.subarray(offset, offset + length));
  return [pool.idOf(stage.buffer as SharedArrayBuffer), 0];
}

/** Elements spanned by a `rows × cols` row-major window with leading dimension `ld`. */
function span(rows: number, cols: number, ld: number): number {
  return rows === 0 || cols === 0 ? 0 : (rows - 1) * ld + cols;
}

/**
 * Where helpers write C: in place when C is in shared memory, else a staging copy of the window (C's rows from the
 * first block's row on), copied back by {@link unstageC}.
 */
function sharedC(pool: JsThreads['pool'], C: Float32Array, offset: number, rows: number, cols: number, ldc: number) {
  const length = span(rows, cols, ldc);
  const [id, at] = shared(pool, 2, C, offset, length);
  return { id, at, staged: !(C.buffer instanceof SharedArrayBuffer), length };
}

/**
 * Copies the helpers' blocks of a staged C back: only the windows helpers computed, so blocks the caller computed
 * (its own, and those it took back: `ranLocally[i − 1]` for block i) are left as it wrote them.
 */
function unstageC(blocks: readonly JsGemmBlock[], ranLocally: readonly boolean[], C: Float32Array, cOffset: number, ldc: number): void {
  const stage = staging[2]!;
  for (let i = 1; i < blocks.length; i++) {
    if (ranLocally[i - 1]) continue;
    const b = blocks[i]!;
    for (let r = b.row; r < b.row + b.rows; r++) {
      const from = r * ldc + b.col;
      C.set(stage.subarray(from, from + b.cols), cOffset + from);
    }
  }
}

/**
 * {@link gemmOneThread | gemm} (same contract and bit-identical results) with products of at least the current
 * threads' `minWork` multiply-adds split across them.
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
  const t = current;
  // ready() starts the helpers on the first product large enough for them.
  const ready = t !== null && alpha !== 0 && M * N * K >= t.minWork ? t.pool.ready() : 1;
  const blocks = ready > 1 ? planJsGemm(M, N, K, ready, t!.minWork) : null;
  if (!blocks || blocks.length < 2) {
    gemmOneThread(transA, transB, M, N, K, alpha, A, aOffset, lda, B, bOffset, ldb, beta, C, cOffset, ldc);
    return;
  }
  const pool = t!.pool;
  const [aId, aAt] = shared(pool, 0, A, aOffset, transA ? span(K, M, lda) : span(M, K, lda));
  const [bId, bAt] = shared(pool, 1, B, bOffset, transB ? span(N, K, ldb) : span(K, N, ldb));
  const c = sharedC(pool, C, cOffset, M, N, ldc);
  const jobs = blocks.slice(1).map((b) => [
    JS_THREAD_OPS.gemm,
    transA ? 1 : 0,
    transB ? 1 : 0,
    b.rows,
    b.cols,
    K,
    alpha,
    aId,
    aAt + (transA ? b.row : b.row * lda),
    lda,
    bId,
    bAt + (transB ? b.col * ldb : b.col),
    ldb,
    beta,
    c.id,
    c.at + b.row * ldc + b.col,
    ldc,
  ]);
  /** Block `b` on the calling thread, on the caller's own arrays. */
  const block = (b: JsGemmBlock) => () =>
    gemmOneThread(
      transA,
      transB,
      b.rows,
      b.cols,
      K,
      alpha,
      A,
      aOffset + (transA ? b.row : b.row * lda),
      lda,
      B,
      bOffset + (transB ? b.col * ldb : b.col),
      ldb,
      beta,
      C,
      cOffset + b.row * ldc + b.col,
      ldc,
    );
  const ranLocally = pool.parallel(jobs, block(blocks[0]!), blocks.slice(1).map(block));
  if (c.staged) unstageC(blocks, ranLocally, C, cOffset, ldc);
}

/**
 * {@link packBOneThread | packB}, with room for every thread's block of A and in shared memory while a threaded
 * call runs, so that {@link gemmPacked} can split its products.
 */
export function packB(
  transB: boolean,
  K: number,
  N: number,
  B: Float32Array,
  bOffset: number,
  ldb: number,
  reuse?: PackedB,
): PackedB {
  const layout: PackLayout | undefined = threadsActive() ? { aSlots: current!.pool.size, shared: true } : undefined;
  return packBOneThread(transB, K, N, B, bOffset, ldb, reuse, layout);
}

/**
 * {@link gemmPackedOneThread | gemmPacked} (same contract and bit-identical results) with products of at least the
 * current threads' `minWork` multiply-adds split by columns across them, each thread packing its blocks of A into
 * its own space of the packed buffer. Needs `packed` made by {@link packB} while the threads were current.
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
  const t = current;
  const { k: K, n: N } = packed;
  const path = packedPath(transA, M, A, aOffset, lda, packed);
  if (path === 'small') {
    // Plain gemm on the source, as on one thread; it may split by itself.
    const src = packed.source;
    gemm(transA, src.transB, M, N, K, alpha, A, aOffset, lda, src.data, src.offset, src.ld, beta, C, cOffset, ldc);
    return;
  }
  const usable = t !== null && M * N * K >= t.minWork && packed.buffer.buffer instanceof SharedArrayBuffer && alpha !== 0;
  const ready = usable ? Math.min(t.pool.ready(), packed.aSlots) : 1;
  const strassen = path === 'strassen';
  // Strassen splits the columns of each of C's blocks (N / 2 wide); the classical path the columns of C.
  const edges = ready > 1 ? columnWindows(strassen ? N / 2 : N, ready) : [];
  if (edges.length < 3) {
    gemmPackedWith(path, transA, M, alpha, A, aOffset, lda, packed, beta, C, cOffset, ldc);
    return;
  }
  const pool = t!.pool;
  scale(M, N, beta, C, cOffset, ldc);
  const aRow = transA ? 1 : lda;
  const aCol = transA ? lda : 1;
  const [aId, aAt] = shared(pool, 0, A, aOffset, transA ? span(K, M, lda) : span(M, K, lda));
  const c = sharedC(pool, C, cOffset, M, N, ldc);
  const data = strassen ? packed.strassen! : packed.buffer;
  const pId = pool.idOf(data.buffer as SharedArrayBuffer);
  const pAt = data.byteOffset / 8;
  const bStart = packed.aSlots * GEMM_A_SPACE;
  const op = strassen ? JS_THREAD_OPS.strassen : JS_THREAD_OPS.packedColumns;
  const jobs: number[][] = [];
  const local: (() => void)[] = [];
  /** Columns `col0 … col1` on the calling thread (its own A space), on the caller's own arrays. */
  const window = (col0: number, col1: number) => () => {
    if (strassen) strassenGemmPacked(M, N, K, alpha, A, aOffset, aRow, aCol, data, bStart, 0, col0, col1, C, cOffset, ldc);
    else packedColumns(M, N, K, alpha, A, aOffset, aRow, aCol, data, bStart, 0, col0, col1, C, cOffset, ldc);
  };
  for (let i = 1; i + 1 < edges.length; i++) {
    const aBase = pAt + i * GEMM_A_SPACE;
    jobs.push([op, M, N, K, alpha, aId, aAt, aRow, aCol, pId, pAt + bStart, aBase, edges[i]!, edges[i + 1]!, c.id, c.at, ldc]);
    local.push(window(edges[i]!, edges[i + 1]!));
  }
  const ranLocally = pool.parallel(jobs, window(0, edges[1]!), local);
  if (c.staged) {
    // The helpers' columns (in every block of C for Strassen) back into C; the caller wrote its own in place.
    const stage = staging[2]!;
    const halves = strassen ? [0, N / 2] : [0];
    for (let i = 1; i + 1 < edges.length; i++) {
      if (ranLocally[i - 1]) continue;
      for (let r = 0; r < M; r++) {
        for (const h of halves) {
          const from = r * ldc + h + edges[i]!;
          C.set(stage.subarray(from, from + edges[i + 1]! - edges[i]!), cOffset + from);
        }
      }
    }
  }
}
