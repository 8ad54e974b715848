import { LayerNorm, Module, type Tensor, ValueError } from '@elman/core';
import type { TransformerLayerOptions } from './layer-options.js';
import { TransformerDecoderLayer, type TransformerDecoderLayerForwardOptions } from './transformer-decoder-layer.js';

/** Options of {@link TransformerDecoder}: the layer options plus the depth. */
export interface TransformerDecoderOptions extends TransformerLayerOptions {
  /** Number of stacked decoder layers. */
  numLayers: number;
  /** Apply a final LayerNorm to the output (PyTorch's `norm` argument). Default false. */
  norm?: boolean;
}

/**
 * A stack of identical {@link TransformerDecoderLayer}s with an optional final LayerNorm (PyTorch's
 * `nn.TransformerDecoder`): state-dict keys `layers.0.self_attn.in_proj_weight`, …, `norm.weight`, `norm.bias`.
 *
 * @example
 * ```ts run
 * import { randn } from '@elman/core';
 * import { TransformerDecoder } from '@elman/transformer';
 *
 * const decoder = new TransformerDecoder({ dModel: 32, nhead: 4, numLayers: 2, dimFeedforward: 64 });
 * const memory = randn([2, 9, 32]); // [B, S, E]: the encoder's output
 * const out = decoder.forward(randn([2, 4, 32]), memory, { tgtIsCausal: true }); // [B, T, E]
 * console.log(out.shape, Object.keys(decoder.stateDict())[0]); // [2, 4, 32] 'layers.0.self_attn.in_proj_weight'
 * ```
 */
export class TransformerDecoder extends Module {
  /** The layers, applied in order. */
  layers: TransformerDecoderLayer[];
  /** Final LayerNorm, or null. */
  norm: LayerNorm | null;

  /** Creates `numLayers` layers from the same options (each with its own freshly initialised weights). */
  constructor(options: TransformerDecoderOptions) {
    super();
    if (!(Number.isInteger(options.numLayers) && options.numLayers >= 0)) {
      throw new ValueError(`TransformerDecoder: numLayers must be a non-negative integer, got ${options.numLayers}`);
    }
    this.layers = Array.from({ length: options.numLayers }, () => new TransformerDecoderLayer(options));
    this.norm = options.norm ? new LayerNorm(options.dModel, { eps: options.layerNormEps ?? 1e-5, bias: options.bias ?? true }) : null;
  }

  /** `tgt [B, T, dModel]`, `memory [B, S, dModel]` → `[B, T, dModel]`; the masks go to every layer. */
  forward(tgt: Tensor, memory: Tensor, options: TransformerDecoderLayerForwardOptions = {}): Tensor {
    let x = tgt;
    for (const layer of this.layers) x = layer.forward(x, memory, options);
    return this.norm ? this.norm.forward(x) : x;
  }
}
