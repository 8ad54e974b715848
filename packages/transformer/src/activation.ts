import { type Tensor, ValueError, gelu, relu } from '@elman/core';

/** Feed-forward activation of the transformer layers: ReLU (Vaswani et al. 2017) or exact GELU (Hendrycks & Gimpel 2016). */
export type TransformerActivation = 'relu' | 'gelu';

/** The activation function named by `name`; anything else is a `ValueError` naming `op`. */
export function activationFn(op: string, name: TransformerActivation): (x: Tensor) => Tensor {
  if (name === 'relu') return relu;
  if (name === 'gelu') return gelu;
  throw new ValueError(`${op}: activation must be 'relu' or 'gelu', got '${String(name)}'`);
}
