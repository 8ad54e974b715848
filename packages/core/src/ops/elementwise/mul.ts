import { record } from '../../autograd/record.js';
import type { Tensor, TensorLike } from '../../tensor.js';
import { binaryKernel, operands, sumToShape } from '../util.js';

/** `a ⊙ b` with broadcasting. Saves both operands: ∂/∂a = b, ∂/∂b = a. */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands('mul', a, b);
  const out = binaryKernel('mul', 'mul', x, y);
  return record('mul', [x, y], out, { x, y }, (g, s) => [
    s.x.requiresGrad ? sumToShape(mul(g, s.y), s.x.shape) : null,
    s.y.requiresGrad ? sumToShape(mul(g, s.x), s.y.shape) : null,
  ]);
}
