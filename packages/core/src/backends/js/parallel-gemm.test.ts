import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gemm as gemmOneThread, gemmPacked as gemmPackedOneThread, packB as packBOneThread } from './gemm.js';
import { type JsThreads, gemm, gemmPacked, packB, planJsGemm, withThreads } from './parallel-gemm.js';
import { JsThreadPool } from './thread-pool.js';

/** mulberry32: a tiny seeded PRNG so every run sees the same matrices. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function filled(n: number, next: () => number, shared = false): Float32Array {
  const a = shared ? new Float32Array(new SharedArrayBuffer(4 * n)) : new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = next() * 2 - 1;
  return a;
}

describe('planJsGemm', () => {
  it('keeps small, skinny or single-thread products whole', () => {
    const whole = [{ row: 0, rows: 64, col: 0, cols: 64 }];
    expect(planJsGemm(64, 64, 64, 2, 2 ** 20)).toEqual(whole); // 2^18 multiply-adds < minWork
    expect(planJsGemm(64, 64, 64, 1, 0)).toEqual(whole);
    expect(planJsGemm(1, 600, 600, 2, 0)).toEqual([{ row: 0, rows: 1, col: 0, cols: 600 }]); // gemv path
    expect(planJsGemm(4, 4, 4, 2, 0)).toEqual([{ row: 0, rows: 4, col: 0, cols: 4 }]); // blocks would take the small path
  });

  it('splits the longer side of C on whole micro-tiles', () => {
    // Columns start at multiples of NR = 3, rows at multiples of MR = 2; the last block takes the remainder.
    expect(planJsGemm(64, 256, 256, 2, 0)).toEqual([
      { row: 0, rows: 64, col: 0, cols: 126 },
      { row: 0, rows: 64, col: 126, cols: 130 },
    ]);
    expect(planJsGemm(4096, 128, 768, 2, 0)).toEqual([
      { row: 0, rows: 2048, col: 0, cols: 128 },
      { row: 2048, rows: 2048, col: 0, cols: 128 },
    ]);
    const three = planJsGemm(99, 769, 64, 3, 0);
    expect(three.map((b) => [b.col, b.cols])).toEqual([
      [0, 255],
      [255, 255],
      [510, 259],
    ]);
  });
});

describe('threaded js GEMM', () => {
  let pool: JsThreadPool;
  let threads: JsThreads;
  beforeAll(async () => {
    pool = new JsThreadPool({ threads: 3 });
    threads = { pool, minWork: 0 };
    expect(await pool.whenReady()).toBe(3);
  });
  afterAll(() => pool.dispose());

  interface Case {
    transA: boolean;
    transB: boolean;
    M: number;
    N: number;
    K: number;
    beta: number;
    shared: boolean;
  }
  const CASES: Case[] = [
    { transA: false, transB: false, M: 37, N: 101, K: 67, beta: 0, shared: false },
    { transA: true, transB: false, M: 130, N: 29, K: 300, beta: 0.5, shared: true }, // rows split, depth > KC
    { transA: false, transB: true, M: 64, N: 768, K: 128, beta: 1, shared: false },
    { transA: true, transB: true, M: 33, N: 50, K: 7, beta: -2, shared: true }, // odd depth
  ];

  it.each(CASES)('gemm %o matches one thread bit for bit, inside a strided C', (c) => {
    const next = random(c.M * 7 + c.N);
    const lda = (c.transA ? c.M : c.K) + 3;
    const ldb = (c.transB ? c.K : c.N) + 1;
    const ldc = c.N + 5;
    const A = filled(5 + (c.transA ? c.K : c.M) * lda, next, c.shared);
    const B = filled(2 + (c.transB ? c.N : c.K) * ldb, next, c.shared);
    const C0 = filled(4 + c.M * ldc, next, c.shared);
    const one = C0.slice();
    gemmOneThread(c.transA, c.transB, c.M, c.N, c.K, 0.75, A, 5, lda, B, 2, ldb, c.beta, one, 4, ldc);
    const many = c.shared ? new Float32Array(new SharedArrayBuffer(C0.byteLength)) : new Float32Array(C0.length);
    many.set(C0);
    expect(planJsGemm(c.M, c.N, c.K, 3, 0).length).toBeGreaterThan(1);
    withThreads(threads, () => gemm(c.transA, c.transB, c.M, c.N, c.K, 0.75, A, 5, lda, B, 2, ldb, c.beta, many, 4, ldc));
    expect(many).toEqual(one);
    expect(one).not.toEqual(C0);
  });

  // [64, 256]·[256, 768] takes one Strassen level, [64, 256]·[256, 251] (odd N) the classical packed path; a
  // non-finite A takes the classical path too.
  it.each([
    { name: 'Strassen', K: 256, N: 768, poison: false },
    { name: 'classical', K: 256, N: 251, poison: false },
    { name: 'classical (A not finite)', K: 256, N: 768, poison: true },
  ])('gemmPacked ($name) matches one thread bit for bit, C in or out of shared memory', ({ K, N, poison }) => {
    const next = random(N);
    const M = 64;
    const W = filled(N * K, next); // stored [N, K]: op(B) = Wᵀ
    const A = filled(M * K + 8, next);
    if (poison) A[8 + 3 * K + 5] = Number.POSITIVE_INFINITY;
    const single = packBOneThread(true, K, N, W, 0, K);
    const one = filled(M * N, next);
    const start = one.slice();
    gemmPackedOneThread(false, M, 1, A, 8, K, single, 1, one, 0, N);
    for (const sharedC of [false, true]) {
      const many = sharedC ? new Float32Array(new SharedArrayBuffer(4 * M * N)) : new Float32Array(M * N);
      many.set(start);
      withThreads(threads, () => {
        const packed = packB(true, K, N, W, 0, K);
        expect(packed.aSlots).toBe(3);
        expect(packed.strassen !== null).toBe(N === 768);
        gemmPacked(false, M, 1, A, 8, K, packed, 1, many, 0, N);
      });
      expect(many).toEqual(one);
    }
  });
});
