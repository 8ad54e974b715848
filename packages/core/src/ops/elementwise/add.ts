import { record } from '../../autograd/record.js';
import type { Tensor, TensorLike } from '../../tensor.js';
import { binaryKernel, operands, sumToShape } from '../util.js';

/** `a + b` with broadcasting. Saves nothing: ∂/∂a = ∂/∂b = 1. */
export function add(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands('add', a, b);
  const out = binaryKernel('add', 'add', x, y);
  return record('add', [x, y], out, { xShape: x.shape, yShape: y.shape }, (g, s) => [
    sumToShape(g, s.xShape),
    sumToShape(g, s.yShape),
  ]);
}
