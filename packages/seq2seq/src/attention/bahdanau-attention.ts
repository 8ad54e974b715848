import { type Generator, Linear, type Tensor, add, linear, reshape, tanh, unsqueeze } from '@elman/core';
import { Attention, type AttentionSizeOptions, checkSize } from './attention.js';

/** Options of {@link BahdanauAttention}. */
export interface BahdanauAttentionOptions extends AttentionSizeOptions {
  /** Width A of the hidden layer of the score network (default: querySize). */
  attentionSize?: number;
  /** Random stream for the initial weights; default: the global generator. */
  generator?: Generator;
}

/**
 * Additive attention (Bahdanau, Cho & Bengio 2015): e_ts = vᵀ tanh(W_q q_t + W_k k_s + b). State dict
 * `query_proj.weight [A, Dq]`, `key_proj.weight [A, Dk]`, `key_proj.bias [A]`, `v.weight [1, A]`.
 *
 * @example
 * ```ts run
 * import { randn } from '@elman/core';
 * import { BahdanauAttention } from '@elman/seq2seq';
 *
 * const attention = new BahdanauAttention({ querySize: 16, keySize: 32, attentionSize: 24 });
 * const query = randn([2, 16]); // [B, Dq]: the decoder state at one step
 * const memory = randn([2, 5, 32]); // [B, S, Dk]: the encoder outputs
 * const keyPaddingMask = [[false, false, false, false, false], [false, false, false, true, true]]; // true = padding
 * const { context, weights } = attention.forward(query, memory, { keyPaddingMask });
 * console.log(context.shape, weights.shape); // [2, 32] [2, 5]; weights are exactly 0 on padding
 * ```
 */
export class BahdanauAttention extends Attention {
  /** Width A of the score network. */
  readonly attentionSize: number;
  /** W_q, no bias. */
  query_proj: Linear;
  /** W_k with the bias b. */
  key_proj: Linear;
  /** v, no bias. */
  v: Linear;

  /** Creates the score network, Linear layers initialised like PyTorch. */
  constructor(options: BahdanauAttentionOptions) {
    super('BahdanauAttention', options);
    const A = checkSize('BahdanauAttention', 'attentionSize', options.attentionSize ?? options.querySize);
    this.attentionSize = A;
    const generator = options.generator;
    this.query_proj = new Linear(this.querySize, A, { bias: false, generator });
    this.key_proj = new Linear(this.keySize, A, { generator });
    this.v = new Linear(A, 1, { bias: false, generator });
  }

  /** vᵀ tanh(W_q q + W_k k + b) for every (t, s) pair. */
  protected score(query: Tensor, keys: Tensor): Tensor {
    const [B, T] = query.shape as [number, number, number];
    const S = keys.shape[1]!;
    const qp = unsqueeze(this.query_proj.forward(query), 2); // [B, T, 1, A]
    const kp = unsqueeze(this.key_proj.forward(keys), 1); // [B, 1, S, A]
    const e = linear(tanh(add(qp, kp)), this.v.weight); // [B, T, S, 1]
    return reshape(e, [B, T, S]);
  }
}
