import { record } from '../../autograd/record.js';
import type { Tensor, TensorLike } from '../../tensor.js';
import { binaryKernel, checkFloat, operands, sumToShape } from '../util.js';
import { where } from './where.js';
import { eq } from './compare.js';
import { log } from './log.js';
import { mul } from './mul.js';
import { sub } from './sub.js';

/**
 * `a ** b` with broadcasting (float32). Saves inputs and output: ∂/∂a = b·a^(b−1), ∂/∂b = out·ln a
 * (taken as 0 where a = 0, as PyTorch does, so `x ** 2` at 0 has no NaN exponent gradient).
 */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands('pow', a, b);
  checkFloat('pow', 'a', x);
  const out = binaryKernel('pow', 'pow', x, y);
  return record('pow', [x, y], out, { x, y, out }, (g, s) => [
    s.x.requiresGrad ? sumToShape(mul(g, mul(s.y, pow(s.x, sub(s.y, 1)))), s.x.shape) : null,
    s.y.requiresGrad ? sumToShape(mul(g, where(eq(s.x, 0), 0, mul(s.out, log(s.x)))), s.y.shape) : null,
  ]);
}
