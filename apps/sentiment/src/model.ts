import { Dropout, Embedding, Linear, Module, type Tensor, concat, select } from '@elman/core';
import { type RecurrentNetwork, lstm } from '@elman/wrappers';

/** Options of {@link BiLstmClassifier}. */
export interface BiLstmClassifierOptions {
  /** Vocabulary size V (id 0 is padding). */
  vocabSize: number;
  /** Embedding width E. */
  embeddingDim: number;
  /** Hidden units per direction H. */
  hiddenSize: number;
  /** Number of classes C. */
  numClasses: number;
  /** Dropout on the embeddings and on the sentence vector, in training mode. */
  dropout: number;
}

/**
 * Many-to-one classifier: Embedding → bidirectional LSTM over the valid part of each sentence → the final states of
 * both directions concatenated (the forward direction's state after the last word, the backward one's after the
 * first) → Linear to class logits. `forward(ids [B, T], {lengths}) → logits [B, C]`.
 */
export class BiLstmClassifier extends Module {
  /** Word vectors (`embedding.weight [V, E]`, row 0 = padding). */
  readonly embedding: Embedding;
  /** The bidirectional LSTM, torch `nn.LSTM(E, H, bidirectional=True)` keys. */
  readonly lstm: RecurrentNetwork;
  /** Dropout on embeddings and sentence vector. */
  readonly dropout: Dropout;
  /** Sentence vector → logits (`head.weight [C, 2H]`). */
  readonly head: Linear;

  /** Builds the layers with the global generator (seed with `manualSeed`). */
  constructor(options: BiLstmClassifierOptions) {
    super();
    this.embedding = this.registerModule('embedding', new Embedding(options.vocabSize, options.embeddingDim, { paddingIdx: 0 }));
    this.lstm = this.registerModule('lstm', lstm({ inputSize: options.embeddingDim, hiddenSize: options.hiddenSize, bidirectional: true }));
    this.dropout = this.registerModule('dropout', new Dropout(options.dropout));
    this.head = this.registerModule('head', new Linear(2 * options.hiddenSize, options.numClasses));
  }

  /** Class logits of right-padded sentences `ids [B, T]` with valid `lengths`. */
  forward(ids: Tensor, options: { lengths?: Int32Array } = {}): Tensor {
    const x = this.dropout.forward(this.embedding.forward(ids)); // [B, T, E]
    const { state } = this.lstm.forward(x, { lengths: options.lengths }); // h [2, B, H]
    const sentence = concat([select(state.h, 0, 0), select(state.h, 0, 1)], -1); // [B, 2H]
    return this.head.forward(this.dropout.forward(sentence)); // [B, C]
  }
}
