import { record } from '../../autograd/record.js';
import type { Tensor } from '../../tensor.js';
import { unaryKernel } from '../util.js';
import { mul } from './mul.js';

/** |x|. Saves the input: d|x| = sign(x) (0 at 0, as in PyTorch). */
export function abs(x: Tensor): Tensor {
  const y = unaryKernel('abs', 'abs', x);
  return record('abs', [x], y, { x }, (g, s) => [mul(g, unaryKernel('abs', 'sign', s.x))]);
}
