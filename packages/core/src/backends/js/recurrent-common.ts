import type { RecurrentBackwardArgs, RecurrentGrads, RecurrentSequenceArgs, SequenceGeometry } from '../recurrent.js';
import { fastSigmoid } from './fast-math.js';
import type { PackedB } from './gemm.js';
import { gemm, packB } from './parallel-gemm.js';
import { reduce } from './reduce.js';
import { takeSlab } from './slab-pool.js';

/**
 * Logistic sigmoid of the gate loops: {@link fastSigmoid} (0.5 + 0.5·tanh(v/2) by a rational tanh, error < 3e-11,
 * ~3× faster than Math.exp); saturates cleanly to 0 or 1, never NaN.
 */
export function sigmoid(v: number): number {
  return fastSigmoid(v);
}

/**
 * Row `b·T + t` of `[B, T, ·]` slabs that sequence b works on at processing step s, or −1 once the sequence has
 * ended (s ≥ its length). Forward: t = s; reverse: t = len − 1 − s, so only the valid part is reversed.
 */
export function rowAt(g: SequenceGeometry, b: number, s: number): number {
  const len = g.lengths[b]!;
  if (s >= len) return -1;
  return b * g.steps + (g.reverse ? len - 1 - s : s);
}

/**
 * The input projection of every time step at once: `x [B·T, X] · W_ihᵀ → [B·T, G·H]`, one GEMM that reads W_ih
 * transposed in place. Biases are added later in the gate loops (the GRU's n gate needs them apart).
 */
export function projectInputs(args: RecurrentSequenceArgs, GH: number): Float32Array {
  const { geometry: g, x, weights } = args;
  const rows = g.batch * g.steps;
  const X = g.inputSize;
  const P = takeSlab(rows * GH); // [B, T, G·H]
  gemm(false, true, rows, GH, X, 1, x, 0, X, weights.weightIh, 0, X, 0, P, 0, GH);
  return P;
}

/** Packed recurrent weight blocks of the latest call, by slot: their buffers are reused by the next call. */
const packed: (PackedB | undefined)[] = [];

/**
 * Packs a block of W_hh once per call for the per-step GEMMs (arguments as {@link packB}); `slot` (0 or 1) names the
 * block, so a call that needs two at once (the reset-before GRU) keeps both. Buffers are reused across calls.
 */
export function packRecurrent(
  slot: number,
  transB: boolean,
  K: number,
  N: number,
  W: Float32Array,
  offset: number,
  ld: number,
): PackedB {
  const p = packB(transB, K, N, W, offset, ld, packed[slot]);
  packed[slot] = p;
  return p;
}

/**
 * The slab `[B, T, width]` backward writes its pre-activation gradients into: on the final backward pass (nothing
 * reads the saved activations again) the gate activations themselves, each element read before it is overwritten —
 * this saves allocating, zeroing and later collecting a second slab of the largest size every training step. Rows
 * past a sequence's end (never visited) still hold projections there, so they are cleared: the input-side gradient
 * GEMMs sum over every row.
 */
export function gradientSlab(args: RecurrentBackwardArgs, gates: Float32Array, width: number): Float32Array {
  const { batch: B, steps: T } = args.geometry;
  if (!args.final) return takeSlab(B * T * width);
  for (let b = 0; b < B; b++) gates.fill(0, (b * T + args.geometry.lengths[b]!) * width, (b + 1) * T * width);
  return gates;
}

/** `b_ih + b_hh` per gate row (zeros without bias): the constant every RNN/LSTM pre-activation adds. */
export function biasSum(args: RecurrentSequenceArgs, size: number): Float32Array {
  const out = new Float32Array(size);
  const { biasIh, biasHh } = args.weights;
  if (biasIh && biasHh) for (let j = 0; j < size; j++) out[j] = biasIh[j]! + biasHh[j]!;
  return out;
}

/**
 * The input-side gradients every cell shares, from the gate pre-activation gradients `dG [B·T, G·H]` (rows past a
 * sequence's end are 0, so they add nothing): dx = dG·W_ih and dW_ih = dGᵀ·x, each one GEMM over all B·T rows, and
 * db_ih = Σ_rows dG, which is also db_hh unless the cell wrote its own (the GRU's reset-after n block).
 */
export function inputSideGrads(args: RecurrentSequenceArgs, dG: Float32Array, grads: RecurrentGrads, ownBiasHh: boolean): void {
  const { geometry: g, x, weights } = args;
  const rows = g.batch * g.steps;
  const X = g.inputSize;
  const GH = weights.weightIh.length / X;
  if (grads.x) gemm(false, false, rows, X, GH, 1, dG, 0, GH, weights.weightIh, 0, X, 0, grads.x, 0, X);
  if (grads.weightIh) gemm(true, false, GH, X, rows, 1, dG, 0, GH, x, 0, X, 0, grads.weightIh, 0, X);
  if (grads.biasIh) reduce('sum', dG, 1, rows, GH, grads.biasIh);
  if (grads.biasHh && !ownBiasHh) {
    if (grads.biasIh) grads.biasHh.set(grads.biasIh);
    else reduce('sum', dG, 1, rows, GH, grads.biasHh);
  }
}
