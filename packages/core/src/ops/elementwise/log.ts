import { record } from '../../autograd/record.js';
import type { Tensor } from '../../tensor.js';
import { unaryKernel } from '../util.js';
import { div } from './div.js';

/** Natural logarithm. Saves the input: d ln x = 1/x. */
export function log(x: Tensor): Tensor {
  const y = unaryKernel('log', 'log', x);
  return record('log', [x], y, { x }, (g, s) => [div(g, s.x)]);
}
