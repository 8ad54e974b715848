import { record } from '../../autograd/record.js';
import type { Tensor } from '../../tensor.js';
import { unaryKernel } from '../util.js';
import { mul } from './mul.js';

/** e^x. Saves its output: d e^x = e^x. */
export function exp(x: Tensor): Tensor {
  const y = unaryKernel('exp', 'exp', x);
  return record('exp', [x], y, { y }, (g, s) => [mul(g, s.y)]);
}
