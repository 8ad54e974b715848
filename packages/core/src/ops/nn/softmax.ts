import { record } from '../../autograd/record.js';
import { getBackend } from '../../backends/registry.js';
import { normAxis, splitAt } from '../../shape.js';
import type { Tensor } from '../../tensor.js';
import { exp } from '../elementwise/exp.js';
import { mul } from '../elementwise/mul.js';
import { sub } from '../elementwise/sub.js';
import { sum } from '../reduce/sum.js';
import { checkFloat, empty } from '../util.js';

/** Softmax along `axis` (positional, default last). Saves its output: dx = y ⊙ (g − Σ g⊙y). */
export function softmax(x: Tensor, axis = -1): Tensor {
  checkFloat('softmax', 'input', x);
  const ax = normAxis('softmax', axis, x.rank, x.shape);
  const [outer, n, inner] = splitAt(x.shape, ax);
  const y = empty(x.shape);
  getBackend().softmax(x.data as Float32Array, outer, n, inner, false, y.data as Float32Array);
  return record('softmax', [x], y, { y, ax }, (g, s) => [mul(s.y, sub(g, sum(mul(g, s.y), s.ax, true)))]);
}

/** log(softmax(x)) along `axis`, computed stably. Saves its output: dx = g − softmax ⊙ Σ g. */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  checkFloat('logSoftmax', 'input', x);
  const ax = normAxis('logSoftmax', axis, x.rank, x.shape);
  const [outer, n, inner] = splitAt(x.shape, ax);
  const y = empty(x.shape);
  getBackend().softmax(x.data as Float32Array, outer, n, inner, true, y.data as Float32Array);
  return record('logSoftmax', [x], y, { y, ax }, (g, s) => [sub(g, mul(exp(s.y), sum(g, s.ax, true)))]);
}
