import { ShapeError, type Tensor, ValueError, clamp, div, matmul, mul, sqrt, sum, square, transpose } from '@elman/core';
import { Attention, type AttentionSizeOptions } from './attention.js';

/** Options of {@link CosineAttention}. */
export interface CosineAttentionOptions extends AttentionSizeOptions {
  /** Fixed multiplier of the cosine (an inverse temperature; cosines lie in [−1, 1]). Default 1. */
  scale?: number;
  /** Lower bound on each norm, avoiding a division by 0 (as `torch.cosine_similarity`). Default 1e-8. */
  eps?: number;
}

/**
 * Cosine-similarity attention (the content addressing of Graves et al. 2014's Neural Turing Machine):
 * e_ts = scale · q_t·k_s / (max(‖q_t‖, ε) max(‖k_s‖, ε)). No parameters; needs Dq = Dk.
 *
 * @example
 * ```ts run
 * import { randn } from '@elman/core';
 * import { CosineAttention } from '@elman/seq2seq';
 *
 * // Content addressing of a memory by cosine similarity (Graves et al. 2014); scale sharpens the softmax.
 * const attention = new CosineAttention({ querySize: 8, keySize: 8, scale: 10 });
 * const { context, weights } = attention.forward(randn([1, 8]), randn([1, 20, 8])); // memory of 20 slots
 * console.log(context.shape, weights.shape); // [1, 8] [1, 20]
 * ```
 */
export class CosineAttention extends Attention {
  /** The inverse temperature. */
  readonly scale: number;
  /** The norm floor. */
  readonly eps: number;

  /** Checks Dq = Dk and the options. */
  constructor(options: CosineAttentionOptions) {
    super('CosineAttention', options);
    if (this.querySize !== this.keySize) {
      throw new ShapeError(`CosineAttention: querySize must equal keySize, got ${this.querySize} and ${this.keySize}`);
    }
    this.scale = options.scale ?? 1;
    this.eps = options.eps ?? 1e-8;
    if (!Number.isFinite(this.scale)) throw new ValueError(`CosineAttention: scale must be finite, got ${this.scale}`);
    if (!(this.eps > 0)) throw new ValueError(`CosineAttention: eps must be positive, got ${this.eps}`);
  }

  /** scale · cos(q_t, k_s). */
  protected score(query: Tensor, keys: Tensor): Tensor {
    const qn = div(query, clamp(sqrt(sum(square(query), -1, true)), this.eps, null)); // [B, T, D]
    const kn = div(keys, clamp(sqrt(sum(square(keys), -1, true)), this.eps, null)); // [B, S, D]
    return mul(matmul(qn, transpose(kn, 1, 2)), this.scale); // [B, T, S]
  }
}
