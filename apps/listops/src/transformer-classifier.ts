import { Embedding, Generator, Linear, Module, Tensor } from '@elman/core';
import { LearnedPositionalEncoding, TransformerEncoder } from '@elman/transformer';
import { NUM_CLASSES, VOCAB_SIZE } from './data.js';

/** Options of {@link TransformerClassifier}. */
export interface TransformerClassifierOptions {
  /** Model width. */
  dModel: number;
  /** Attention heads. */
  nhead: number;
  /** Encoder layers. */
  numLayers: number;
  /** Longest sequence the learned positions cover. */
  maxLength: number;
  /** Seed of the weights. */
  seed: number;
}

/**
 * A transformer encoder over the token sequence (pre-norm, learned positions, padding masked out of attention),
 * mean-pooled over the valid tokens and classified — the flat attention baseline of the Long Range Arena's ListOps.
 */
export class TransformerClassifier extends Module {
  /** Token embeddings (row 0 is padding). */
  embedding: Embedding;
  /** Learned position embeddings. */
  positions: LearnedPositionalEncoding;
  /** The encoder stack. */
  encoder: TransformerEncoder;
  /** Linear read-out of the pooled representation to the ten values. */
  head: Linear;
  readonly #maxLength: number;

  /** Builds the encoder from `options`. */
  constructor(options: TransformerClassifierOptions) {
    super();
    const { dModel, nhead, numLayers, maxLength } = options;
    const generator = new Generator(options.seed);
    this.#maxLength = maxLength;
    this.embedding = new Embedding(VOCAB_SIZE, dModel, { paddingIdx: 0, generator });
    this.positions = new LearnedPositionalEncoding({ dModel, maxLength, generator });
    this.encoder = new TransformerEncoder({ dModel, nhead, numLayers, dimFeedforward: 2 * dModel, dropout: 0, normFirst: true, norm: true, generator });
    this.head = new Linear(dModel, NUM_CLASSES, { generator });
  }

  /** ids `[B, T]` (right-padded, valid `lengths`) → logits `[B, 10]`. */
  forward(ids: Tensor, options: { lengths?: Int32Array } = {}): Tensor {
    const [B = 0, T = 0] = ids.shape;
    const keep = new Float32Array(B * T); // 1 at valid tokens
    const pad = new Int32Array(B * T); // 1 = masked out (PyTorch's key padding convention)
    const count = new Float32Array(B);
    for (let b = 0; b < B; b++) {
      const n = Math.min(options.lengths?.[b] ?? T, this.#maxLength);
      count[b] = n;
      for (let t = 0; t < T; t++) {
        keep[b * T + t] = t < n ? 1 : 0;
        pad[b * T + t] = t < n ? 0 : 1;
      }
    }
    const x = this.positions.forward(this.embedding.forward(ids)); // [B, T, D]
    const h = this.encoder.forward(x, { srcKeyPaddingMask: new Tensor(pad, [B, T]) }); // [B, T, D]
    const pooled = h.mul(new Tensor(keep, [B, T, 1])).sum(1).div(new Tensor(count, [B, 1])); // [B, D]
    return this.head.forward(pooled); // [B, 10]
  }
}
