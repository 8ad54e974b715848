import { record } from '../../autograd/record.js';
import type { Tensor, TensorLike } from '../../tensor.js';
import { binaryKernel, operands, sumToShape } from '../util.js';
import { ge, lt } from './compare.js';
import { mul } from './mul.js';
import { cast } from './cast.js';

/** Element-wise maximum with broadcasting. Ties send the gradient to `a` (the first operand). */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands('maximum', a, b);
  const out = binaryKernel('maximum', 'maximum', x, y);
  return record('maximum', [x, y], out, { x, y }, (g, s) => [
    s.x.requiresGrad ? sumToShape(mul(g, cast(ge(s.x, s.y), 'float32')), s.x.shape) : null,
    s.y.requiresGrad ? sumToShape(mul(g, cast(lt(s.x, s.y), 'float32')), s.y.shape) : null,
  ]);
}
