import { LayerNorm, Module, type Tensor, ValueError } from '@elman/core';
import type { TransformerLayerOptions } from './layer-options.js';
import type { AttentionMask } from './masks.js';
import { TransformerEncoderLayer } from './transformer-encoder-layer.js';

/** Options of {@link TransformerEncoder}: the layer options plus the depth. */
export interface TransformerEncoderOptions extends TransformerLayerOptions {
  /** Number of stacked encoder layers. */
  numLayers: number;
  /** Apply a final LayerNorm to the output (PyTorch's `norm` argument; needed after pre-norm layers). Default false. */
  norm?: boolean;
}

/** Options of {@link TransformerEncoder.forward} (PyTorch's `mask`, `src_key_padding_mask`, `is_causal`). */
export interface TransformerEncoderForwardOptions {
  /** `[T, T]` or `[B·nhead, T, T]` self-attention mask of every layer; see {@link AttentionMask}. */
  mask?: AttentionMask | null;
  /** `[B, T]` padded input positions. */
  srcKeyPaddingMask?: AttentionMask | null;
  /** Causal self-attention in every layer. Default false. */
  isCausal?: boolean;
}

/**
 * A stack of identical {@link TransformerEncoderLayer}s with an optional final LayerNorm (PyTorch's
 * `nn.TransformerEncoder`): state-dict keys `layers.0.self_attn.in_proj_weight`, …, `norm.weight`, `norm.bias`.
 *
 * @example
 * ```ts run
 * import { Embedding, tensor } from '@elman/core';
 * import { SinusoidalPositionalEncoding, TransformerEncoder } from '@elman/transformer';
 *
 * const embed = new Embedding(50, 32);
 * const positions = new SinusoidalPositionalEncoding({ dModel: 32, maxLength: 64 });
 * const encoder = new TransformerEncoder({ dModel: 32, nhead: 4, numLayers: 2, dimFeedforward: 64, norm: true });
 * const ids = tensor([[3, 8, 1, 4]], undefined, { dtype: 'int32' }); // [B, S]
 * const out = encoder.forward(positions.forward(embed.forward(ids))); // [1, 4, 32]
 * console.log(out.shape);
 * ```
 */
export class TransformerEncoder extends Module {
  /** The layers, applied in order. */
  layers: TransformerEncoderLayer[];
  /** Final LayerNorm, or null. */
  norm: LayerNorm | null;

  /** Creates `numLayers` layers from the same options (each with its own freshly initialised weights). */
  constructor(options: TransformerEncoderOptions) {
    super();
    if (!(Number.isInteger(options.numLayers) && options.numLayers >= 0)) {
      throw new ValueError(`TransformerEncoder: numLayers must be a non-negative integer, got ${options.numLayers}`);
    }
    this.layers = Array.from({ length: options.numLayers }, () => new TransformerEncoderLayer(options));
    this.norm = options.norm ? new LayerNorm(options.dModel, { eps: options.layerNormEps ?? 1e-5, bias: options.bias ?? true }) : null;
  }

  /** `src [B, T, dModel]` → `[B, T, dModel]`. */
  forward(src: Tensor, options: TransformerEncoderForwardOptions = {}): Tensor {
    const layerOptions = { srcMask: options.mask, srcKeyPaddingMask: options.srcKeyPaddingMask, isCausal: options.isCausal };
    let x = src;
    for (const layer of this.layers) x = layer.forward(x, layerOptions);
    return this.norm ? this.norm.forward(x) : x;
  }
}
