import { Dropout, LayerNorm, Linear, Module, ShapeError, type Tensor, fmtShape, linear } from '@elman/core';
import type { TransformerActivation } from './activation.js';
import { type TransformerLayerOptions, resolveLayerOptions } from './layer-options.js';
import type { AttentionMask } from './masks.js';
import { MultiheadAttention } from './multihead-attention.js';

/** Options of {@link TransformerDecoderLayer}. */
export type TransformerDecoderLayerOptions = TransformerLayerOptions;

/** Options of {@link TransformerDecoderLayer.forward} (PyTorch's argument names in camelCase). */
export interface TransformerDecoderLayerForwardOptions {
  /** `[T, T]` or `[B·nhead, T, T]` self-attention mask of the target; see {@link AttentionMask}. */
  tgtMask?: AttentionMask | null;
  /** `[T, S]` or `[B·nhead, T, S]` mask of target-to-memory attention. */
  memoryMask?: AttentionMask | null;
  /** `[B, T]` padded target positions. */
  tgtKeyPaddingMask?: AttentionMask | null;
  /** `[B, S]` padded memory (source) positions. */
  memoryKeyPaddingMask?: AttentionMask | null;
  /** Causal target self-attention. Default false. */
  tgtIsCausal?: boolean;
  /** Causal target-to-memory attention (rarely wanted). Default false. */
  memoryIsCausal?: boolean;
}

/**
 * One transformer decoder layer (Vaswani et al. 2017): target self-attention, attention over the encoder's output
 * (`memory`), then the position-wise feed-forward block, each with dropout, a residual connection and a LayerNorm
 * (post-norm, or pre-norm with `normFirst`). PyTorch's `nn.TransformerDecoderLayer(batch_first=True)` keys:
 * `self_attn.*`, `multihead_attn.*`, `linear1.*`, `linear2.*`, `norm1.*`, `norm2.*`, `norm3.*`.
 * `forward(tgt [B, T, dModel], memory [B, S, dModel]) → [B, T, dModel]`.
 *
 * @example
 * ```ts run
 * import { randn } from '@elman/core';
 * import { TransformerDecoderLayer } from '@elman/transformer';
 *
 * const layer = new TransformerDecoderLayer({ dModel: 32, nhead: 4, dimFeedforward: 64 });
 * const memory = randn([2, 7, 32]); // [B, S, E]: the encoder's output
 * const tgt = randn([2, 5, 32]); // [B, T, E]: the shifted target embeddings
 * const out = layer.forward(tgt, memory, { tgtIsCausal: true }); // [2, 5, 32]; step t sees targets ≤ t
 * console.log(out.shape);
 * ```
 */
export class TransformerDecoderLayer extends Module {
  /** Model size. */
  readonly dModel: number;
  /** Number of heads. */
  readonly nhead: number;
  /** Feed-forward hidden size. */
  readonly dimFeedforward: number;
  /** Feed-forward activation. */
  readonly activation: TransformerActivation;
  /** Whether the LayerNorms come before the sublayers. */
  readonly normFirst: boolean;
  /** LayerNorm epsilon. */
  readonly layerNormEps: number;
  /** Target self-attention. */
  self_attn: MultiheadAttention;
  /** Target-to-memory (cross) attention. */
  multihead_attn: MultiheadAttention;
  /** Feed-forward expansion `dModel → dimFeedforward`. */
  linear1: Linear;
  /** Dropout on the feed-forward hidden activations. */
  dropout: Dropout;
  /** Feed-forward projection `dimFeedforward → dModel`. */
  linear2: Linear;
  /** Norm of the self-attention sublayer. */
  norm1: LayerNorm;
  /** Norm of the cross-attention sublayer. */
  norm2: LayerNorm;
  /** Norm of the feed-forward sublayer. */
  norm3: LayerNorm;
  /** Dropout on the self-attention output. */
  dropout1: Dropout;
  /** Dropout on the cross-attention output. */
  dropout2: Dropout;
  /** Dropout on the feed-forward output. */
  dropout3: Dropout;

  /** Creates the layer with PyTorch's defaults (dimFeedforward 2048, dropout 0.1, relu, post-norm, eps 1e-5). */
  constructor(options: TransformerDecoderLayerOptions) {
    super();
    const o = resolveLayerOptions('TransformerDecoderLayer', options);
    this.dModel = o.dModel;
    this.nhead = o.nhead;
    this.dimFeedforward = o.dimFeedforward;
    this.activation = o.activation;
    this.normFirst = o.normFirst;
    this.layerNormEps = o.layerNormEps;
    const gen = { generator: o.generator };
    const mha = (): MultiheadAttention =>
      new MultiheadAttention({ embedDim: o.dModel, numHeads: o.nhead, dropout: o.dropout, bias: o.bias, ...gen });
    this.self_attn = mha();
    this.multihead_attn = mha();
    this.linear1 = new Linear(o.dModel, o.dimFeedforward, { bias: o.bias, ...gen });
    this.dropout = new Dropout(o.dropout, gen);
    this.linear2 = new Linear(o.dimFeedforward, o.dModel, { bias: o.bias, ...gen });
    this.norm1 = new LayerNorm(o.dModel, { eps: o.layerNormEps, bias: o.bias });
    this.norm2 = new LayerNorm(o.dModel, { eps: o.layerNormEps, bias: o.bias });
    this.norm3 = new LayerNorm(o.dModel, { eps: o.layerNormEps, bias: o.bias });
    this.dropout1 = new Dropout(o.dropout, gen);
    this.dropout2 = new Dropout(o.dropout, gen);
    this.dropout3 = new Dropout(o.dropout, gen);
  }

  /** `tgt [B, T, dModel]`, `memory [B, S, dModel]` → `[B, T, dModel]`. */
  forward(tgt: Tensor, memory: Tensor, options: TransformerDecoderLayerForwardOptions = {}): Tensor {
    for (const [name, t] of [['tgt', tgt], ['memory', memory]] as const) {
      if (t.rank !== 3 || t.shape[2] !== this.dModel) {
        throw new ShapeError(`TransformerDecoderLayer: ${name} must be [B, ${name === 'tgt' ? 'T' : 'S'}, dModel=${this.dModel}], got ${fmtShape(t.shape)}`);
      }
    }
    let x = tgt;
    if (this.normFirst) {
      x = x.add(this.#selfAttention(this.norm1.forward(x), options));
      x = x.add(this.#crossAttention(this.norm2.forward(x), memory, options));
      return x.add(this.#feedForward(this.norm3.forward(x)));
    }
    x = this.norm1.forward(x.add(this.#selfAttention(x, options)));
    x = this.norm2.forward(x.add(this.#crossAttention(x, memory, options)));
    return this.norm3.forward(x.add(this.#feedForward(x)));
  }

  #selfAttention(x: Tensor, o: TransformerDecoderLayerForwardOptions): Tensor {
    const { context } = this.self_attn.forward(x, x, x, {
      attnMask: o.tgtMask,
      keyPaddingMask: o.tgtKeyPaddingMask,
      isCausal: o.tgtIsCausal,
      needWeights: false,
    });
    return this.dropout1.forward(context);
  }

  #crossAttention(x: Tensor, memory: Tensor, o: TransformerDecoderLayerForwardOptions): Tensor {
    const { context } = this.multihead_attn.forward(x, memory, memory, {
      attnMask: o.memoryMask,
      keyPaddingMask: o.memoryKeyPaddingMask,
      isCausal: o.memoryIsCausal,
      needWeights: false,
    });
    return this.dropout2.forward(context);
  }

  /** The feed-forward sublayer with its output dropout: dropout3(linear2(dropout(act(linear1(x))))). */
  #feedForward(x: Tensor): Tensor {
    // linear1 and the activation in one fused GEMM (bias and activation in its epilogue).
    const h = this.dropout.forward(linear(x, this.linear1.weight, this.linear1.bias, { activation: this.activation })); // [B, T, F]
    return this.dropout3.forward(this.linear2.forward(h)); // [B, T, dModel]
  }
}
