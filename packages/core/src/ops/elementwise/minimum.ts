import { record } from '../../autograd/record.js';
import type { Tensor, TensorLike } from '../../tensor.js';
import { binaryKernel, operands, sumToShape } from '../util.js';
import { gt, le } from './compare.js';
import { mul } from './mul.js';
import { cast } from './cast.js';

/** Element-wise minimum with broadcasting. Ties send the gradient to `a` (the first operand). */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands('minimum', a, b);
  const out = binaryKernel('minimum', 'minimum', x, y);
  return record('minimum', [x, y], out, { x, y }, (g, s) => [
    s.x.requiresGrad ? sumToShape(mul(g, cast(le(s.x, s.y), 'float32')), s.x.shape) : null,
    s.y.requiresGrad ? sumToShape(mul(g, cast(gt(s.x, s.y), 'float32')), s.y.shape) : null,
  ]);
}
