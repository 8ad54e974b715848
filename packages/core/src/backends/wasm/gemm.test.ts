import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Generator } from '../../random.js';
import { type WasmBackend, createWasmBackend } from './index.js';

/** f64 reference of alpha·op(A)·op(B) + beta·C on strided storage, with Σ|terms| for the error bound. */
function reference(
  tA: boolean,
  tB: boolean,
  M: number,
  N: number,
  K: number,
  alpha: number,
  A: Float32Array,
  aOff: number,
  lda: number,
  B: Float32Array,
  bOff: number,
  ldb: number,
  beta: number,
  C: Float32Array,
  cOff: number,
  ldc: number,
): { value: Float64Array; magnitude: Float64Array } {
  const value = new Float64Array(M * N);
  const magnitude = new Float64Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      let m = 0;
      for (let k = 0; k < K; k++) {
        const a = A[aOff + (tA ? k * lda + i : i * lda + k)]!;
        const b = B[bOff + (tB ? j * ldb + k : k * ldb + j)]!;
        s += a * b;
        m += Math.abs(a * b);
      }
      const c = beta === 0 ? 0 : beta * C[cOff + i * ldc + j]!;
      value[i * N + j] = alpha * s + c;
      magnitude[i * N + j] = Math.abs(alpha) * m + Math.abs(c);
    }
  }
  return { value, magnitude };
}

interface Case {
  M: number;
  N: number;
  K: number;
  /** Extra elements between rows of A, B and C as stored (0 = contiguous). */
  gap?: number;
  alpha?: number;
  beta?: number;
}

// Edge sizes around the 4×8 tile, the small-product path, KC = 256 (depth blocks), MC = 128 (row blocks) and
// NC = 2048 (column panels).
const CASES: Case[] = [
  { M: 1, N: 1, K: 1 },
  { M: 3, N: 5, K: 7 },
  { M: 4, N: 8, K: 1 },
  { M: 4, N: 8, K: 4 },
  { M: 5, N: 9, K: 17 },
  { M: 2, N: 300, K: 40 },
  { M: 300, N: 3, K: 40 },
  { M: 33, N: 65, K: 257, alpha: 0.5 },
  { M: 130, N: 20, K: 10, beta: 1 },
  { M: 64, N: 64, K: 64, beta: -0.25, alpha: 2 },
  { M: 9, N: 2050, K: 5 },
  { M: 17, N: 19, K: 23, gap: 3, beta: 0.5 },
  { M: 12, N: 24, K: 16, gap: 40 },
];

const CONFIGS = [
  { name: 'simd', variant: 'simd', threads: 1 },
  { name: 'relaxed-simd', variant: 'relaxed-simd', threads: 1 },
  // With parallelMinWork 0, every product wide or tall enough to split runs on both threads.
  { name: 'relaxed-simd, 2 threads', variant: 'relaxed-simd', threads: 2 },
] as const;

describe.each(CONFIGS)('wasm gemm ($name)', ({ variant, threads }) => {
  let wasm: WasmBackend;
  beforeAll(async () => {
    wasm = await createWasmBackend({ variant, delegateSmallCalls: false, threads, parallelMinWork: 0 });
    expect(wasm.threads).toBe(threads);
  });
  afterAll(async () => {
    await wasm.dispose();
  });

  for (const tA of [false, true]) {
    for (const tB of [false, true]) {
      it.each(CASES)(`matches an f64 reference within the summation error bound, ${tA ? 'T' : 'N'}${tB ? 'T' : 'N'}: %j`, (c) => {
        const { M, N, K, gap = 0, alpha = 1, beta = 0 } = c;
        const gen = new Generator(M * 7919 + N * 31 + K);
        const [aRows, aCols] = tA ? [K, M] : [M, K];
        const [bRows, bCols] = tB ? [N, K] : [K, N];
        const lda = aCols + gap;
        const ldb = bCols + gap;
        const ldc = N + gap;
        // Non-zero offsets: operands start inside larger arrays, as slices of other tensors do.
        const aOff = 5;
        const bOff = 3;
        const cOff = 7;
        const A = gen.fillNormal(new Float32Array(aOff + aRows * lda));
        const B = gen.fillNormal(new Float32Array(bOff + bRows * ldb));
        const C = gen.fillNormal(new Float32Array(cOff + M * ldc + 4));
        if (beta === 0) C[cOff] = Number.NaN; // beta = 0 must overwrite, not multiply, what C held
        const before = C.slice();
        const ref = reference(tA, tB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, before, cOff, ldc);
        wasm.gemm(tA, tB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc);
        let worst = 0;
        for (let i = 0; i < M; i++) {
          for (let j = 0; j < N; j++) {
            const got = C[cOff + i * ldc + j]!;
            // |error| ≤ γ_{K+2}·Σ|terms| for f32 summation in any order (Higham 2002, §3.1), γ_n ≈ n·2^-24.
            const bound = (K + 2) * 2 ** -24 * ref.magnitude[i * N + j]! + 1e-30;
            worst = Math.max(worst, Math.abs(got - ref.value[i * N + j]!) / bound);
          }
        }
        expect(worst).toBeLessThanOrEqual(1);
        // Nothing outside the M×N window changed: offsets, row gaps and the tail.
        for (let p = 0; p < C.length; p++) {
          const row = Math.floor((p - cOff) / ldc);
          const col = (p - cOff) % ldc;
          const inside = p >= cOff && row < M && col < N;
          if (!inside) expect(Object.is(C[p], before[p])).toBe(true);
        }
      });
    }
  }

  it('handles K = 0 and alpha = 0 as a pure beta scaling, and M = 0 / N = 0 as no-ops', () => {
    const C = Float32Array.from([1, 2, 3, 4]);
    wasm.gemm(false, false, 2, 2, 0, 1, new Float32Array(0), 0, 0, new Float32Array(0), 0, 2, 3, C, 0, 2);
    expect(Array.from(C)).toEqual([3, 6, 9, 12]);
    wasm.gemm(false, false, 2, 2, 2, 0, Float32Array.from([9, 9, 9, 9]), 0, 2, Float32Array.from([9, 9, 9, 9]), 0, 2, 0, C, 0, 2);
    expect(Array.from(C)).toEqual([0, 0, 0, 0]);
    wasm.gemm(false, false, 0, 2, 2, 1, new Float32Array(0), 0, 2, new Float32Array(4), 0, 2, 0, C, 0, 2);
    expect(Array.from(C)).toEqual([0, 0, 0, 0]);
  });

  it('agrees with the js backend on a product large enough to use every blocking loop', () => {
    const gen = new Generator(5);
    const [M, N, K] = [150, 70, 300];
    const A = gen.fillUniform(new Float32Array(M * K), -1, 1);
    const B = gen.fillUniform(new Float32Array(K * N), -1, 1);
    const ref = reference(false, false, M, N, K, 1, A, 0, K, B, 0, N, 0, new Float32Array(0), 0, N);
    const C = new Float32Array(M * N);
    wasm.gemm(false, false, M, N, K, 1, A, 0, K, B, 0, N, 0, C, 0, N);
    for (let i = 0; i < M * N; i++) {
      expect(Math.abs(C[i]! - ref.value[i]!)).toBeLessThanOrEqual((K + 2) * 2 ** -24 * ref.magnitude[i]!);
    }
  });
});
