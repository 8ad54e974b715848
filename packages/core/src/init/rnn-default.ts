import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { type InitOptions, uniform_ } from './fill.js';

/**
 * PyTorch's default initialisation of every recurrent weight and bias: U(−1/√H, 1/√H) with H the hidden size.
 * Fills `t` in place and returns it.
 */
export function rnnDefault_(t: Tensor, hiddenSize: number, options: InitOptions = {}): Tensor {
  if (!(Number.isInteger(hiddenSize) && hiddenSize > 0)) {
    throw new ValueError(`rnnDefault_: hiddenSize must be a positive integer, got ${hiddenSize}`);
  }
  const k = 1 / Math.sqrt(hiddenSize);
  return uniform_(t, -k, k, options);
}
