import { Embedding, Generator, Linear, Module, type Tensor, concat } from '@elman/core';
import { LSTM } from '@elman/cells';
import { Bidirectional } from '@elman/wrappers';
import { NUM_CLASSES, VOCAB_SIZE } from './data.js';

/**
 * A flat BiLSTM over the token sequence (brackets included, no parse): the forward direction's state after the last
 * valid token and the backward direction's state after the first are concatenated and classified.
 */
export class BiLstmClassifier extends Module {
  /** Token embeddings (row 0 is padding). */
  embedding: Embedding;
  /** One bidirectional LSTM layer. */
  rnn: Bidirectional;
  /** Linear read-out of the two final states to the ten values. */
  head: Linear;

  /** Embeddings of `embedSize`, `hiddenSize` units per direction; weights drawn from `seed`. */
  constructor(embedSize: number, hiddenSize: number, seed: number) {
    super();
    const generator = new Generator(seed);
    this.embedding = new Embedding(VOCAB_SIZE, embedSize, { paddingIdx: 0, generator });
    // Forget bias 1 keeps the memory open early in training (Jozefowicz et al. 2015).
    this.rnn = new Bidirectional(new LSTM({ inputSize: embedSize, hiddenSize, forgetBias: 1, generator }), { generator });
    this.head = new Linear(2 * hiddenSize, NUM_CLASSES, { generator });
  }

  /** ids `[B, T]` (right-padded, valid `lengths`) → logits `[B, 10]`. */
  forward(ids: Tensor, options: { lengths?: Int32Array } = {}): Tensor {
    const x = this.embedding.forward(ids); // [B, T, E]
    const { state } = this.rnn.forward(x, { lengths: options.lengths });
    return this.head.forward(concat([state.forward.h, state.backward.h], 1)); // [B, 2H] → [B, 10]
  }
}
