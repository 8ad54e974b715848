import { type Embedding, type Generator, Linear, Module, ShapeError, type Tensor, ValueError, concat, tanh, zeros } from '@elman/core';
import { GRUCell, type HiddenState, LSTMCell, type LstmState, RNNCell } from '@elman/cells';
import type { Attention } from './attention/attention.js';
import type { KeyPaddingMask } from './mask.js';
import type { EncoderState } from './encoder.js';

/** The recurrence of an {@link AttentionDecoder}. */
export type DecoderCell = 'lstm' | 'gru' | 'rnn';

/** Options of {@link AttentionDecoder}. */
export interface AttentionDecoderOptions {
  /** Target-token embedding `[V, E]`; V is also the size of the output layer. */
  embedding: Embedding;
  /** Hidden size H of the decoder cell (and of the attentional hidden state h̃). */
  hiddenSize: number;
  /** The attention over the encoder memory, with querySize = H and keySize = the memory width C. */
  attention: Attention;
  /** Width of the encoder's flattened final state (D·H_enc); a Linear bridge is added when it differs from H. */
  encoderStateSize: number;
  /** Whether the encoder's final state carries an LSTM cell state `c` to bridge (default true). */
  encoderIsLstm?: boolean;
  /** `'lstm'` (default), `'gru'` or `'rnn'`. */
  cell?: DecoderCell;
  /** Random stream for the initial weights; default: the global generator. */
  generator?: Generator;
}

/** The recurrent state carried between decoder steps. */
export interface DecoderState {
  /** The cell's state (`{h}` or `{h, c}`, each `[B, H]`). */
  cell: HiddenState;
  /** The previous attentional hidden state h̃ `[B, H]`, fed back with the next input (Luong's input feeding). */
  feed: Tensor;
}

/** The result of one {@link AttentionDecoder.step}. */
export interface DecoderStepResult {
  /** Unnormalised next-token scores `[B, V]`. */
  logits: Tensor;
  /** Attention weights over the source `[B, S]`. */
  weights: Tensor;
  /** The state for the next step. */
  state: DecoderState;
}

/**
 * Attention decoder (Luong, Pham & Manning 2015): at each step the cell reads [embed(y_{t−1}); h̃_{t−1}] (input
 * feeding), attends over the encoder memory with its new hidden state h_t, forms h̃_t = tanh(W_c [c_t; h_t]) and
 * predicts logits = W_out h̃_t. Its initial state is the encoder's final state, through `tanh(Linear)` bridges
 * when the sizes differ (Bahdanau et al. 2015's s₀ = tanh(W_s h₁)). State dict: `embedding.*`, `cell.*`,
 * `attention.*`, `attn_combine.weight [H, C + H]`, `out.weight [V, H]`, `out.bias`, and `bridge_h.*`/`bridge_c.*`.
 *
 * @example
 * ```ts run
 * import { Embedding, tensor } from '@elman/core';
 * import { AttentionDecoder, BahdanauAttention, Encoder } from '@elman/seq2seq';
 * import { lstm } from '@elman/wrappers';
 *
 * const encoder = new Encoder({ embedding: new Embedding(20, 8), rnn: lstm({ inputSize: 8, hiddenSize: 16 }) });
 * const decoder = new AttentionDecoder({
 *   embedding: new Embedding(30, 8), // target vocabulary V = 30
 *   hiddenSize: 16,
 *   attention: new BahdanauAttention({ querySize: 16, keySize: encoder.outputSize }),
 *   encoderStateSize: encoder.outputSize,
 *   encoderIsLstm: encoder.isLstm,
 * });
 * const { memory, state: encoded } = encoder.forward(tensor([[3, 4, 5]], undefined, { dtype: 'int32' })); // [1, 3, 16]
 * let state = decoder.initialState(encoded);
 * let prev = tensor([1], [1], { dtype: 'int32' }); // START, [B]
 * for (let t = 0; t < 4; t++) {
 *   const step = decoder.step(prev, state, memory); // logits [1, 30], weights [1, 3]
 *   prev = step.logits.argmax(-1); // greedy: feed the prediction back
 *   state = step.state;
 * }
 * ```
 */
export class AttentionDecoder extends Module {
  /** Target-token embedding. */
  embedding: Embedding;
  /** The recurrent cell, input size E + H. */
  cell: LSTMCell | GRUCell | RNNCell;
  /** The attention module. */
  attention: Attention;
  /** W_c: [context; h] → h̃. */
  attn_combine: Linear;
  /** h̃ → logits. */
  out: Linear;
  /** Maps the encoder's final h to the decoder's, or null when the sizes agree. */
  bridge_h: Linear | null;
  /** Maps the encoder's final c to the decoder's (LSTM to LSTM with differing sizes), or null. */
  bridge_c: Linear | null;
  /** Hidden size H. */
  readonly hiddenSize: number;
  /** Width of the encoder's flattened final state. */
  readonly encoderStateSize: number;
  /** Whether the encoder's final state carries `c`. */
  readonly encoderIsLstm: boolean;

  /** Builds the cell, the output layers and the bridges; checks that the sizes fit together. */
  constructor(options: AttentionDecoderOptions) {
    super();
    if (typeof options !== 'object' || options === null) throw new ValueError('AttentionDecoder: options must be an object');
    const { embedding, attention, generator } = options;
    const H = options.hiddenSize;
    const C = options.encoderStateSize;
    if (!(Number.isInteger(H) && H >= 1)) throw new ValueError(`AttentionDecoder: hiddenSize must be a positive integer, got ${H}`);
    if (!(Number.isInteger(C) && C >= 1)) throw new ValueError(`AttentionDecoder: encoderStateSize must be a positive integer, got ${C}`);
    if (attention.querySize !== H) {
      throw new ShapeError(`AttentionDecoder: attention.querySize ${attention.querySize} must equal hiddenSize ${H}`);
    }
    const kind = options.cell ?? 'lstm';
    const cellOptions = { inputSize: embedding.embeddingDim + H, hiddenSize: H, generator };
    if (kind === 'lstm') this.cell = new LSTMCell(cellOptions);
    else if (kind === 'gru') this.cell = new GRUCell(cellOptions);
    else if (kind === 'rnn') this.cell = new RNNCell(cellOptions);
    else throw new ValueError(`AttentionDecoder: cell must be 'lstm', 'gru' or 'rnn', got ${String(kind)}`);
    this.embedding = embedding;
    this.attention = attention;
    this.attn_combine = new Linear(attention.keySize + H, H, { bias: false, generator });
    this.out = new Linear(H, embedding.numEmbeddings, { generator });
    this.bridge_h = C === H ? null : new Linear(C, H, { generator });
    this.encoderIsLstm = options.encoderIsLstm ?? true;
    this.bridge_c = C !== H && kind === 'lstm' && this.encoderIsLstm ? new Linear(C, H, { generator }) : null;
    this.hiddenSize = H;
    this.encoderStateSize = C;
  }

  /** Vocabulary size V (rows of the embedding, outputs of the last layer). */
  get vocabSize(): number {
    return this.embedding.numEmbeddings;
  }

  /** The first decoder state from the encoder's final state (bridged when sizes differ; zero c from a non-LSTM encoder). */
  initialState(encoder: EncoderState): DecoderState {
    const { h } = encoder;
    if (h.rank !== 2 || h.shape[1] !== this.encoderStateSize) {
      throw new ShapeError(`AttentionDecoder: encoder state h must be [B, ${this.encoderStateSize}], got [${h.shape.join(', ')}]`);
    }
    const B = h.shape[0]!;
    const H = this.hiddenSize;
    const h0 = this.bridge_h ? tanh(this.bridge_h.forward(h)) : h; // [B, H]
    let cell: HiddenState = { h: h0 };
    if (this.cell instanceof LSTMCell) {
      let c0: Tensor;
      if (encoder.c === undefined || !this.encoderIsLstm) c0 = zeros([B, H]);
      else c0 = this.bridge_c ? this.bridge_c.forward(encoder.c) : encoder.c; // [B, H]
      cell = { h: h0, c: c0 } as LstmState;
    }
    return { cell, feed: zeros([B, H]) };
  }

  /**
   * One decoding step.
   * @param prev - previous tokens `[B]` (int32)
   * @param state - the carried state
   * @param memory - encoder outputs `[B, S, C]`
   * @param keyPaddingMask - padded source positions `[B, S]`
   */
  step(prev: Tensor, state: DecoderState, memory: Tensor, keyPaddingMask?: KeyPaddingMask): DecoderStepResult {
    const x = concat([this.embedding.forward(prev), state.feed], 1); // [B, E + H]
    const cellState = (this.cell.forward as (x: Tensor, s: HiddenState) => HiddenState)(x, state.cell);
    const { context, weights } = this.attention.forward(cellState.h, memory, { keyPaddingMask }); // [B, C], [B, S]
    const feed = tanh(this.attn_combine.forward(concat([context, cellState.h], 1))); // [B, H]
    return { logits: this.out.forward(feed), weights, state: { cell: cellState, feed } }; // logits [B, V]
  }

  /** Same as {@link AttentionDecoder.step} (Module's entry point). */
  forward(prev: Tensor, state: DecoderState, memory: Tensor, keyPaddingMask?: KeyPaddingMask): DecoderStepResult {
    return this.step(prev, state, memory, keyPaddingMask);
  }
}
