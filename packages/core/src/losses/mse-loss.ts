import { ShapeError, fmtShape } from '../errors.js';
import { square } from '../ops/elementwise/square.js';
import { sub } from '../ops/elementwise/sub.js';
import { checkFloat } from '../ops/util.js';
import { sameShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { type LossOptions, reduce } from './reduction.js';

/**
 * Mean squared error (input − target)². Shapes must match exactly (PyTorch only warns; silent broadcasting hides bugs).
 *
 * @example
 * ```ts run
 * import { mseLoss, tensor } from '@elman/core';
 *
 * const prediction = tensor([[0.5], [2.0]]); // [N, 1]
 * const target = tensor([[1.0], [1.0]]);
 * console.log(mseLoss(prediction, target).item()); // (0.25 + 1) / 2 = 0.625
 * console.log(mseLoss(prediction, target, { reduction: 'sum' }).item()); // 1.25
 * ```
 */
export function mseLoss(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  checkFloat('mseLoss', 'input', input);
  checkFloat('mseLoss', 'target', target);
  if (!sameShape(input.shape, target.shape)) {
    throw new ShapeError(`mseLoss: input is ${fmtShape(input.shape)} but target is ${fmtShape(target.shape)}`);
  }
  return reduce('mseLoss', square(sub(input, target)), options.reduction);
}
