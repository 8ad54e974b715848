import { describe, expect, it } from 'vitest';
import { gemm, gemmPacked, packB } from './gemm.js';

/** mulberry32: a tiny seeded PRNG so every run sees the same matrices. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Marks storage outside the matrix window, which gemm must never write. */
const SENTINEL = -12345.5;

interface Layout {
  transA: boolean;
  transB: boolean;
  M: number;
  N: number;
  K: number;
  alpha: number;
  beta: number;
  /** Extra elements per row beyond the minimum leading dimension, for A, B and C. */
  pad: readonly [number, number, number];
  /** Offsets of the first element of A, B and C in their arrays. */
  offsets: readonly [number, number, number];
  /** Initial contents of C's window: random values or all NaN (for beta = 0). */
  cInit: 'random' | 'nan';
}

/** A `rows × cols` row-major matrix with leading dimension `cols + pad` inside an array filled with SENTINEL. */
function storage(rows: number, cols: number, pad: number, offset: number, fill: () => number) {
  const ld = cols + pad;
  const data = new Float32Array(offset + Math.max(0, rows - 1) * ld + cols + 3).fill(SENTINEL);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) data[offset + r * ld + c] = fill();
  return { data, ld };
}

/** Runs gemm on random data and checks every element of C against a float64 reference, and the padding untouched. */
function check(rand: () => number, L: Layout): void {
  const { transA, transB, M, N, K, alpha, beta } = L;
  const uniform = () => rand() * 2 - 1;
  // As stored: A is [M, K] or [K, M] when transposed, B is [K, N] or [N, K].
  const a = storage(transA ? K : M, transA ? M : K, L.pad[0], L.offsets[0], uniform);
  const b = storage(transB ? N : K, transB ? K : N, L.pad[1], L.offsets[1], uniform);
  const c = storage(M, N, L.pad[2], L.offsets[2], L.cInit === 'nan' ? () => Number.NaN : uniform);
  const opA = (i: number, k: number) => a.data[L.offsets[0] + (transA ? k * a.ld + i : i * a.ld + k)]!;
  const opB = (k: number, j: number) => b.data[L.offsets[1] + (transB ? j * b.ld + k : k * b.ld + j)]!;
  const before = c.data.slice();

  gemm(transA, transB, M, N, K, alpha, a.data, L.offsets[0], a.ld, b.data, L.offsets[1], b.ld, beta, c.data, L.offsets[2], c.ld);

  let worst = 0;
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let dot = 0;
      let mag = 0;
      for (let k = 0; k < K; k++) {
        const p = opA(i, k) * opB(k, j);
        dot += p;
        mag += Math.abs(p);
      }
      const idx = L.offsets[2] + i * c.ld + j;
      const old = before[idx]!;
      const want = beta === 0 ? alpha * dot : alpha * dot + beta * old;
      const bound = Math.abs(alpha) * mag + (beta === 0 ? 0 : Math.abs(beta * old));
      const got = c.data[idx]!;
      if (!Number.isFinite(got)) throw new Error(`C[${i}, ${j}] = ${got}, expected ${want}`);
      worst = Math.max(worst, Math.abs(got - want) / (bound + 1e-30));
    }
  }
  expect(worst).toBeLessThan(1e-5);

  // Everything outside the M×N window (row padding, the offset prefix, the tail) is untouched.
  for (let idx = 0; idx < c.data.length; idx++) {
    const rel = idx - L.offsets[2];
    const inWindow = rel >= 0 && rel < M * c.ld && rel % c.ld < N;
    if (!inWindow && c.data[idx] !== before[idx]) throw new Error(`gemm wrote outside C's window at index ${idx}`);
  }
}

const COMBOS = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
] as const;

/**
 * Shapes [M, N, K] around the 2×3 micro-tile and its paired depth steps (odd K), the small-product path (M < 2, N < 3,
 * M·N·K ≤ 1024), and the cache blocks (K > 256, M > 96, N > 1536).
 */
const SHAPES: readonly (readonly [number, number, number])[] = [
  [1, 1, 1],
  [1, 1, 7],
  [2, 2, 2],
  [3, 4, 5],
  [4, 3, 4],
  [4, 4, 4],
  [5, 7, 9],
  [7, 8, 9],
  [8, 8, 8],
  [8, 9, 17],
  [9, 17, 33],
  [17, 33, 9],
  [33, 9, 17],
  [33, 33, 33],
  [16, 12, 1],
  [3, 40, 50],
  [40, 2, 50],
  [1, 70, 300],
  [70, 1, 300],
  [4, 3, 257],
  [5, 7, 300],
  [33, 17, 513],
  [100, 37, 260],
  [97, 98, 99],
  [5, 1600, 20],
];

describe('gemm (js backend)', () => {
  describe.each(COMBOS)('transA=%s transB=%s', (transA, transB) => {
    it.each(SHAPES)('%i×%i×%i (M×N×K): overwrite, accumulate, scale, strided', (M, N, K) => {
      const rand = mulberry32(M * 1_000_003 + N * 1009 + K * 7 + (transA ? 1 : 0) * 2 + (transB ? 1 : 0));
      const base = { transA, transB, M, N, K };
      check(rand, { ...base, alpha: 1, beta: 0, pad: [0, 0, 0], offsets: [0, 0, 0], cInit: 'nan' });
      check(rand, { ...base, alpha: 1, beta: 1, pad: [3, 5, 2], offsets: [7, 11, 13], cInit: 'random' });
      check(rand, { ...base, alpha: 0.5, beta: 0, pad: [1, 0, 4], offsets: [0, 3, 5], cInit: 'nan' });
      check(rand, { ...base, alpha: -1.5, beta: 0.25, pad: [2, 1, 1], offsets: [5, 0, 2], cInit: 'random' });
    });

    it('matches the reference on 40 random shapes, layouts, alphas and betas', () => {
      const rand = mulberry32(0x5eed + (transA ? 2 : 0) + (transB ? 1 : 0));
      const dim = (max: number) => 1 + Math.floor(rand() * max);
      for (let t = 0; t < 40; t++) {
        const beta = [0, 1, 0.5, -2][t % 4]!;
        check(rand, {
          transA,
          transB,
          M: dim(t % 5 === 0 ? 130 : 40),
          N: dim(t % 7 === 0 ? 130 : 40),
          K: dim(t % 3 === 0 ? 600 : 60),
          alpha: [1, 0.5, -1, 3][(t >> 2) % 4]!,
          beta,
          pad: [dim(4) - 1, dim(4) - 1, dim(4) - 1],
          offsets: [dim(9) - 1, dim(9) - 1, dim(9) - 1],
          cInit: beta === 0 ? 'nan' : 'random',
        });
      }
    });
  });

  it('is a no-op when M or N is 0', () => {
    const A = new Float32Array(12).fill(1);
    const B = new Float32Array(12).fill(1);
    const C = Float32Array.from([Number.NaN, 2, 3]);
    gemm(false, false, 0, 3, 4, 1, A, 0, 4, B, 0, 3, 0, C, 0, 3);
    gemm(false, false, 3, 0, 4, 1, A, 0, 4, B, 0, 0, 0, C, 0, 0);
    expect(Array.from(C)).toEqual([Number.NaN, 2, 3]);
  });

  it('computes C = beta·C when K is 0, clearing NaN when beta is 0', () => {
    const empty = new Float32Array(0);
    const C = Float32Array.from([1, 2, 3, 4, 5, 6]);
    gemm(false, false, 2, 3, 0, 1, empty, 0, 0, empty, 0, 3, 2, C, 0, 3);
    expect(Array.from(C)).toEqual([2, 4, 6, 8, 10, 12]);
    const D = new Float32Array(6).fill(Number.NaN);
    gemm(true, true, 2, 3, 0, 1, empty, 0, 2, empty, 0, 0, 0, D, 0, 3);
    expect(Array.from(D)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('does not read A or B when alpha is 0 (BLAS semantics: NaN in A does not reach C)', () => {
    const M = 9;
    const N = 10;
    const K = 11;
    const A = new Float32Array(M * K).fill(Number.NaN);
    const B = new Float32Array(K * N).fill(1);
    const C = new Float32Array(M * N).fill(4);
    gemm(false, false, M, N, K, 0, A, 0, K, B, 0, N, 0.5, C, 0, N);
    expect(C.every((v) => v === 2)).toBe(true);
  });

  it('overwrites Inf and NaN in C when beta is 0, on both the tiled and the small path', () => {
    for (const [M, N, K] of [
      [64, 48, 40],
      [2, 5, 3],
    ] as const) {
      const A = new Float32Array(M * K).fill(1);
      const B = new Float32Array(K * N).fill(1);
      const C = new Float32Array(M * N).map((_, i) => (i % 2 ? Number.POSITIVE_INFINITY : Number.NaN));
      gemm(false, false, M, N, K, 1, A, 0, K, B, 0, N, 0, C, 0, N);
      expect(C.every((v) => v === K)).toBe(true);
    }
  });

  it('gives identical bits regardless of earlier calls (scratch reuse leaks no state)', () => {
    const rand = mulberry32(42);
    const make = (n: number) => new Float32Array(n).map(() => rand() * 2 - 1);
    const run = (M: number, N: number, K: number, A: Float32Array, B: Float32Array) => {
      const C = new Float32Array(M * N);
      gemm(false, true, M, N, K, 1, A, 0, K, B, 0, K, 0, C, 0, N);
      return C;
    };
    const small = [13, 11, 7] as const;
    const sa = make(13 * 7);
    const sb = make(11 * 7);
    const first = run(...small, sa, sb);
    run(200, 300, 400, make(200 * 400), make(300 * 400)); // grows and dirties the packing scratch
    expect(run(...small, sa, sb)).toEqual(first);
  });

  it('matches the reference exactly on small integers (no reassociation error)', () => {
    const M = 37;
    const N = 29;
    const K = 300;
    const A = new Float32Array(M * K).map((_, i) => (i % 7) - 3);
    const B = new Float32Array(K * N).map((_, i) => (i % 5) - 2);
    const C = new Float32Array(M * N);
    gemm(false, false, M, N, K, 1, A, 0, K, B, 0, N, 0, C, 0, N);
    const want = new Float32Array(M * N);
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        for (let k = 0; k < K; k++) want[i * N + j]! += A[i * K + k]! * B[k * N + j]!;
      }
    }
    expect(C).toEqual(want);
  });
});

describe('gemmPacked (js backend)', () => {
  const rand = mulberry32(7);
  const make = (n: number) => new Float32Array(n).map(() => rand() * 2 - 1);

  // Shapes through the classical tiled path across KC (256) and NC (1536) block edges, partial tiles, and the
  // small-product fallback (M < 2, N < 3, M·N·K ≤ 1024); odd dimensions keep them off the Strassen path (below).
  it.each([
    [63, 1024, 256],
    [64, 1023, 256],
    [9, 1600, 300],
    [17, 10, 513],
    [2, 40, 50],
    [40, 2, 50],
    [5, 6, 7],
  ] as const)('gives the same bits as gemm for %i×%i×%i in every layout, with offsets and beta', (M, N, K) => {
    for (const [transA, transB] of COMBOS) {
      const lda = (transA ? M : K) + 2;
      const ldb = (transB ? K : N) + 1;
      const A = make(3 + (transA ? K : M) * lda);
      const B = make(5 + (transB ? N : K) * ldb);
      const C0 = make(4 + M * (N + 3));
      const want = C0.slice();
      gemm(transA, transB, M, N, K, 0.75, A, 3, lda, B, 5, ldb, 0.5, want, 4, N + 3);
      const packed = packB(transB, K, N, B, 5, ldb);
      const got = C0.slice();
      gemmPacked(transA, M, 0.75, A, 3, lda, packed, 0.5, got, 4, N + 3);
      expect(got).toEqual(want);
    }
  });

  it('reuses a large enough buffer, replacing its contents, and grows a small one', () => {
    const [M, N, K] = [12, 30, 40];
    const A = make(M * K);
    const B1 = make(K * N);
    const B2 = make(K * N);
    const big = packB(false, 300, 300, make(300 * 300), 0, 300);
    const p2 = packB(false, K, N, B2, 0, N, packB(false, K, N, B1, 0, N, big));
    expect(p2.buffer).toBe(big.buffer);
    const want = new Float32Array(M * N);
    gemm(false, false, M, N, K, 1, A, 0, K, B2, 0, N, 0, want, 0, N);
    const got = new Float32Array(M * N);
    gemmPacked(false, M, 1, A, 0, K, p2, 0, got, 0, N);
    expect(got).toEqual(want);
    const small = packB(false, K, N, B1, 0, N);
    const grown = packB(false, 300, 300, make(300 * 300), 0, 300, small);
    expect(grown.buffer).not.toBe(small.buffer);
    expect(grown.buffer.length).toBeGreaterThan(small.buffer.length);
  });
});

describe('gemmPacked with one level of Strassen (js backend)', () => {
  const rand = mulberry32(11);
  const make = (n: number) => new Float32Array(n).map(() => rand() * 2 - 1);

  /**
   * gemmPacked against a float64 reference, in every layout with offsets, padding, alpha and beta: the error of each
   * element relative to Σ|alpha·a·b| + |beta·c| (as in `check`) stays below 1e-5, and C's padding is untouched.
   */
  function checkPacked(M: number, N: number, K: number, expectStrassen: boolean): void {
    for (const [transA, transB] of COMBOS) {
      const lda = (transA ? M : K) + 2;
      const ldb = (transB ? K : N) + 1;
      const ldc = N + 3;
      const A = make(3 + (transA ? K : M) * lda);
      const B = make(5 + (transB ? N : K) * ldb);
      const C0 = make(4 + M * ldc);
      const packed = packB(transB, K, N, B, 5, ldb);
      expect(packed.strassen !== null).toBe(expectStrassen);
      for (const [alpha, beta] of [
        [1, 0],
        [-0.75, 0.5],
      ] as const) {
        const got = C0.slice();
        gemmPacked(transA, M, alpha, A, 3, lda, packed, beta, got, 4, ldc);
        let worst = 0;
        for (let i = 0; i < M; i++) {
          for (let j = 0; j < N; j++) {
            let dot = 0;
            let mag = 0;
            for (let k = 0; k < K; k++) {
              const p = A[3 + (transA ? k * lda + i : i * lda + k)]! * B[5 + (transB ? j * ldb + k : k * ldb + j)]!;
              dot += p;
              mag += Math.abs(p);
            }
            const old = C0[4 + i * ldc + j]!;
            const want = alpha * dot + beta * old;
            worst = Math.max(worst, Math.abs(got[4 + i * ldc + j]! - want) / (Math.abs(alpha) * mag + Math.abs(beta * old)));
          }
        }
        expect(worst).toBeLessThan(1e-5);
        for (let idx = 0; idx < got.length; idx++) {
          const rel = idx - 4;
          if (rel < 0 || rel % ldc >= N || rel >= M * ldc) expect(got[idx]).toBe(C0[idx]);
        }
      }
    }
  }

  // The recurrent shapes, odd halves (edge tiles in both directions), and halves across the MC (96), KC (256) and NC
  // (1536) blocks.
  it.each([
    [64, 256, 256],
    [32, 96, 128],
    [34, 98, 130],
    [200, 100, 600],
    [36, 3080, 130],
  ] as const)('matches the float64 reference for %i×%i×%i in every layout', (M, N, K) => {
    checkPacked(M, N, K, true);
  });

  it('stays classical when op(B) is too small to split or has an odd dimension', () => {
    expect(packB(false, 128, 94, make(128 * 94), 0, 94).strassen).toBeNull();
    expect(packB(false, 126, 96, make(126 * 96), 0, 96).strassen).toBeNull();
    expect(packB(false, 129, 96, make(129 * 96), 0, 96).strassen).toBeNull();
    checkPacked(30, 96, 128, true); // M too small: the classical panels
    checkPacked(33, 96, 128, true); // M odd
  });

  it('keeps the classical results for non-finite operands (Strassen would turn ∞ − ∞ into NaN)', () => {
    const [M, N, K] = [32, 96, 128];
    const A = make(M * K);
    const B = make(K * N);
    A[5] = Number.POSITIVE_INFINITY; // row 0, column 5
    const want = new Float32Array(M * N);
    gemm(false, false, M, N, K, 1, A, 0, K, B, 0, N, 0, want, 0, N);
    const got = new Float32Array(M * N);
    gemmPacked(false, M, 1, A, 0, K, packB(false, K, N, B, 0, N), 0, got, 0, N);
    expect(got).toEqual(want);
    expect(got.slice(N).every(Number.isFinite)).toBe(true);
    B[7] = Number.NaN;
    const nanB = packB(false, K, N, B, 0, N);
    expect(nanB.strassen).toBeNull();
  });

  it('reuses the Strassen buffer of an earlier packing when large enough', () => {
    const first = packB(true, 256, 256, make(256 * 256), 0, 256);
    const again = packB(true, 256, 256, make(256 * 256), 0, 256, first);
    expect(again.strassen).toBe(first.strassen);
  });
});
