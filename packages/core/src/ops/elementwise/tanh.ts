import { record } from '../../autograd/record.js';
import type { Tensor } from '../../tensor.js';
import { unaryKernel } from '../util.js';
import { mul } from './mul.js';
import { square } from './square.js';
import { sub } from './sub.js';

/** Hyperbolic tangent. Saves its output: d tanh = 1 − y². */
export function tanh(x: Tensor): Tensor {
  const y = unaryKernel('tanh', 'tanh', x);
  return record('tanh', [x], y, { y }, (g, s) => [mul(g, sub(1, square(s.y)))]);
}
