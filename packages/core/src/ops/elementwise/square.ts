import { record } from '../../autograd/record.js';
import type { Tensor } from '../../tensor.js';
import { unaryKernel } from '../util.js';
import { mul } from './mul.js';

/** x². Saves the input: d x² = 2x. */
export function square(x: Tensor): Tensor {
  const y = unaryKernel('square', 'square', x);
  return record('square', [x], y, { x }, (g, s) => [mul(g, mul(s.x, 2))]);
}
