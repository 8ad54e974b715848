import { Dropout, LayerNorm, Linear, Module, ShapeError, type Tensor, fmtShape, linear } from '@elman/core';
import type { TransformerActivation } from './activation.js';
import { type TransformerLayerOptions, resolveLayerOptions } from './layer-options.js';
import type { AttentionMask } from './masks.js';
import { MultiheadAttention } from './multihead-attention.js';

/** Options of {@link TransformerEncoderLayer}. */
export type TransformerEncoderLayerOptions = TransformerLayerOptions;

/** Options of {@link TransformerEncoderLayer.forward} (PyTorch's `src_mask`, `src_key_padding_mask`, `is_causal`). */
export interface TransformerEncoderLayerForwardOptions {
  /** `[T, T]` or `[B·nhead, T, T]` self-attention mask; see {@link AttentionMask}. */
  srcMask?: AttentionMask | null;
  /** `[B, T]` padded positions of the input. */
  srcKeyPaddingMask?: AttentionMask | null;
  /** Causal self-attention (position i sees positions ≤ i). Default false. */
  isCausal?: boolean;
}

/**
 * One transformer encoder layer (Vaswani et al. 2017): self-attention then a position-wise feed-forward block, each
 * with dropout and a residual connection, normalised after (post-norm, the paper's) or before (pre-norm) each
 * sublayer. PyTorch's `nn.TransformerEncoderLayer(batch_first=True)` keys: `self_attn.*`, `linear1.*`, `linear2.*`,
 * `norm1.*`, `norm2.*`. `forward(src [B, T, dModel]) → [B, T, dModel]`.
 *
 * @example
 * ```ts run
 * import { randn, tensor } from '@elman/core';
 * import { TransformerEncoderLayer } from '@elman/transformer';
 *
 * const layer = new TransformerEncoderLayer({ dModel: 32, nhead: 4, dimFeedforward: 64, dropout: 0.1, normFirst: true });
 * const src = randn([2, 7, 32]); // [B, S, E]
 * const srcKeyPaddingMask = tensor([[0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 1, 1]], undefined, { dtype: 'int32' }); // 1 = padding
 * const out = layer.forward(src, { srcKeyPaddingMask });
 * console.log(out.shape, Object.keys(layer.stateDict()).slice(0, 4)); // [2, 7, 32] ['self_attn.in_proj_weight', …]
 * ```
 */
export class TransformerEncoderLayer extends Module {
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
  /** Self-attention. */
  self_attn: MultiheadAttention;
  /** Feed-forward expansion `dModel → dimFeedforward`. */
  linear1: Linear;
  /** Dropout on the feed-forward hidden activations. */
  dropout: Dropout;
  /** Feed-forward projection `dimFeedforward → dModel`. */
  linear2: Linear;
  /** Norm of the self-attention sublayer. */
  norm1: LayerNorm;
  /** Norm of the feed-forward sublayer. */
  norm2: LayerNorm;
  /** Dropout on the self-attention output. */
  dropout1: Dropout;
  /** Dropout on the feed-forward output. */
  dropout2: Dropout;

  /** Creates the layer with PyTorch's defaults (dimFeedforward 2048, dropout 0.1, relu, post-norm, eps 1e-5). */
  constructor(options: TransformerEncoderLayerOptions) {
    super();
    const o = resolveLayerOptions('TransformerEncoderLayer', options);
    this.dModel = o.dModel;
    this.nhead = o.nhead;
    this.dimFeedforward = o.dimFeedforward;
    this.activation = o.activation;
    this.normFirst = o.normFirst;
    this.layerNormEps = o.layerNormEps;
    const gen = { generator: o.generator };
    this.self_attn = new MultiheadAttention({ embedDim: o.dModel, numHeads: o.nhead, dropout: o.dropout, bias: o.bias, ...gen });
    this.linear1 = new Linear(o.dModel, o.dimFeedforward, { bias: o.bias, ...gen });
    this.dropout = new Dropout(o.dropout, gen);
    this.linear2 = new Linear(o.dimFeedforward, o.dModel, { bias: o.bias, ...gen });
    this.norm1 = new LayerNorm(o.dModel, { eps: o.layerNormEps, bias: o.bias });
    this.norm2 = new LayerNorm(o.dModel, { eps: o.layerNormEps, bias: o.bias });
    this.dropout1 = new Dropout(o.dropout, gen);
    this.dropout2 = new Dropout(o.dropout, gen);
  }

  /** `src [B, T, dModel]` → `[B, T, dModel]`. */
  forward(src: Tensor, options: TransformerEncoderLayerForwardOptions = {}): Tensor {
    if (src.rank !== 3 || src.shape[2] !== this.dModel) {
      throw new ShapeError(`TransformerEncoderLayer: src must be [B, T, dModel=${this.dModel}], got ${fmtShape(src.shape)}`);
    }
    let x = src;
    if (this.normFirst) {
      x = x.add(this.#selfAttention(this.norm1.forward(x), options));
      return x.add(this.#feedForward(this.norm2.forward(x)));
    }
    x = this.norm1.forward(x.add(this.#selfAttention(x, options)));
    return this.norm2.forward(x.add(this.#feedForward(x)));
  }

  /** The feed-forward sublayer with its output dropout: dropout2(linear2(dropout(act(linear1(x))))). */
  #feedForward(x: Tensor): Tensor {
    // linear1 and the activation in one fused GEMM (bias and activation in its epilogue).
    const h = this.dropout.forward(linear(x, this.linear1.weight, this.linear1.bias, { activation: this.activation })); // [B, T, F]
    return this.dropout2.forward(this.linear2.forward(h)); // [B, T, dModel]
  }

  #selfAttention(x: Tensor, o: TransformerEncoderLayerForwardOptions): Tensor {
    const { context } = this.self_attn.forward(x, x, x, {
      attnMask: o.srcMask,
      keyPaddingMask: o.srcKeyPaddingMask,
      isCausal: o.isCausal,
      needWeights: false,
    });
    return this.dropout1.forward(context);
  }
}
