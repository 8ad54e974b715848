import { record } from '../../autograd/record.js';
import type { Tensor } from '../../tensor.js';
import { unaryKernel } from '../util.js';
import { cast } from './cast.js';
import { gt } from './compare.js';
import { mul } from './mul.js';

/** max(x, 0). Saves the input; the gradient at 0 is 0, as in PyTorch. */
export function relu(x: Tensor): Tensor {
  const y = unaryKernel('relu', 'relu', x);
  return record('relu', [x], y, { x }, (g, s) => [mul(g, cast(gt(s.x, 0), 'float32'))]);
}
