import { ShapeError, fmtShape } from '../errors.js';
import { square } from '../ops/elementwise/square.js';
import { sub } from '../ops/elementwise/sub.js';
import { checkFloat } from '../ops/util.js';
import { sameShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { type LossOptions, reduce } from './reduction.js';

/** Mean squared error (input − target)². Shapes must match exactly (PyTorch only warns; silent broadcasting hides bugs). */
export function mseLoss(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  checkFloat('mseLoss', 'input', input);
  checkFloat('mseLoss', 'target', target);
  if (!sameShape(input.shape, target.shape)) {
    throw new ShapeError(`mseLoss: input is ${fmtShape(input.shape)} but target is ${fmtShape(target.shape)}`);
  }
  return reduce('mseLoss', square(sub(input, target)), options.reduction);
}
