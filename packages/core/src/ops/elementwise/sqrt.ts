import { record } from '../../autograd/record.js';
import type { Tensor } from '../../tensor.js';
import { unaryKernel } from '../util.js';
import { div } from './div.js';
import { mul } from './mul.js';

/** Square root. Saves its output: d √x = 1/(2√x). */
export function sqrt(x: Tensor): Tensor {
  const y = unaryKernel('sqrt', 'sqrt', x);
  return record('sqrt', [x], y, { y }, (g, s) => [div(g, mul(s.y, 2))]);
}
