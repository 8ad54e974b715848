import { ShapeError, type Tensor, fusedAttention, matmul, maskedFill, mul, reshape, transpose, zeros } from '@elman/core';
import { Attention, type AttentionResult, type AttentionSizeOptions } from './attention.js';

/**
 * Scaled dot-product attention (Vaswani et al. 2017): e_ts = q_t·k_s / √Dk, which keeps the logits' variance near 1
 * so the softmax does not saturate for wide keys. No parameters; needs Dq = Dk.
 *
 * @example
 * ```ts run
 * import { randn } from '@elman/core';
 * import { ScaledDotProductAttention } from '@elman/seq2seq';
 *
 * const attention = new ScaledDotProductAttention({ querySize: 64, keySize: 64 });
 * const keys = randn([2, 5, 64]); // [B, S, Dk]
 * const values = randn([2, 5, 10]); // [B, S, Dv]
 * const { context, weights } = attention.forward(randn([2, 3, 64]), keys, { values });
 * console.log(context.shape, weights.shape); // [2, 3, 10] [2, 3, 5]
 * ```
 */
export class ScaledDotProductAttention extends Attention {
  /** Checks Dq = Dk. */
  constructor(options: AttentionSizeOptions) {
    super('ScaledDotProductAttention', options);
    if (this.querySize !== this.keySize) {
      throw new ShapeError(`ScaledDotProductAttention: querySize must equal keySize, got ${this.querySize} and ${this.keySize}`);
    }
  }

  /** q·k / √Dk. */
  protected score(query: Tensor, keys: Tensor): Tensor {
    return mul(matmul(query, transpose(keys, 1, 2)), 1 / Math.sqrt(this.keySize)); // [B, T, S]
  }

  /** Scores, mask, softmax and context in core's fused attention kernel (forward and backward). */
  protected override attend(query: Tensor, keys: Tensor, values: Tensor, mask: Tensor | null): AttentionResult {
    let bias: Tensor | null = null;
    if (mask) {
      const [B, S] = mask.shape as [number, number];
      bias = maskedFill(zeros([B, 1, S]), reshape(mask, [B, 1, S]), Number.NEGATIVE_INFINITY); // [B, 1, S]: −∞ on masked keys
    }
    return fusedAttention(query, keys, values, { bias, scale: 1 / Math.sqrt(this.keySize) });
  }
}
