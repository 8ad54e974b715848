import { type Generator, Module, ShapeError, type Tensor, fmtShape, xavierUniform_ } from '@elman/core';
import type { TransformerActivation } from './activation.js';
import { resolveLayerOptions } from './layer-options.js';
import { type AttentionMask, generateSquareSubsequentMask } from './masks.js';
import { TransformerDecoder } from './transformer-decoder.js';
import { TransformerEncoder } from './transformer-encoder.js';

/** Options of {@link Transformer} (PyTorch's `nn.Transformer` arguments and defaults). */
export interface TransformerOptions {
  /** Model size. Default 512. */
  dModel?: number;
  /** Attention heads. Default 8. */
  nhead?: number;
  /** Encoder layers. Default 6. */
  numEncoderLayers?: number;
  /** Decoder layers. Default 6. */
  numDecoderLayers?: number;
  /** Feed-forward hidden size. Default 2048. */
  dimFeedforward?: number;
  /** Dropout probability. Default 0.1. */
  dropout?: number;
  /** Feed-forward activation. Default 'relu'. */
  activation?: TransformerActivation;
  /** Pre-norm layers. Default false. */
  normFirst?: boolean;
  /** LayerNorm epsilon. Default 1e-5. */
  layerNormEps?: number;
  /** Biases in linear layers and LayerNorms. Default true. */
  bias?: boolean;
  /** Random stream for the initial weights and dropout masks; default: the global generator. */
  generator?: Generator;
}

/** Options of {@link Transformer.forward} (PyTorch's argument names in camelCase). */
export interface TransformerForwardOptions {
  /** `[S, S]` or `[B·nhead, S, S]` encoder self-attention mask; see {@link AttentionMask}. */
  srcMask?: AttentionMask | null;
  /** `[T, T]` or `[B·nhead, T, T]` decoder self-attention mask. */
  tgtMask?: AttentionMask | null;
  /** `[T, S]` or `[B·nhead, T, S]` decoder-to-memory mask. */
  memoryMask?: AttentionMask | null;
  /** `[B, S]` padded source positions (encoder self-attention). */
  srcKeyPaddingMask?: AttentionMask | null;
  /** `[B, T]` padded target positions. */
  tgtKeyPaddingMask?: AttentionMask | null;
  /** `[B, S]` padded memory positions (usually the same as `srcKeyPaddingMask`). */
  memoryKeyPaddingMask?: AttentionMask | null;
  /** Causal encoder self-attention. Default false. */
  srcIsCausal?: boolean;
  /** Causal decoder self-attention (what a seq2seq decoder needs for teacher forcing). Default false. */
  tgtIsCausal?: boolean;
  /** Causal decoder-to-memory attention. Default false. */
  memoryIsCausal?: boolean;
}

/**
 * The encoder–decoder transformer of Vaswani et al. 2017 (PyTorch's `nn.Transformer(batch_first=True)`): an encoder
 * stack and a decoder stack, each ending in a LayerNorm. State-dict keys `encoder.layers.N.…`, `encoder.norm.*`,
 * `decoder.layers.N.…`, `decoder.norm.*`; every weight matrix is re-initialised Xavier-uniform as PyTorch does.
 * Inputs are already embedded: `forward(src [B, S, dModel], tgt [B, T, dModel]) → [B, T, dModel]`.
 *
 * @example
 * ```ts run
 * import { Embedding, Linear, crossEntropy, tensor } from '@elman/core';
 * import { SinusoidalPositionalEncoding, Transformer } from '@elman/transformer';
 *
 * const [V, E] = [20, 32];
 * const model = new Transformer({ dModel: E, nhead: 4, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 64 });
 * const embed = new Embedding(V, E);
 * const positions = new SinusoidalPositionalEncoding({ dModel: E, maxLength: 32 });
 * const head = new Linear(E, V);
 * const src = tensor([[5, 6, 7, 0]], undefined, { dtype: 'int32' }); // [B, S]; 0 is padding
 * const tgtIn = tensor([[1, 7, 6, 5]], undefined, { dtype: 'int32' }); // START y1 y2 y3
 * const tgtOut = tensor([[7, 6, 5, 2]], undefined, { dtype: 'int32' }); // y1 y2 y3 END
 * const padding = [[false, false, false, true]];
 * const out = model.forward(positions.forward(embed.forward(src)), positions.forward(embed.forward(tgtIn)), {
 *   srcKeyPaddingMask: padding,
 *   memoryKeyPaddingMask: padding,
 *   tgtIsCausal: true, // teacher forcing: target step t sees targets ≤ t
 * }); // [1, 4, E]
 * crossEntropy(head.forward(out), tgtOut, { axis: -1 }).backward();
 * ```
 */
export class Transformer extends Module {
  /** Model size. */
  readonly dModel: number;
  /** Attention heads. */
  readonly nhead: number;
  /** The encoder stack (with final norm). */
  encoder: TransformerEncoder;
  /** The decoder stack (with final norm). */
  decoder: TransformerDecoder;

  /** The causal `[T, T]` int32 mask (1 above the diagonal), as PyTorch's static `generate_square_subsequent_mask`. */
  static generateSquareSubsequentMask(size: number): Tensor {
    return generateSquareSubsequentMask(size);
  }

  /** Creates the model with PyTorch's defaults (dModel 512, 8 heads, 6 + 6 layers, dimFeedforward 2048). */
  constructor(options: TransformerOptions = {}) {
    super();
    const layer = { ...options, dModel: options.dModel ?? 512, nhead: options.nhead ?? 8 };
    // Checked here so that a bad configuration is reported as the Transformer's, not as a nested layer's.
    resolveLayerOptions('Transformer', layer);
    this.dModel = layer.dModel;
    this.nhead = layer.nhead;
    this.encoder = new TransformerEncoder({ ...layer, numLayers: options.numEncoderLayers ?? 6, norm: true });
    this.decoder = new TransformerDecoder({ ...layer, numLayers: options.numDecoderLayers ?? 6, norm: true });
    for (const p of this.parameters()) if (p.rank > 1) xavierUniform_(p, { generator: options.generator });
  }

  /** `src [B, S, dModel]`, `tgt [B, T, dModel]` → `[B, T, dModel]`. */
  forward(src: Tensor, tgt: Tensor, options: TransformerForwardOptions = {}): Tensor {
    if (src.rank !== 3 || tgt.rank !== 3 || src.shape[0] !== tgt.shape[0]) {
      throw new ShapeError(`Transformer: src [B, S, dModel] and tgt [B, T, dModel] need the same batch, got src ${fmtShape(src.shape)}, tgt ${fmtShape(tgt.shape)}`);
    }
    if (src.shape[2] !== this.dModel || tgt.shape[2] !== this.dModel) {
      throw new ShapeError(`Transformer: the feature size of src and tgt must be dModel=${this.dModel}, got src ${fmtShape(src.shape)}, tgt ${fmtShape(tgt.shape)}`);
    }
    const memory = this.encoder.forward(src, {
      mask: options.srcMask,
      srcKeyPaddingMask: options.srcKeyPaddingMask,
      isCausal: options.srcIsCausal,
    });
    return this.decoder.forward(tgt, memory, {
      tgtMask: options.tgtMask,
      memoryMask: options.memoryMask,
      tgtKeyPaddingMask: options.tgtKeyPaddingMask,
      memoryKeyPaddingMask: options.memoryKeyPaddingMask,
      tgtIsCausal: options.tgtIsCausal,
      memoryIsCausal: options.memoryIsCausal,
    });
  }
}
