import { type Generator, ValueError } from '@elman/core';
import { type TransformerActivation, checkActivation } from './activation.js';

/** Options shared by {@link TransformerEncoderLayer} and {@link TransformerDecoderLayer} (PyTorch's defaults). */
export interface TransformerLayerOptions {
  /** Model size (features of every position). */
  dModel: number;
  /** Number of attention heads; must divide `dModel`. */
  nhead: number;
  /** Hidden size of the position-wise feed-forward block. Default 2048. */
  dimFeedforward?: number;
  /** Dropout probability (attention weights, sublayer outputs, feed-forward hidden). Default 0.1. */
  dropout?: number;
  /** Feed-forward activation. Default 'relu'. */
  activation?: TransformerActivation;
  /** Pre-norm (LayerNorm before each sublayer, Xiong et al. 2020) instead of post-norm. Default false. */
  normFirst?: boolean;
  /** LayerNorm epsilon. Default 1e-5. */
  layerNormEps?: number;
  /** Learn biases in the linear layers and LayerNorms' shift. Default true. */
  bias?: boolean;
  /** Random stream for the initial weights and the dropout masks; default: the global generator. */
  generator?: Generator;
}

/** {@link TransformerLayerOptions} with defaults filled in and checked. */
export interface ResolvedLayerOptions {
  /** Model size. */
  dModel: number;
  /** Heads. */
  nhead: number;
  /** Feed-forward hidden size. */
  dimFeedforward: number;
  /** Dropout probability. */
  dropout: number;
  /** Activation name. */
  activation: TransformerActivation;
  /** Pre-norm. */
  normFirst: boolean;
  /** LayerNorm epsilon. */
  layerNormEps: number;
  /** Biases. */
  bias: boolean;
  /** Random stream. */
  generator: Generator | undefined;
}

/** Fills in PyTorch's defaults and checks the values, naming `op` in errors. */
export function resolveLayerOptions(op: string, options: TransformerLayerOptions): ResolvedLayerOptions {
  const dimFeedforward = options.dimFeedforward ?? 2048;
  for (const [name, v] of [['dModel', options.dModel], ['nhead', options.nhead], ['dimFeedforward', dimFeedforward]] as const) {
    if (!(Number.isInteger(v) && v > 0)) throw new ValueError(`${op}: ${name} must be a positive integer, got ${v}`);
  }
  if (options.dModel % options.nhead !== 0) {
    throw new ValueError(`${op}: nhead ${options.nhead} does not divide dModel ${options.dModel}`);
  }
  const dropout = options.dropout ?? 0.1;
  if (!(dropout >= 0 && dropout <= 1)) throw new ValueError(`${op}: dropout must be in [0, 1], got ${dropout}`);
  const layerNormEps = options.layerNormEps ?? 1e-5;
  if (!(layerNormEps >= 0)) throw new ValueError(`${op}: layerNormEps must be non-negative, got ${layerNormEps}`);
  const activation = checkActivation(op, options.activation ?? 'relu');
  return {
    dModel: options.dModel,
    nhead: options.nhead,
    dimFeedforward,
    dropout,
    activation,
    normFirst: options.normFirst ?? false,
    layerNormEps,
    bias: options.bias ?? true,
    generator: options.generator,
  };
}
