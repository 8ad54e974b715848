import { type Generator, ShapeError, type Tensor, ValueError, add, attentionShapes, fmtShape, fusedAttention, reshape } from '@elman/core';
import { type AttentionMask, causalMask, maskBias, maskTensor } from './masks.js';

/** Options of {@link scaledDotProductAttention}. */
export interface ScaledDotProductAttentionOptions {
  /** Mask broadcastable to the scores `[..., T, S]` (typically `[T, S]`); see {@link AttentionMask}. */
  attnMask?: AttentionMask | null;
  /** `[B, S]` mask of padded keys, `B` being the first axis of the query (needs a batch axis). */
  keyPaddingMask?: AttentionMask | null;
  /** Mask key j for query i when j > i (top-left aligned, as PyTorch's `is_causal`). Default false. */
  isCausal?: boolean;
  /** Probability of dropping an attention weight (after the softmax). Default 0. */
  dropout?: number;
  /** Random stream of the dropout mask; default: the global generator. */
  generator?: Generator;
  /** Factor applied to the scores; default 1/√D (Vaswani et al. 2017). */
  scale?: number;
}

/** What an attention function returns. */
export interface AttentionOutput {
  /** Weighted sum of the values, `[..., T, Dv]`. */
  context: Tensor;
  /**
   * Attention weights `[..., T, S]`: each row sums to 1 over unmasked keys and is exactly 0 on masked ones
   * (a row with every key masked is NaN, as in PyTorch).
   */
  weights: Tensor;
}

/**
 * Scaled dot-product attention (Vaswani et al. 2017): `softmax(q·kᵀ·scale + mask)·v`, one fused core op
 * (`fusedAttention`: forward and backward kernels per batch·head group) that differentiates through all of
 * `query [..., T, D]`, `key [..., S, D]` and `value [..., S, Dv]` (same leading axes).
 * Masked scores become −∞ before the softmax, so masked keys get weight exactly 0. This is the primitive that
 * `MultiheadAttention` runs per head and that encoder–decoder models can use directly with `[B, T, D]` inputs.
 *
 * @example
 * ```ts run
 * import { randn } from '@elman/core';
 * import { scaledDotProductAttention } from '@elman/transformer';
 *
 * const q = randn([2, 4, 5, 8]); // [B, heads, T, d]
 * const k = randn([2, 4, 7, 8]); // [B, heads, S, d]
 * const v = randn([2, 4, 7, 8]);
 * const { context, weights } = scaledDotProductAttention(q, k, v);
 * console.log(context.shape, weights?.shape); // [2, 4, 5, 8] [2, 4, 5, 7]
 * ```
 */
export function scaledDotProductAttention(
  query: Tensor,
  key: Tensor,
  value: Tensor,
  options: ScaledDotProductAttentionOptions = {},
): AttentionOutput {
  const op = 'scaledDotProductAttention';
  const { batch, T, S, D } = attentionShapes(op, query, key, value);
  const r = query.rank;
  checkNonEmpty(op, T, S);
  const scoresShape = [...batch, T, S];
  let bias: Tensor | null = null;
  if (options.attnMask != null) {
    const m = maskTensor(op, 'attnMask', options.attnMask);
    const fits = m.rank <= r && m.shape.every((d, i) => d === 1 || d === scoresShape[r - m.rank + i]);
    if (!fits) {
      throw new ShapeError(`${op}: attnMask ${fmtShape(m.shape)} cannot be broadcast to the scores ${fmtShape(scoresShape)}`);
    }
    bias = maskBias(m);
  }
  if (options.keyPaddingMask != null) {
    const m = maskTensor(op, 'keyPaddingMask', options.keyPaddingMask);
    if (r < 3 || m.rank !== 2 || m.shape[0] !== batch[0] || m.shape[1] !== S) {
      const want = r < 3 ? 'a query with a batch axis' : fmtShape([batch[0]!, S]);
      throw new ShapeError(`${op}: keyPaddingMask must be ${want} for scores ${fmtShape(scoresShape)}, got ${fmtShape(m.shape)}`);
    }
    // [B, S] → [B, 1, …, 1, S]: the same keys are padded for every query (and head).
    const b = reshape(maskBias(m), [batch[0]!, ...new Array<number>(r - 2).fill(1), S]);
    bias = bias ? add(bias, b) : b;
  }
  if (options.isCausal) {
    const c = maskBias(causalMask(T, S));
    bias = bias ? add(bias, c) : c;
  }
  const p = options.dropout ?? 0;
  if (!(p >= 0 && p <= 1)) throw new ValueError(`${op}: dropout must be in [0, 1], got ${p}`);
  const scale = options.scale ?? 1 / Math.sqrt(D);
  // Both GEMMs, the softmax and the weights' dropout per (batch·head) group in one op with one backward kernel.
  return fusedAttention(query, key, value, { bias, scale, dropout: p, generator: options.generator });
}

/** Throws a `ValueError` naming `op` for an empty query or key sequence. */
export function checkNonEmpty(op: string, T: number, S: number): void {
  if (T === 0 || S === 0) {
    throw new ValueError(`${op}: empty sequence: the query has ${T} positions and the key ${S}; both need at least one`);
  }
}
