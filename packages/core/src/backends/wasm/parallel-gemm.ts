import type { KernelExports } from './kernels.js';
import type { ThreadPool } from './thread-pool.js';

/** The GEMM entry points the wasm backend's gemm wrappers call: the kernel module's own, or threaded ones. */
export type GemmKernels = Pick<KernelExports, 'gemm' | 'gemmBiasAct' | 'gemmWorkspace'>;

type GemmArgs = Parameters<KernelExports['gemm']>;
type GemmBiasActArgs = Parameters<KernelExports['gemmBiasAct']>;

/** The rows and columns of C one thread computes. */
export interface GemmBlock {
  /** First row of C. */
  readonly row: number;
  /** Rows of C. */
  readonly rows: number;
  /** First column of C. */
  readonly col: number;
  /** Columns of C. */
  readonly cols: number;
}

/** The kernel exports a GEMM job may call, by index (the pool's `ops`). */
export const GEMM_OPS = ['gemm', 'gemmBiasAct'] as const;
/** Most arguments of {@link GEMM_OPS}: `gemmBiasAct` takes 16. */
export const GEMM_MAX_ARGS = 16;
/**
 * GEMMs from this many multiply-adds (M·N·K, 128³) up run on the threads by default. Measured here with two threads
 * (loaded 2-core machine, back-to-back calls): 128·128·64 ran at 0.85× one thread, 128³ at 1.0–1.6×, 160³ 1.65×,
 * 512³ 1.9×. Smaller products lose more to handing out the job than the second core gives back.
 */
export const DEFAULT_PARALLEL_MIN_WORK = 2 ** 21;
const OP_GEMM = 0;
const OP_GEMM_BIAS_ACT = 1;

/** Micro-tile rows (MR) of assembly/gemm.ts: row blocks start at multiples of it. */
const ROW_UNIT = 4;
/** Micro-tile columns (NR) of assembly/gemm.ts: narrower products take the unpacked small path. */
const NR = 8;
/**
 * Column blocks start at multiples of 16: a multiple of the micro-tile's 8 columns (NR of assembly/gemm.ts), and
 * 64 bytes, so two threads never write the same cache line of a row of C.
 */
const COL_UNIT = 16;

/**
 * How a GEMM of `M × N` over depth `K` splits across `threads`: one block (the whole of C) when the product is
 * smaller than `minWork` multiply-adds, or too small in M or N for a block per thread; else `threads` blocks along
 * the longer side of C (columns on a tie). Block edges fall on whole micro-tiles, and each block still takes the
 * packed path, so every element of C is computed by the same micro-kernel calls, in the same order, as on one
 * thread: the results are bit-identical.
 *
 * Columns are the natural split (each thread packs its own slice of B, the operand that dominates the working
 * set, and C's rows stay whole); rows take over for tall, narrow products.
 */
export function planGemm(M: number, N: number, K: number, threads: number, minWork: number): GemmBlock[] {
  const whole = [{ row: 0, rows: M, col: 0, cols: N }];
  if (threads < 2 || M * N * K < minWork) return whole;
  const byCols = N >= M;
  const length = byCols ? N : M;
  const unit = byCols ? COL_UNIT : ROW_UNIT;
  const parts = Math.min(threads, Math.floor(length / unit));
  // Each block at least `unit` long keeps every block on the packed path (the small path would round differently).
  if (parts < 2 || M < ROW_UNIT || N < NR) return whole;
  const blocks: GemmBlock[] = [];
  let start = 0;
  for (let p = 1; p <= parts; p++) {
    // Floor to whole units: every block but the last is a multiple of `unit`, the last at least `length / parts`.
    const end = p === parts ? length : Math.floor((p * length) / (parts * unit)) * unit;
    blocks.push(byCols ? { row: 0, rows: M, col: start, cols: end - start } : { row: start, rows: end - start, col: 0, cols: N });
    start = end;
  }
  return blocks;
}

/**
 * Threaded versions of the kernel module's GEMM entry points: the same contract (byte addresses in wasm memory,
 * scratch from `gemmWorkspace`), with products of at least `minWork` multiply-adds split by {@link planGemm} across
 * the pool's threads. Each block is an ordinary call of the module's `gemm`/`gemmBiasAct` on a window of the
 * operands (a sub-matrix is a pointer offset with the same leading dimension) and its own region of the
 * workspace, so threads write disjoint parts of C and never share packing buffers.
 */
export function threadedGemmKernels(k: KernelExports, pool: ThreadPool, minWork: number): GemmKernels {
  const plan = (M: number, N: number, K: number) => planGemm(M, N, K, pool.size, minWork);
  /** Start of each block's workspace: the blocks' own workspaces back to back (each includes its 16-byte slack). */
  const workspaces = (blocks: readonly GemmBlock[], K: number, work: number): number[] => {
    const at: number[] = [];
    for (const b of blocks) {
      at.push(work);
      work += k.gemmWorkspace(b.rows, b.cols, K);
    }
    return at;
  };
  return {
    gemmWorkspace(M, N, K) {
      const blocks = plan(M, N, K);
      const whole = k.gemmWorkspace(M, N, K);
      if (blocks.length === 1) return whole;
      let sum = 0;
      for (const b of blocks) sum += k.gemmWorkspace(b.rows, b.cols, K);
      // Also enough for one thread: a pool that loses a helper before the call runs it whole.
      return Math.max(sum, whole);
    },

    gemm(transA, transB, M, N, K, alpha, a, lda, b, ldb, beta, c, ldc, work) {
      pool.check();
      const blocks = plan(M, N, K);
      if (blocks.length === 1) {
        k.gemm(transA, transB, M, N, K, alpha, a, lda, b, ldb, beta, c, ldc, work);
        return;
      }
      const ws = workspaces(blocks, K, work);
      const jobs = blocks.map((blk, i): GemmArgs => [
        transA,
        transB,
        blk.rows,
        blk.cols,
        K,
        alpha,
        a + 4 * (transA ? blk.row : blk.row * lda),
        lda,
        b + 4 * (transB ? blk.col * ldb : blk.col),
        ldb,
        beta,
        c + 4 * (blk.row * ldc + blk.col),
        ldc,
        ws[i]!,
      ]);
      const own = jobs[0]!;
      pool.parallel(OP_GEMM, jobs.slice(1), () => k.gemm(...own));
    },

    gemmBiasAct(transA, transB, M, N, K, a, lda, b, ldb, bias, act, c, ldc, aux, ldaux, work) {
      pool.check();
      const blocks = plan(M, N, K);
      if (blocks.length === 1) {
        k.gemmBiasAct(transA, transB, M, N, K, a, lda, b, ldb, bias, act, c, ldc, aux, ldaux, work);
        return;
      }
      const ws = workspaces(blocks, K, work);
      const jobs = blocks.map((blk, i): GemmBiasActArgs => [
        transA,
        transB,
        blk.rows,
        blk.cols,
        K,
        a + 4 * (transA ? blk.row : blk.row * lda),
        lda,
        b + 4 * (transB ? blk.col * ldb : blk.col),
        ldb,
        bias === 0 ? 0 : bias + 4 * blk.col,
        act,
        c + 4 * (blk.row * ldc + blk.col),
        ldc,
        aux === 0 ? 0 : aux + 4 * (blk.row * ldaux + blk.col),
        ldaux,
        ws[i]!,
      ]);
      const own = jobs[0]!;
      pool.parallel(OP_GEMM_BIAS_ACT, jobs.slice(1), () => k.gemmBiasAct(...own));
    },
  };
}
