import { record } from '../../autograd/record.js';
import type { Tensor, TensorLike } from '../../tensor.js';
import { binaryKernel, operands, sumToShape } from '../util.js';
import { neg } from './neg.js';

/** `a − b` with broadcasting. Saves nothing. */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands('sub', a, b);
  const out = binaryKernel('sub', 'sub', x, y);
  return record('sub', [x, y], out, { x, y }, (g, s) => [
    s.x.requiresGrad ? sumToShape(g, s.x.shape) : null,
    s.y.requiresGrad ? neg(sumToShape(g, s.y.shape)) : null,
  ]);
}
