import { DTypeError, type Embedding, Module, ShapeError, Tensor, ValueError, concat, fmtShape, select } from '@elman/core';
import { type HiddenState, LSTM, type LstmState, type SequenceLayer } from '@elman/cells';
import { RecurrentNetwork } from '@elman/wrappers';

/** A recurrent layer the {@link Encoder} can wrap: a factory-built network (`lstm()`, `gru()`, `rnn()`) or a fused layer. */
export type EncoderRnn = RecurrentNetwork | SequenceLayer<HiddenState>;

/** Options of {@link Encoder}. */
export interface EncoderOptions {
  /** Token embedding `[V, E]`; its `embeddingDim` must equal the RNN's input size. */
  embedding: Embedding;
  /** The recurrence: `lstm/gru/rnn({…, bidirectional})` from @elman/wrappers or an `LSTM/GRU/RNN` layer from @elman/cells. */
  rnn: EncoderRnn;
}

/** The encoder's final state, flattened for the decoder: the last layer's directions concatenated. */
export interface EncoderState {
  /** `[B, D·H]`. */
  h: Tensor;
  /** `[B, D·H]`, LSTM only. */
  c?: Tensor;
}

/** The result of {@link Encoder.forward}. */
export interface EncoderResult {
  /** Every step's output `[B, S, C]` (C = D·H), the memory the decoder attends over; 0 past each sequence's end. */
  memory: Tensor;
  /** Final state of the last layer `{h [B, C], c?}`, at each sequence's last valid step. */
  state: EncoderState;
}

/**
 * Embedding followed by any recurrent layer: the encoder of an encoder–decoder model (Sutskever et al. 2014;
 * Bahdanau et al. 2015 use a bidirectional one). Right-padded batches are handled with `lengths`.
 *
 * @example
 * ```ts run
 * import { Embedding, tensor } from '@elman/core';
 * import { Encoder, paddingMask } from '@elman/seq2seq';
 * import { gru } from '@elman/wrappers';
 *
 * const PAD = 0;
 * const encoder = new Encoder({
 *   embedding: new Embedding(20, 8, { paddingIdx: PAD }), // V = 20, E = 8
 *   rnn: gru({ inputSize: 8, hiddenSize: 16, bidirectional: true }), // memory width C = 2H = 32
 * });
 * const src = tensor([[4, 9, 7, 2], [5, 3, PAD, PAD]], undefined, { dtype: 'int32' }); // [B, S], right-padded
 * const { lengths } = paddingMask(src, PAD); // [4, 2]
 * const { memory, state } = encoder.forward(src, lengths); // memory [2, 4, 32], state.h [2, 32]
 * console.log(memory.shape, state.h.shape, encoder.outputSize); // … 32
 * ```
 */
export class Encoder extends Module {
  /** The token embedding. */
  embedding: Embedding;
  /** The recurrence. */
  rnn: EncoderRnn;
  /** Features of each memory vector and of the flattened final state, C = D·H. */
  readonly outputSize: number;
  /** Whether the recurrence is an LSTM (its state carries `c`). */
  readonly isLstm: boolean;

  /** Wraps the embedding and the recurrence, checking that their sizes fit. */
  constructor(options: EncoderOptions) {
    super();
    if (typeof options !== 'object' || options === null) throw new ValueError('Encoder: options must be an object {embedding, rnn}');
    const { embedding, rnn } = options;
    if (embedding.embeddingDim !== rnn.inputSize) {
      throw new ShapeError(`Encoder: embedding dim ${embedding.embeddingDim} differs from the rnn's inputSize ${rnn.inputSize}`);
    }
    this.embedding = embedding;
    this.rnn = rnn;
    if (rnn instanceof RecurrentNetwork) {
      this.outputSize = rnn.hiddenSize * rnn.numDirections;
      this.isLstm = rnn.mode === 'lstm';
    } else {
      this.outputSize = rnn.hiddenSize;
      this.isLstm = rnn instanceof LSTM;
    }
  }

  /** Vocabulary size of the embedding. */
  get vocabSize(): number {
    return this.embedding.numEmbeddings;
  }

  /**
   * Encodes `src` `[B, S]` (int32 ids, right-padded).
   * @param lengths - valid length of every sequence (default: all S)
   */
  forward(src: Tensor, lengths?: readonly number[] | Int32Array): EncoderResult {
    checkIds('Encoder', 'src', src, this.vocabSize);
    const x = this.embedding.forward(src); // [B, S, E]
    const rnn = this.rnn;
    rnn.train(this.training);
    if (rnn instanceof RecurrentNetwork) {
      const r = rnn.forward(x, { lengths });
      const D = rnn.numDirections;
      const last = (rnn.numLayers - 1) * D;
      const pick = (t: Tensor): Tensor => {
        const parts: Tensor[] = [];
        for (let d = 0; d < D; d++) parts.push(select(t, 0, last + d)); // [B, H]
        return parts.length === 1 ? parts[0]! : concat(parts, 1); // [B, D·H]
      };
      const state: EncoderState = { h: pick(r.state.h) };
      if (r.state.c !== undefined) state.c = pick(r.state.c);
      return { memory: r.output, state };
    }
    const r = rnn.forward(x, { lengths });
    const state: EncoderState = { h: r.state.h };
    if (this.isLstm) state.c = (r.state as LstmState).c;
    return { memory: r.output, state };
  }
}

/** Checks that `ids` is an int32 `[B, T]` tensor with T ≥ 1 whose values are in [0, vocabSize). */
export function checkIds(op: string, name: string, ids: unknown, vocabSize: number): asserts ids is Tensor {
  if (!(ids instanceof Tensor)) throw new ValueError(`${op}: ${name} must be an int32 Tensor [B, T], got ${String(ids)}`);
  if (ids.dtype !== 'int32') throw new DTypeError(`${op}: ${name} must be int32 token ids, got ${ids.dtype}`);
  if (ids.rank !== 2) throw new ShapeError(`${op}: ${name} must be [B, T], got ${fmtShape(ids.shape)}`);
  if (ids.shape[0] === 0 || ids.shape[1] === 0) throw new ValueError(`${op}: ${name} is empty, shape ${fmtShape(ids.shape)}`);
  const d = ids.data as Int32Array;
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (v < 0 || v >= vocabSize) {
      throw new ValueError(`${op}: ${name} holds unknown token id ${v} at flat index ${i}; ids must be in [0, ${vocabSize})`);
    }
  }
}
