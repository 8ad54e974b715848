import { ShapeError, type Tensor, matmul, mul, transpose } from '@elman/core';
import { Attention, type AttentionSizeOptions } from './attention.js';

/**
 * Scaled dot-product attention (Vaswani et al. 2017): e_ts = q_t·k_s / √Dk, which keeps the logits' variance near 1
 * so the softmax does not saturate for wide keys. No parameters; needs Dq = Dk.
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
}
