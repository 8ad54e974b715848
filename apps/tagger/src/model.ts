import { Dropout, Embedding, Linear, Module, type Tensor, concat, select } from '@elman/core';
import { type RecurrentNetwork, lstm } from '@elman/wrappers';

/** Options of {@link BiLstmTagger}. */
export interface BiLstmTaggerOptions {
  /** Word vocabulary size (id 0 is padding). */
  vocabSize: number;
  /** Suffix vocabulary size (id 0 is padding). */
  suffixSize: number;
  /** Shape classes (id 0 is padding). */
  shapeSize: number;
  /** Word embedding width E. */
  embeddingDim: number;
  /** Hidden units per direction H. */
  hiddenSize: number;
  /** Output tags C. */
  numTags: number;
  /** Dropout on the token vectors and on the LSTM outputs, in training mode. */
  dropout: number;
}

/** Suffix and shape embedding widths: small, they only have to separate a few hundred suffixes and six shapes. */
const SUFFIX_DIM = 32;
const SHAPE_DIM = 8;

/**
 * Many-to-many tagger: word, suffix and shape embeddings concatenated per token → bidirectional LSTM → Linear to
 * tag logits at every step (the BiLSTM tagger of Wang et al. 2015 / Plank et al. 2016, without characters).
 * `forward(features [B, T, 3], {lengths}) → logits [B, T, C]`; padded steps give logits of zeros-in state and are
 * ignored by the loss.
 */
export class BiLstmTagger extends Module {
  /** Word vectors `[V, E]`. */
  readonly words: Embedding;
  /** Suffix vectors `[S, 32]`. */
  readonly suffixes: Embedding;
  /** Shape vectors `[6, 8]`. */
  readonly shapes: Embedding;
  /** The bidirectional LSTM (torch `nn.LSTM(E + 40, H, bidirectional=True)` keys). */
  readonly lstm: RecurrentNetwork;
  /** Dropout on token vectors and LSTM outputs. */
  readonly dropout: Dropout;
  /** Per-step LSTM output → tag logits (`head.weight [C, 2H]`). */
  readonly head: Linear;

  /** Builds the layers with the global generator (seed with `manualSeed`). */
  constructor(options: BiLstmTaggerOptions) {
    super();
    this.words = this.registerModule('words', new Embedding(options.vocabSize, options.embeddingDim, { paddingIdx: 0 }));
    this.suffixes = this.registerModule('suffixes', new Embedding(options.suffixSize, SUFFIX_DIM, { paddingIdx: 0 }));
    this.shapes = this.registerModule('shapes', new Embedding(options.shapeSize, SHAPE_DIM, { paddingIdx: 0 }));
    const inputSize = options.embeddingDim + SUFFIX_DIM + SHAPE_DIM;
    this.lstm = this.registerModule('lstm', lstm({ inputSize, hiddenSize: options.hiddenSize, bidirectional: true }));
    this.dropout = this.registerModule('dropout', new Dropout(options.dropout));
    this.head = this.registerModule('head', new Linear(2 * options.hiddenSize, options.numTags));
  }

  /** Tag logits of right-padded sentences `features [B, T, 3]` with valid `lengths`. */
  forward(features: Tensor, options: { lengths?: Int32Array } = {}): Tensor {
    const tokens = concat(
      [
        this.words.forward(select(features, 2, 0)), // [B, T, E]
        this.suffixes.forward(select(features, 2, 1)), // [B, T, 32]
        this.shapes.forward(select(features, 2, 2)), // [B, T, 8]
      ],
      -1,
    ); // [B, T, E + 40]
    const { output } = this.lstm.forward(this.dropout.forward(tokens), { lengths: options.lengths }); // [B, T, 2H]
    return this.head.forward(this.dropout.forward(output)); // [B, T, C]
  }
}
