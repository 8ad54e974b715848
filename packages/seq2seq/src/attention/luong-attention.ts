import { type Generator, Linear, ShapeError, type Tensor, ValueError, add, linear, matmul, reshape, slice, tanh, transpose, unsqueeze } from '@elman/core';
import { Attention, type AttentionSizeOptions, checkSize } from './attention.js';

/** Luong et al.'s score functions. */
export type LuongScore = 'dot' | 'general' | 'concat';

/** Options of {@link LuongAttention}. */
export interface LuongAttentionOptions extends AttentionSizeOptions {
  /** `'dot'` q·k (needs Dq = Dk), `'general'` qᵀ W k, or `'concat'` vᵀ tanh(W [q; k]). Default `'general'`. */
  score?: LuongScore;
  /** Width A of the `'concat'` score network (default: querySize). */
  attentionSize?: number;
  /** Random stream for the initial weights; default: the global generator. */
  generator?: Generator;
}

/**
 * Multiplicative / concat attention (Luong, Pham & Manning 2015). State dict: none for `'dot'`;
 * `W.weight [Dq, Dk]` for `'general'`; `W.weight [A, Dq + Dk]` and `v.weight [1, A]` for `'concat'`.
 *
 * @example
 * ```ts run
 * import { randn } from '@elman/core';
 * import { LuongAttention } from '@elman/seq2seq';
 *
 * const general = new LuongAttention({ querySize: 16, keySize: 32, score: 'general' }); // qᵀ W k, W [16, 32]
 * const queries = randn([2, 3, 16]); // [B, T, Dq]: all decoder steps at once
 * const { context, weights } = general.forward(queries, randn([2, 5, 32])); // keys [B, S, Dk]
 * console.log(context.shape, weights.shape); // [2, 3, 32] [2, 3, 5]
 * const dot = new LuongAttention({ querySize: 32, keySize: 32, score: 'dot' }); // no parameters
 * console.log(dot.forward(randn([2, 32]), randn([2, 5, 32])).weights.shape); // [2, 5]
 * ```
 */
export class LuongAttention extends Attention {
  /** The score function. */
  readonly scoreKind: LuongScore;
  /** The bilinear map (`'general'`) or the concat layer (`'concat'`); null for `'dot'`. */
  W: Linear | null;
  /** The concat score vector; null unless `'concat'`. */
  v: Linear | null;

  /** Creates the score function's parameters, initialised like PyTorch's Linear. */
  constructor(options: LuongAttentionOptions) {
    super('LuongAttention', options);
    const kind = options.score ?? 'general';
    const generator = options.generator;
    this.scoreKind = kind;
    this.W = null;
    this.v = null;
    if (kind === 'dot') {
      if (this.querySize !== this.keySize) {
        throw new ShapeError(`LuongAttention: score 'dot' needs querySize = keySize, got ${this.querySize} and ${this.keySize}`);
      }
    } else if (kind === 'general') {
      this.W = new Linear(this.keySize, this.querySize, { bias: false, generator });
    } else if (kind === 'concat') {
      const A = checkSize('LuongAttention', 'attentionSize', options.attentionSize ?? this.querySize);
      this.W = new Linear(this.querySize + this.keySize, A, { bias: false, generator });
      this.v = new Linear(A, 1, { bias: false, generator });
    } else {
      throw new ValueError(`LuongAttention: score must be 'dot', 'general' or 'concat', got ${String(kind)}`);
    }
  }

  /** The chosen score for every (t, s) pair. */
  protected score(query: Tensor, keys: Tensor): Tensor {
    if (this.scoreKind === 'dot') return matmul(query, transpose(keys, 1, 2)); // [B, T, S]
    const W = this.W!;
    if (this.scoreKind === 'general') return matmul(query, transpose(W.forward(keys), 1, 2)); // [B, T, S]
    // W [q; k] = W_q q + W_k k, so the [B, T, S, Dq + Dk] concatenation is never built.
    const [B, T] = query.shape as [number, number, number];
    const S = keys.shape[1]!;
    const Dq = this.querySize;
    const qp = unsqueeze(linear(query, slice(W.weight, 1, 0, Dq)), 2); // [B, T, 1, A]
    const kp = unsqueeze(linear(keys, slice(W.weight, 1, Dq)), 1); // [B, 1, S, A]
    const e = linear(tanh(add(qp, kp)), this.v!.weight); // [B, T, S, 1]
    return reshape(e, [B, T, S]);
  }
}
