import type { GemmActivation } from '../backend.js';
import { gemm } from './parallel-gemm.js';
import { unary } from './unary.js';

/**
 * `C = act(op(A)·op(B) + bias)`: the bias rows are written into C, the product accumulates onto them (β = 1), then
 * each row of C is passed through the activation, after saving it to `preActivation` (`[M, N]`) when given.
 */
export function gemmBiasAct(
  transA: boolean,
  transB: boolean,
  M: number,
  N: number,
  K: number,
  A: Float32Array,
  aOffset: number,
  lda: number,
  B: Float32Array,
  bOffset: number,
  ldb: number,
  bias: Float32Array | null,
  activation: GemmActivation,
  C: Float32Array,
  cOffset: number,
  ldc: number,
  preActivation: Float32Array | null,
): void {
  for (let r = 0; r < M; r++) {
    const row = cOffset + r * ldc;
    if (bias) C.set(bias.subarray(0, N), row);
    else C.fill(0, row, row + N);
  }
  gemm(transA, transB, M, N, K, 1, A, aOffset, lda, B, bOffset, ldb, 1, C, cOffset, ldc);
  if (activation === 'none' && !preActivation) return;
  for (let r = 0; r < M; r++) {
    const row = C.subarray(cOffset + r * ldc, cOffset + r * ldc + N);
    if (preActivation) preActivation.set(row, r * N);
    if (activation !== 'none') unary(activation, row, row);
  }
}
