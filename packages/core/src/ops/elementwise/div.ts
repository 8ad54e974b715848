import { record } from '../../autograd/record.js';
import type { Tensor, TensorLike } from '../../tensor.js';
import { binaryKernel, checkFloat, operands, sumToShape } from '../util.js';
import { mul } from './mul.js';
import { neg } from './neg.js';

/** `a / b` with broadcasting (float32). Saves `b` and the output: ∂/∂a = 1/b, ∂/∂b = −out/b. */
export function div(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands('div', a, b);
  checkFloat('div', 'a', x);
  const out = binaryKernel('div', 'div', x, y);
  return record('div', [x, y], out, { x, y, out }, (g, s) => [
    s.x.requiresGrad ? sumToShape(div(g, s.y), s.x.shape) : null,
    s.y.requiresGrad ? sumToShape(neg(mul(g, div(s.out, s.y))), s.y.shape) : null,
  ]);
}
