import type { Backend, GemmActivation } from '../backend.js';
import { gemm as jsGemm } from '../js/gemm.js';
import { gemmBiasAct as jsGemmBiasAct } from '../js/gemm-epilogue.js';
import { type Arena, bufferBytes, copyMatrixIn, copyMatrixOut, matrixBytes } from './arena.js';
import type { GemmKernels } from './parallel-gemm.js';

/**
 * Below this many multiply-adds the JS kernel wins: copying three operands and crossing into wasm costs ~0.1 µs,
 * which a tiny product never earns back (measured: 4×4×4 takes 0.12 µs in both, 8×8×8 0.46 µs in JS, 0.38 in wasm).
 */
const JS_WORK = 256;

/**
 * The wasm backend's sgemm (same contract as the js backend's `gemm`): operands are copied into the arena (copy
 * cost ~1% of compute at 512³, see arena.ts), multiplied by the packed 4×8 SIMD kernel of assembly/gemm.ts, and C
 * copied back. A product whose operands exceed the arena limit runs as row blocks of C, or in JS when even one row
 * block (or a transposed A) does not fit. `k` is the kernel module's own GEMM, or its threaded version
 * (parallel-gemm.ts) when the backend has GEMM threads.
 */
export function makeGemm(k: GemmKernels, arena: Arena, delegateSmall: boolean): Backend['gemm'] {
  const gemm: Backend['gemm'] = (transA, transB, M, N, K, alpha, A, aOffset, lda, B, bOffset, ldb, beta, C, cOffset, ldc) => {
    if (M === 0 || N === 0) return;
    if (K === 0 || alpha === 0 || (delegateSmall && M * N * K < JS_WORK)) {
      jsGemm(transA, transB, M, N, K, alpha, A, aOffset, lda, B, bOffset, ldb, beta, C, cOffset, ldc);
      return;
    }
    // Stored shapes: A is [K, M] when transposed, B is [N, K].
    const aRows = transA ? K : M;
    const aCols = transA ? M : K;
    const bRows = transB ? N : K;
    const bCols = transB ? K : N;
    const aBytes = matrixBytes(aRows, aCols, lda);
    const bBytes = matrixBytes(bRows, bCols, ldb);
    const cBytes = matrixBytes(M, N, ldc);
    const workBytes = k.gemmWorkspace(M, N, K) + 16;
    if (!arena.reserve(aBytes + bBytes + cBytes + workBytes)) {
      if (!transA && M > 1) {
        // Rows of C depend only on the same rows of A: halve until a block fits.
        const m1 = M >> 1;
        gemm(false, transB, m1, N, K, alpha, A, aOffset, lda, B, bOffset, ldb, beta, C, cOffset, ldc);
        gemm(false, transB, M - m1, N, K, alpha, A, aOffset + m1 * lda, lda, B, bOffset, ldb, beta, C, cOffset + m1 * ldc, ldc);
      } else {
        jsGemm(transA, transB, M, N, K, alpha, A, aOffset, lda, B, bOffset, ldb, beta, C, cOffset, ldc);
      }
      return;
    }
    const f32 = arena.f32;
    const aPtr = arena.base;
    const bPtr = aPtr + aBytes;
    const cPtr = bPtr + bBytes;
    const wPtr = cPtr + cBytes;
    const aLd = copyMatrixIn(f32, aPtr >> 2, A, aOffset, aRows, aCols, lda);
    const bLd = copyMatrixIn(f32, bPtr >> 2, B, bOffset, bRows, bCols, ldb);
    // With beta = 0 the kernel never reads C, so a contiguous C need not be copied in.
    const cLd = beta === 0 && (M === 1 || ldc === N) ? N : copyMatrixIn(f32, cPtr >> 2, C, cOffset, M, N, ldc);
    k.gemm(transA ? 1 : 0, transB ? 1 : 0, M, N, K, alpha, aPtr, aLd, bPtr, bLd, beta, cPtr, cLd, wPtr);
    copyMatrixOut(f32, cPtr >> 2, cLd, C, cOffset, M, N, ldc);
  };
  return gemm;
}


/** Epilogue activation codes of assembly/gemm.ts. */
const ACT_CODES: Readonly<Record<GemmActivation, number>> = { none: 0, relu: 1, gelu: 2, tanh: 3, sigmoid: 4 };

/**
 * The wasm backend's GEMM with fused bias and activation epilogue (see assembly/gemm.ts `gemmBiasAct`): operands
 * copied in as for {@link makeGemm}, the bias row too, and C (plus the pre-activation when asked for) copied out.
 * Products too small to repay the copies, or too large for the arena in one block, fall back as `gemm` does;
 * `k` as for {@link makeGemm}.
 */
export function makeGemmBiasAct(k: GemmKernels, arena: Arena, delegateSmall: boolean): Backend['gemmBiasAct'] {
  const fused: Backend['gemmBiasAct'] = (transA, transB, M, N, K, A, aOffset, lda, B, bOffset, ldb, bias, act, C, cOffset, ldc, pre) => {
    if (M === 0 || N === 0) return;
    if (K === 0 || (delegateSmall && M * N * K < JS_WORK)) {
      jsGemmBiasAct(transA, transB, M, N, K, A, aOffset, lda, B, bOffset, ldb, bias, act, C, cOffset, ldc, pre);
      return;
    }
    const aRows = transA ? K : M;
    const aCols = transA ? M : K;
    const bRows = transB ? N : K;
    const bCols = transB ? K : N;
    const aBytes = matrixBytes(aRows, aCols, lda);
    const bBytes = matrixBytes(bRows, bCols, ldb);
    const cBytes = bufferBytes(M * N);
    const biasBytes = bias ? bufferBytes(N) : 0;
    const auxBytes = pre ? cBytes : 0;
    const workBytes = k.gemmWorkspace(M, N, K) + 16;
    if (!arena.reserve(aBytes + bBytes + cBytes + biasBytes + auxBytes + workBytes)) {
      if (!transA && M > 1) {
        // Rows of C depend only on the same rows of A: halve until a block fits.
        const m1 = M >> 1;
        const pre2 = pre ? pre.subarray(m1 * N) : null;
        fused(false, transB, m1, N, K, A, aOffset, lda, B, bOffset, ldb, bias, act, C, cOffset, ldc, pre);
        fused(false, transB, M - m1, N, K, A, aOffset + m1 * lda, lda, B, bOffset, ldb, bias, act, C, cOffset + m1 * ldc, ldc, pre2);
      } else {
        jsGemmBiasAct(transA, transB, M, N, K, A, aOffset, lda, B, bOffset, ldb, bias, act, C, cOffset, ldc, pre);
      }
      return;
    }
    const f32 = arena.f32;
    const aPtr = arena.base;
    const bPtr = aPtr + aBytes;
    const cPtr = bPtr + bBytes;
    const biasPtr = cPtr + cBytes;
    const auxPtr = biasPtr + biasBytes;
    const wPtr = auxPtr + auxBytes;
    const aLd = copyMatrixIn(f32, aPtr >> 2, A, aOffset, aRows, aCols, lda);
    const bLd = copyMatrixIn(f32, bPtr >> 2, B, bOffset, bRows, bCols, ldb);
    if (bias) f32.set(bias.subarray(0, N), biasPtr >> 2);
    // C is written, never read, by the fused kernel: it lives packed (leading dimension N) in the arena.
    k.gemmBiasAct(transA ? 1 : 0, transB ? 1 : 0, M, N, K, aPtr, aLd, bPtr, bLd, bias ? biasPtr : 0, ACT_CODES[act], cPtr, N, pre ? auxPtr : 0, N, wPtr);
    copyMatrixOut(f32, cPtr >> 2, N, C, cOffset, M, N, ldc);
    if (pre) pre.set(f32.subarray(auxPtr >> 2, (auxPtr >> 2) + M * N));
  };
  return fused;
}
