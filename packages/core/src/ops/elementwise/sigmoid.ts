import { record } from '../../autograd/record.js';
import type { Tensor } from '../../tensor.js';
import { unaryKernel } from '../util.js';
import { mul } from './mul.js';
import { sub } from './sub.js';

/** Logistic sigmoid 1/(1+e^−x), overflow-safe. Saves its output: dσ = σ(1 − σ). */
export function sigmoid(x: Tensor): Tensor {
  const y = unaryKernel('sigmoid', 'sigmoid', x);
  return record('sigmoid', [x], y, { y }, (g, s) => [mul(g, mul(s.y, sub(1, s.y)))]);
}
