import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Generator } from '../../random.js';
import type { GemmActivation } from '../backend.js';
import { Arena } from './arena.js';
import { makeGemm, makeGemmBiasAct } from './gemm.js';
import { type WasmBackend, createWasmBackend } from './index.js';
import { instantiateSharedKernels } from './kernels.js';
import { DEFAULT_PARALLEL_MIN_WORK, GEMM_MAX_ARGS, GEMM_OPS, type GemmBlock, planGemm, threadedGemmKernels } from './parallel-gemm.js';
import { ThreadPool } from './thread-pool.js';

/** Blocks tile C exactly: every element in exactly one block. */
function expectTiling(blocks: readonly GemmBlock[], M: number, N: number): void {
  const hits = new Uint8Array(M * N);
  for (const b of blocks) for (let i = b.row; i < b.row + b.rows; i++) for (let j = b.col; j < b.col + b.cols; j++) hits[i * N + j]!++;
  expect(hits.every((h) => h === 1)).toBe(true);
}

describe('planGemm', () => {
  it('keeps small products, one thread, and products too thin for a block per thread whole', () => {
    const whole = (M: number, N: number) => [{ row: 0, rows: M, col: 0, cols: N }];
    expect(planGemm(512, 512, 512, 1, 0)).toEqual(whole(512, 512));
    expect(planGemm(128, 128, 127, 2, 2 ** 21)).toEqual(whole(128, 128)); // one row of K short of the threshold
    expect(planGemm(3, 4096, 4096, 2, 0)).toEqual(whole(3, 4096)); // fewer rows than a micro-tile
    expect(planGemm(4096, 7, 4096, 2, 0)).toEqual(whole(4096, 7)); // fewer columns than a micro-tile
    expect(planGemm(8, 31, 4096, 2, 0)).toEqual(whole(8, 31)); // one 16-column unit only
  });

  it('splits the columns of wide products at multiples of 16, and the rows of tall ones at multiples of 4', () => {
    const wide = planGemm(128, 128, 128, 2, 2 ** 21);
    expect(wide).toEqual([
      { row: 0, rows: 128, col: 0, cols: 64 },
      { row: 0, rows: 128, col: 64, cols: 64 },
    ]);
    const tall = planGemm(130, 61, 140, 2, 0);
    expect(tall).toEqual([
      { row: 0, rows: 64, col: 0, cols: 61 },
      { row: 64, rows: 66, col: 0, cols: 61 },
    ]);
    for (const [M, N, threads] of [
      [67, 131, 2],
      [67, 131, 3],
      [1000, 33, 7],
      [31, 100, 64],
      [5, 1025, 4],
    ] as const) {
      const blocks = planGemm(M, N, 64, threads, 0);
      expect(blocks.length).toBeGreaterThan(1);
      expect(blocks.length).toBeLessThanOrEqual(threads);
      expectTiling(blocks, M, N);
      for (const b of blocks) {
        // Starts on whole micro-tiles; every block long enough for the packed path.
        expect(b.col % 16).toBe(0);
        expect(b.row % 4).toBe(0);
        expect(b.rows).toBeGreaterThanOrEqual(4);
        expect(b.cols).toBeGreaterThanOrEqual(8);
      }
    }
  });
});

interface Case {
  M: number;
  N: number;
  K: number;
  gap?: number;
  alpha?: number;
  beta?: number;
}

// Odd sizes on both sides of the default threshold (2^21 multiply-adds), split by columns and by rows, with
// partial micro-tiles in every block, several depth blocks (K > 256), strided operands, alpha and beta.
const CASES: Case[] = [
  { M: 128, N: 128, K: 127 }, // just below the threshold: one thread
  { M: 128, N: 128, K: 128 }, // exactly the threshold: two
  { M: 67, N: 263, K: 129, alpha: -1.5 },
  { M: 262, N: 61, K: 140, beta: 0.5 },
  { M: 33, N: 301, K: 257, gap: 3, beta: -2, alpha: 0.25 },
  { M: 257, N: 255, K: 33, gap: 1 },
];

/** Runs one product on `backend` over the operands `seed` draws and returns all of C (offsets and gaps included). */
function run(backend: WasmBackend, tA: boolean, tB: boolean, c: Case): Float32Array {
  const { M, N, K, gap = 0, alpha = 1, beta = 0 } = c;
  const gen = new Generator(M * 7919 + N * 31 + K);
  const [aRows, aCols] = tA ? [K, M] : [M, K];
  const [bRows, bCols] = tB ? [N, K] : [K, N];
  const lda = aCols + gap;
  const ldb = bCols + gap;
  const ldc = N + gap;
  const A = gen.fillNormal(new Float32Array(5 + aRows * lda));
  const B = gen.fillNormal(new Float32Array(3 + bRows * ldb));
  const C = gen.fillNormal(new Float32Array(7 + M * ldc + 4));
  backend.gemm(tA, tB, M, N, K, alpha, A, 5, lda, B, 3, ldb, beta, C, 7, ldc);
  return C;
}

describe.each(['simd', 'relaxed-simd'] as const)('threaded wasm gemm (%s)', (variant) => {
  let one: WasmBackend;
  let two: WasmBackend;
  beforeAll(async () => {
    one = await createWasmBackend({ variant, delegateSmallCalls: false });
    two = await createWasmBackend({ variant, delegateSmallCalls: false, threads: 2 });
  });
  afterAll(async () => {
    await two.dispose();
  });

  it('runs on two threads', () => {
    expect(one.threads).toBe(1);
    expect(two.threads).toBe(2);
  });

  for (const tA of [false, true]) {
    for (const tB of [false, true]) {
      it.each(CASES)(`equals one thread bit for bit, ${tA ? 'T' : 'N'}${tB ? 'T' : 'N'}: %j`, (c) => {
        // Uint32 views compare bits: NaN, -0 and every last ulp included.
        expect(new Uint32Array(run(two, tA, tB, c).buffer)).toEqual(new Uint32Array(run(one, tA, tB, c).buffer));
      });
    }
  }

  it.each(['none', 'relu', 'gelu', 'tanh', 'sigmoid'] as GemmActivation[])(
    'gemmBiasAct (%s) equals one thread bit for bit, pre-activation included',
    (act) => {
      for (const [tA, tB, M, N, K] of [
        [false, true, 96, 230, 100], // Linear x·Wᵀ + b, split by columns
        [true, false, 401, 40, 150], // split by rows
      ] as const) {
        const gen = new Generator(M + N + K);
        const A = gen.fillNormal(new Float32Array(M * K));
        const B = gen.fillNormal(new Float32Array(N * K));
        const bias = gen.fillNormal(new Float32Array(N));
        const outputs = [one, two].map((backend) => {
          const C = new Float32Array(M * (N + 2));
          const pre = new Float32Array(M * N);
          backend.gemmBiasAct(tA, tB, M, N, K, A, 0, tA ? M : K, B, 0, tB ? K : N, bias, act, C, 0, N + 2, pre);
          return [new Uint32Array(C.buffer), new Uint32Array(pre.buffer)];
        });
        expect(outputs[1]).toEqual(outputs[0]);
      }
    },
  );
});

describe('threaded gemm kernels', () => {
  it('hand the helpers their blocks only from the threshold up, and agree with one thread', async () => {
    const shared = await instantiateSharedKernels('simd', 2 ** 28);
    expect(shared).not.toBeNull();
    const k = shared!.kernels;
    const pool = await ThreadPool.start(shared!.module, k.memory, { threads: 2, ops: GEMM_OPS, maxArgs: GEMM_MAX_ARGS });
    try {
      const arena = new Arena(k.memory, k.heapBase(), 2 ** 28);
      const threaded = threadedGemmKernels(k, pool, DEFAULT_PARALLEL_MIN_WORK);
      const parallel = vi.spyOn(pool, 'parallel');
      const gemm2 = makeGemm(threaded, arena, false);
      const gemm1 = makeGemm(k, arena, false);
      const fused2 = makeGemmBiasAct(threaded, arena, false);
      const gen = new Generator(3);
      for (const K of [127, 128]) {
        const [M, N] = [128, 128];
        const A = gen.fillNormal(new Float32Array(M * K));
        const B = gen.fillNormal(new Float32Array(K * N));
        const C1 = new Float32Array(M * N);
        const C2 = new Float32Array(M * N);
        gemm1(false, false, M, N, K, 1, A, 0, K, B, 0, N, 0, C1, 0, N);
        gemm2(false, false, M, N, K, 1, A, 0, K, B, 0, N, 0, C2, 0, N);
        expect(C2).toEqual(C1);
        fused2(false, false, M, N, K, A, 0, K, B, 0, N, null, 'none', C2, 0, N, null);
        expect(C2).toEqual(C1);
      }
      // Below the threshold (K = 127) neither call used the helper; at it, both did, one job each.
      expect(parallel).toHaveBeenCalledTimes(2);
      expect(parallel.mock.calls.map(([op, jobs]) => [op, jobs.length])).toEqual([
        [0, 1],
        [1, 1],
      ]);
    } finally {
      await pool.dispose();
    }
  });
});
