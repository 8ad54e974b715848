import { record } from '../../autograd/record.js';
import type { Tensor } from '../../tensor.js';
import { unaryKernel } from '../util.js';
import { mul } from './mul.js';
import { sigmoid } from './sigmoid.js';

/** log(1 + e^x), overflow-safe (beta 1, no threshold). Saves the input: d softplus = σ(x). */
export function softplus(x: Tensor): Tensor {
  const y = unaryKernel('softplus', 'softplus', x);
  return record('softplus', [x], y, { x }, (g, s) => [mul(g, sigmoid(s.x))]);
}
