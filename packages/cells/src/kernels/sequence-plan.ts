import { Tensor, getBackend } from '@elman/core';
import type { RecurrentWeights } from '../weights.js';

/**
 * Geometry of one fused sequence-kernel call. Slabs are batch-first `[B, T, ·]` like the input, so the input
 * projection and the weight gradients are single GEMMs over all B·T rows; a per-step loop visits, for every
 * sequence b, the row of its time step at processing step s (see {@link rowAt}).
 */
export interface SequencePlan {
  /** Sequences in the batch, B. */
  readonly batch: number;
  /** Padded time steps, T. */
  readonly steps: number;
  /** Input features, X. */
  readonly inputSize: number;
  /** Hidden features, H. */
  readonly hiddenSize: number;
  /** Valid length of every sequence `[B]` (all T without padding). */
  readonly lengths: Int32Array;
  /** Number of processing steps: the longest valid length. */
  readonly maxLen: number;
  /** Process each sequence's valid part from its last valid step back to step 0. */
  readonly reverse: boolean;
}

/** A plan for `x [B, T, X]` with checked `lengths`. */
export function makePlan(x: Tensor, hiddenSize: number, lengths: Int32Array, reverse: boolean): SequencePlan {
  const [B, T, X] = x.shape as [number, number, number];
  let maxLen = 0;
  for (let b = 0; b < B; b++) maxLen = Math.max(maxLen, lengths[b]!);
  return { batch: B, steps: T, inputSize: X, hiddenSize, lengths, maxLen, reverse };
}

/**
 * Row `b·T + t` of `[B, T, ·]` slabs that sequence b works on at processing step s, or −1 once the sequence has
 * ended (s ≥ its length). Forward: t = s; reverse: t = len − 1 − s, so only the valid part is reversed.
 */
export function rowAt(plan: SequencePlan, b: number, s: number): number {
  const len = plan.lengths[b]!;
  if (s >= len) return -1;
  return b * plan.steps + (plan.reverse ? len - 1 - s : s);
}

/**
 * The input projection of every time step at once: `x [B·T, X] · W_ihᵀ → [B·T, G·H]`, one GEMM that reads W_ih
 * transposed in place. Biases are added later in the gate loops (the GRU's n gate needs them apart).
 */
export function projectInputs(x: Tensor, w: RecurrentWeights<Tensor>, plan: SequencePlan): Float32Array {
  const rows = plan.batch * plan.steps;
  const X = plan.inputSize;
  const GH = w.weightIh.shape[0]!;
  const P = new Float32Array(rows * GH); // [B, T, G·H]
  getBackend().gemm(false, true, rows, GH, X, 1, x.data as Float32Array, 0, X, w.weightIh.data as Float32Array, 0, X, 0, P, 0, GH);
  return P;
}

/** A copy of an initial state `[B, H]`, or zeros when omitted; the kernels update it in place step by step. */
export function initialState(t: Tensor | null, size: number): Float32Array {
  return t ? new Float32Array(t.data as Float32Array) : new Float32Array(size);
}

/** `b_ih + b_hh` per gate row (zeros without bias): the constant every RNN/LSTM pre-activation adds. */
export function biasSum(w: RecurrentWeights<Tensor>, size: number): Float32Array {
  const out = new Float32Array(size);
  if (w.biasIh && w.biasHh) {
    const bi = w.biasIh.data as Float32Array;
    const bh = w.biasHh.data as Float32Array;
    for (let j = 0; j < size; j++) out[j] = bi[j]! + bh[j]!;
  }
  return out;
}

/** Inputs of a fused kernel's tape node, in the order its backward returns gradients. */
export function kernelInputs(x: Tensor, w: RecurrentWeights<Tensor>, states: readonly (Tensor | null)[]): Tensor[] {
  const inputs = [x, w.weightIh, w.weightHh];
  if (w.biasIh && w.biasHh) inputs.push(w.biasIh, w.biasHh);
  for (const s of states) if (s) inputs.push(s);
  return inputs;
}

/**
 * The gradients every fused kernel returns, aligned with {@link kernelInputs}, from the gate pre-activation gradients
 * `dG [B·T, G·H]` (rows past a sequence's end are 0, so they add nothing): dx = dG·W_ih and dW_ih = dGᵀ·x, each one
 * GEMM over all B·T rows, and db_ih = Σ_rows dG. The hidden-side weight gradient `dWhh` comes from the cell's kernel;
 * `dbHh` too, or null when b_hh enters where b_ih does (RNN, LSTM, reset-before GRU), making db_hh = db_ih.
 */
export function inputSideGrads(
  x: Tensor,
  w: RecurrentWeights<Tensor>,
  plan: SequencePlan,
  dG: Float32Array,
  dWhh: Float32Array | null,
  dbHh: Float32Array | null,
  states: readonly (Tensor | null)[],
  dStates: readonly Float32Array[],
): (Tensor | null)[] {
  const backend = getBackend();
  const rows = plan.batch * plan.steps;
  const X = plan.inputSize;
  const GH = w.weightIh.shape[0]!;
  const out: (Tensor | null)[] = [];
  let dx: Tensor | null = null;
  if (x.requiresGrad) {
    dx = new Tensor(new Float32Array(rows * X), x.shape); // [B, T, X]
    backend.gemm(false, false, rows, X, GH, 1, dG, 0, GH, w.weightIh.data as Float32Array, 0, X, 0, dx.data as Float32Array, 0, X);
  }
  let dWih: Tensor | null = null;
  if (w.weightIh.requiresGrad) {
    dWih = new Tensor(new Float32Array(GH * X), w.weightIh.shape); // [G·H, X]
    backend.gemm(true, false, GH, X, rows, 1, dG, 0, GH, x.data as Float32Array, 0, X, 0, dWih.data as Float32Array, 0, X);
  }
  out.push(dx, dWih, dWhh ? new Tensor(dWhh, w.weightHh.shape) : null);
  if (w.biasIh && w.biasHh) {
    const dbIh = new Float32Array(GH); // [G·H]
    backend.reduce('sum', dG, 1, rows, GH, dbIh);
    out.push(new Tensor(dbIh, w.biasIh.shape), new Tensor(dbHh ?? dbIh.slice(), w.biasHh.shape));
  }
  states.forEach((s, i) => {
    if (s) out.push(new Tensor(dStates[i]!, s.shape));
  });
  return out;
}
