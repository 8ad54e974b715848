import { record } from '../../autograd/record.js';
import { getBackend } from '../../backends/registry.js';
import { ShapeError, fmtShape } from '../../errors.js';
import { broadcastShapes, sizeOf } from '../../shape.js';
import type { Tensor } from '../../tensor.js';
import { reshape } from '../shape/reshape.js';
import { checkFloat, empty, sumToShape } from '../util.js';

/**
 * Matrix product with `torch.matmul` semantics: 1-D operands are promoted (and the added axis removed), leading
 * batch axes broadcast. Saves both operands: dA = g·Bᵀ, dB = Aᵀ·g (summed over broadcast batch axes).
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  checkFloat('matmul', 'a', a);
  checkFloat('matmul', 'b', b);
  if (a.rank === 0 || b.rank === 0) {
    throw new ShapeError(`matmul: both arguments need at least 1 dimension, got a ${fmtShape(a.shape)}, b ${fmtShape(b.shape)}`);
  }
  // Checked on the caller's shapes, before 1-D promotion, so the message shows what was passed.
  const kb = b.rank === 1 ? b.shape[0]! : b.shape[b.rank - 2]!;
  if (a.shape[a.rank - 1] !== kb) {
    throw new ShapeError(`matmul: inner dimensions differ: a is ${fmtShape(a.shape)}, b is ${fmtShape(b.shape)}`);
  }
  const a2 = a.rank === 1 ? reshape(a, [1, a.shape[0]!]) : a;
  const b2 = b.rank === 1 ? reshape(b, [b.shape[0]!, 1]) : b;
  const out = matmul2(a2, b2);
  if (a.rank === 1 && b.rank === 1) return reshape(out, []);
  if (a.rank === 1) return reshape(out, [...out.shape.slice(0, -2), out.shape[out.rank - 1]!]);
  if (b.rank === 1) return reshape(out, out.shape.slice(0, -1));
  return out;
}

function matmul2(a: Tensor, b: Tensor): Tensor {
  const out = matmulData(a, b, false, false);
  return record('matmul', [a, b], out, { a, b }, (g, s) => [
    s.a.requiresGrad ? sumToShape(matmulData(g, s.b, false, true), s.a.shape) : null,
    s.b.requiresGrad ? weightGrad(s.a, g, s.b.shape) : null,
  ]);
}

/** Aᵀ·g summed to B's shape; for a 2-D B the batch folds into one GEMM over all rows (e.g. Linear on [B, T, X]). */
function weightGrad(a: Tensor, g: Tensor, bShape: readonly number[]): Tensor {
  if (bShape.length === 2 && a.rank > 2) {
    const K = a.shape[a.rank - 1]!;
    const N = g.shape[g.rank - 1]!;
    const rows = a.size / K;
    const out = empty([K, N]);
    getBackend().gemm(true, false, K, N, rows, 1, a.data as Float32Array, 0, K, g.data as Float32Array, 0, N, 0, out.data as Float32Array, 0, N);
    return out;
  }
  return sumToShape(matmulData(a, g, true, false), bShape);
}

/**
 * op(A)·op(B) over broadcast batch axes, without recording. Operands have rank ≥ 2; `transA` / `transB` mean the
 * stored matrices are transposed (so no transpose copy is made for the backward pass).
 */
export function matmulData(a: Tensor, b: Tensor, transA: boolean, transB: boolean): Tensor {
  const ar = a.rank;
  const br = b.rank;
  const M = transA ? a.shape[ar - 1]! : a.shape[ar - 2]!;
  const K = transA ? a.shape[ar - 2]! : a.shape[ar - 1]!;
  const Kb = transB ? b.shape[br - 1]! : b.shape[br - 2]!;
  const N = transB ? b.shape[br - 2]! : b.shape[br - 1]!;
  if (K !== Kb) {
    throw new ShapeError(`matmul: inner dimensions differ: a is ${fmtShape(a.shape)}, b is ${fmtShape(b.shape)}`);
  }
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  let batch: number[];
  try {
    batch = broadcastShapes('matmul', batchA, batchB);
  } catch (err) {
    throw new ShapeError(
      `matmul: batch dimensions ${fmtShape(batchA)} and ${fmtShape(batchB)} cannot be broadcast: a is ${fmtShape(a.shape)}, b is ${fmtShape(b.shape)}`,
      { cause: err },
    );
  }
  const out = empty([...batch, M, N]);
  const backend = getBackend();
  const A = a.data as Float32Array;
  const B = b.data as Float32Array;
  const C = out.data as Float32Array;
  const lda = a.shape[ar - 1]!;
  const ldb = b.shape[br - 1]!;
  if (batchB.length === 0 && !transA) {
    // B is one matrix: fold every batch row of A into M and run a single GEMM.
    backend.gemm(false, transB, sizeOf(batchA) * M, N, K, 1, A, 0, lda, B, 0, ldb, 0, C, 0, N);
    return out;
  }
  const nBatch = sizeOf(batch);
  const stepA = M * K;
  const stepB = K * N;
  for (let i = 0; i < nBatch; i++) {
    backend.gemm(transA, transB, M, N, K, 1, A, batchOffset(i, batch, batchA) * stepA, lda, B, batchOffset(i, batch, batchB) * stepB, ldb, 0, C, i * M * N, N);
  }
  return out;
}

/** Which matrix of an operand with batch shape `own` serves output batch index `i` (broadcasting). */
function batchOffset(i: number, batch: readonly number[], own: readonly number[]): number {
  let offset = 0;
  let stride = 1;
  let rem = i;
  const lead = batch.length - own.length;
  for (let ax = batch.length - 1; ax >= 0; ax--) {
    const d = batch[ax]!;
    const idx = rem % d;
    rem = (rem - idx) / d;
    if (ax >= lead) {
      const od = own[ax - lead]!;
      if (od !== 1) offset += idx * stride;
      stride *= od;
    }
  }
  return offset;
}
