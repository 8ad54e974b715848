import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Generator } from '../../random.js';
import type { Backend, GemmActivation } from '../backend.js';
import { createJsBackend } from '../js/index.js';
import { erf } from '../js/erf.js';
import { type WasmBackend, createWasmBackend } from './index.js';

const ACTS: Record<GemmActivation, (z: number) => number> = {
  none: (z) => z,
  relu: (z) => Math.max(z, 0),
  gelu: (z) => 0.5 * z * (1 + erf(z * Math.SQRT1_2)),
  tanh: Math.tanh,
  sigmoid: (z) => 1 / (1 + Math.exp(-z)),
};

interface Case {
  tA: boolean;
  tB: boolean;
  M: number;
  N: number;
  K: number;
  ldc: number;
  bias: boolean;
}

/** Runs one fused product and checks it, and its pre-activation, against an f64 reference. */
function check(backend: Backend, c: Case, act: GemmActivation): void {
  const { tA, tB, M, N, K, ldc } = c;
  const gen = new Generator(M * 7919 + N * 31 + K);
  const lda = (tA ? M : K) + 1;
  const ldb = (tB ? K : N) + 2;
  const A = gen.fillNormal(new Float32Array((tA ? K : M) * lda + 3), 0, 1);
  const B = gen.fillNormal(new Float32Array((tB ? N : K) * ldb + 3), 0, 1);
  const bias = c.bias ? gen.fillNormal(new Float32Array(N), 0, 1) : null;
  const C = new Float32Array(2 + M * ldc).fill(Number.NaN); // NaN: the kernel must overwrite, never read, C
  const pre = new Float32Array(M * N);
  backend.gemmBiasAct(tA, tB, M, N, K, A, 3, lda, B, 3, ldb, bias, act, C, 2, ldc, pre);
  let worst = 0;
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = bias ? bias[j]! : 0;
      let mag = Math.abs(s);
      for (let k = 0; k < K; k++) {
        const p = A[3 + (tA ? k * lda + i : i * lda + k)]! * B[3 + (tB ? j * ldb + k : k * ldb + j)]!;
        s += p;
        mag += Math.abs(p);
      }
      // Summation error of float32 accumulation (K + 1 roundings of terms up to mag), carried through an
      // activation whose slope is at most ~1.13 (GELU), plus a few ulp of the activation itself.
      const sumTol = (K + 2) * 2 ** -23 * mag + 1e-7;
      const want = ACTS[act](s);
      const errPre = Math.abs(pre[i * N + j]! - s) / sumTol;
      const errOut = Math.abs(C[2 + i * ldc + j]! - want) / (1.2 * sumTol + 4e-6 * Math.abs(want));
      worst = Math.max(worst, errPre, errOut);
    }
  }
  expect(worst, `${act} ${JSON.stringify(c)}`).toBeLessThanOrEqual(1);
  // Padding between rows of C is left alone.
  for (let i = 0; i < M; i++) for (let j = N; j < ldc; j++) if (i * ldc + j + 2 < C.length) expect(C[2 + i * ldc + j]).toBeNaN();
}

const CASES: Case[] = [
  { tA: false, tB: true, M: 37, N: 45, K: 70, ldc: 45, bias: true }, // Linear: x·Wᵀ + b, edge tiles both ways
  { tA: false, tB: true, M: 64, N: 2056, K: 300, ldc: 2056, bias: true }, // two NC column blocks, two KC depth blocks
  { tA: false, tB: false, M: 9, N: 16, K: 5, ldc: 20, bias: false }, // small path, strided C
  { tA: true, tB: false, M: 12, N: 10, K: 33, ldc: 10, bias: true },
  { tA: true, tB: true, M: 3, N: 5, K: 4, ldc: 6, bias: true }, // tiny: below the tile size
];

// 'relaxed-simd ×2': two GEMM threads, with every product wide or tall enough to split running on both.
describe.each(['js', 'simd', 'relaxed-simd', 'relaxed-simd ×2'] as const)('gemmBiasAct kernel (%s)', (variant) => {
  let backend: Backend;
  beforeAll(async () => {
    backend =
      variant === 'js'
        ? createJsBackend()
        : variant === 'relaxed-simd ×2'
          ? await createWasmBackend({ variant: 'relaxed-simd', delegateSmallCalls: false, threads: 2, parallelMinWork: 0 })
          : await createWasmBackend({ variant, delegateSmallCalls: false });
  });
  afterAll(async () => {
    if (variant === 'relaxed-simd ×2') await (backend as WasmBackend).dispose();
  });

  it.each(Object.keys(ACTS) as GemmActivation[])('computes act(op(A)·op(B) + bias) with %s and saves the pre-activation', (act) => {
    for (const c of CASES) check(backend, c, act);
  });

  it('with K = 0 gives act(bias)', () => {
    const C = new Float32Array(6);
    backend.gemmBiasAct(false, true, 2, 3, 0, new Float32Array(0), 0, 0, new Float32Array(0), 0, 0, Float32Array.from([-1, 0, 2]), 'relu', C, 0, 3, null);
    expect(Array.from(C)).toEqual([0, 0, 2, 0, 0, 2]);
  });

  it('keeps NaN through relu, as torch.relu does', () => {
    const C = new Float32Array(64);
    const A = new Float32Array(8 * 4).fill(1);
    A[0] = Number.NaN;
    backend.gemmBiasAct(false, false, 8, 8, 4, A, 0, 4, new Float32Array(32).fill(-1), 0, 8, null, 'relu', C, 0, 8, null);
    expect(C[0]).toBeNaN();
    expect(C[8]).toBe(0);
  });
});
