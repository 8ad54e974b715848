import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { normal_ } from '../init/fill.js';
import { embedding } from '../ops/nn/embedding.js';
import type { Generator } from '../random.js';
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

/** Options of {@link Embedding}. */
export interface EmbeddingOptions {
  /** Row whose vector stays zero and receives no gradient (negative counts from the end, as in PyTorch). */
  paddingIdx?: number | null;
  /** Random stream for the initial weights; default: the global generator seeded by `manualSeed`. */
  generator?: Generator;
  /** Initial table `[numEmbeddings, embeddingDim]` (copied, padding row kept as is) instead of random values. */
  weight?: Tensor;
}

/** Options of {@link Embedding.fromPretrained}. */
export interface FromPretrainedOptions {
  /** Keep the vectors fixed (default true, as in PyTorch). */
  freeze?: boolean;
  /** As {@link EmbeddingOptions.paddingIdx}; the given row is kept as is, only its gradient is suppressed. */
  paddingIdx?: number | null;
}

function normPadding(paddingIdx: number | null | undefined, numEmbeddings: number): number | null {
  if (paddingIdx === null || paddingIdx === undefined) return null;
  if (!Number.isInteger(paddingIdx) || paddingIdx < -numEmbeddings || paddingIdx >= numEmbeddings) {
    throw new ValueError(`Embedding: paddingIdx ${paddingIdx} is out of range for ${numEmbeddings} embeddings`);
  }
  return paddingIdx < 0 ? paddingIdx + numEmbeddings : paddingIdx;
}

/**
 * Lookup table of `numEmbeddings` vectors of size `embeddingDim` (PyTorch's `nn.Embedding`): int32 ids of any
 * shape → `[...ids.shape, embeddingDim]`. State dict `weight [numEmbeddings, embeddingDim]`, initialised N(0, 1)
 * with the padding row zeroed.
 *
 * @example
 * ```ts run
 * import { Embedding, tensor } from '@elman/core';
 *
 * const embed = new Embedding(100, 8, { paddingIdx: 0 }); // ids 0…99 → vectors of 8
 * const ids = tensor([[5, 17, 0], [42, 0, 0]], undefined, { dtype: 'int32' }); // [B, T], right-padded with 0
 * const x = embed.forward(ids); // [2, 3, 8]; the padding row is zero and gets no gradient
 * console.log(x.shape);
 * ```
 */
export class Embedding extends Module {
  /** Vocabulary size. */
  readonly numEmbeddings: number;
  /** Vector size. */
  readonly embeddingDim: number;
  /** The padding row (non-negative), or null. */
  readonly paddingIdx: number | null;
  /** `[numEmbeddings, embeddingDim]`. */
  weight: Parameter;

  /** Creates the table with PyTorch's default initialisation. */
  constructor(numEmbeddings: number, embeddingDim: number, options: EmbeddingOptions = {}) {
    super();
    for (const [name, v] of [['numEmbeddings', numEmbeddings], ['embeddingDim', embeddingDim]] as const) {
      if (!(Number.isInteger(v) && v >= 0)) throw new ValueError(`Embedding: ${name} must be a non-negative integer, got ${v}`);
    }
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    this.paddingIdx = normPadding(options.paddingIdx, numEmbeddings);
    this.weight = new Parameter(new Float32Array(numEmbeddings * embeddingDim), [numEmbeddings, embeddingDim]);
    const init = options.weight;
    if (init === undefined) {
      this.resetParameters(options.generator);
    } else {
      if (init.dtype !== 'float32') throw new DTypeError(`Embedding: weight must be float32, got ${init.dtype}`);
      if (init.rank !== 2 || init.shape[0] !== numEmbeddings || init.shape[1] !== embeddingDim) {
        throw new ShapeError(`Embedding: weight must be [${numEmbeddings}, ${embeddingDim}], got ${fmtShape(init.shape)}`);
      }
      this.weight.data.set(init.data);
    }
  }

  /**
   * A table holding a copy of `weights [V, E]` (e.g. word2vec vectors), frozen unless `freeze` is false.
   *
   * @example
   * ```ts run
   * import { Embedding, tensor } from '@elman/core';
   *
   * const vectors = tensor([[0, 0, 0], [0.1, 0.2, 0.3], [0.5, 0.4, 0.1]]); // [V, E], e.g. word2vec rows; 0 = <pad>
   * const embed = Embedding.fromPretrained(vectors, { freeze: true, paddingIdx: 0 }); // not trained further
   * console.log(embed.forward(tensor([2, 1], [2], { dtype: 'int32' })).toArray()); // [[0.5, 0.4, 0.1], [0.1, 0.2, 0.3]]
   * ```
   */
  static fromPretrained(weights: Tensor, options: FromPretrainedOptions = {}): Embedding {
    if (weights.rank !== 2) throw new ShapeError(`Embedding.fromPretrained: weights must be [V, E], got ${fmtShape(weights.shape)}`);
    const [V, E] = weights.shape as [number, number];
    const emb = new Embedding(V, E, { paddingIdx: options.paddingIdx, weight: weights });
    emb.weight.requiresGrad = !(options.freeze ?? true);
    return emb;
  }

  /** Re-draws the table from N(0, 1) and zeroes the padding row. */
  resetParameters(generator?: Generator): void {
    normal_(this.weight, 0, 1, { generator });
    if (this.paddingIdx !== null) {
      const E = this.embeddingDim;
      this.weight.data.fill(0, this.paddingIdx * E, (this.paddingIdx + 1) * E);
    }
  }

  /** int32 `ids` of any shape → `[...ids.shape, embeddingDim]`. */
  forward(ids: Tensor): Tensor {
    return embedding(ids, this.weight, this.paddingIdx);
  }
}
