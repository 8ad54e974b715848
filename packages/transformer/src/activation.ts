import { ValueError } from '@elman/core';

/** Feed-forward activation of the transformer layers: ReLU (Vaswani et al. 2017) or exact GELU (Hendrycks & Gimpel 2016). */
export type TransformerActivation = 'relu' | 'gelu';

/**
 * `name` if it is a feed-forward activation; anything else is a `ValueError` naming `op`. The layers pass it to
 * core's `linear(x, w, b, {activation})`, which fuses it into linear1's GEMM.
 */
export function checkActivation(op: string, name: TransformerActivation): TransformerActivation {
  if (name === 'relu' || name === 'gelu') return name;
  throw new ValueError(`${op}: activation must be 'relu' or 'gelu', got '${String(name)}'`);
}
