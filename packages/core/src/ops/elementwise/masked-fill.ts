import { DTypeError, fmtShape } from '../../errors.js';
import { broadcastShapes } from '../../shape.js';
import type { Tensor } from '../../tensor.js';
import { where } from './where.js';

/**
 * Replaces elements where `mask` is non-zero (int32, broadcastable; 1 = masked out, as in PyTorch's boolean masks)
 * with `value`, e.g. `-Infinity` before a softmax. The gradient flows only to unmasked positions.
 */
export function maskedFill(x: Tensor, mask: Tensor, value: number): Tensor {
  // Checked here so errors name maskedFill rather than the `where` it is built on.
  if (mask.dtype !== 'int32') {
    throw new DTypeError(`maskedFill: mask must be int32 (1 = masked out), got ${mask.dtype} ${fmtShape(mask.shape)}`);
  }
  broadcastShapes('maskedFill', mask.shape, x.shape);
  return where(mask, value, x);
}
