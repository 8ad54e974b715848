import { record } from '../../autograd/record.js';
import { getBackend } from '../../backends/registry.js';
import { DTypeError, fmtShape } from '../../errors.js';
import { broadcastShapes } from '../../shape.js';
import { Tensor, type TensorLike } from '../../tensor.js';
import { expandData } from '../shape/expand.js';
import { empty, operands, scalar, sumToShape } from '../util.js';

/**
 * `cond ? a : b` element-wise with broadcasting of all three. `cond` is an int32 tensor (non-zero = true).
 * Saves the broadcast condition; the gradient of each branch is the output gradient where it was chosen.
 */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  if (cond.dtype !== 'int32') {
    throw new DTypeError(`where: cond must be int32 (e.g. from gt/eq), got ${cond.dtype} ${fmtShape(cond.shape)}`);
  }
  const [x, y] = operands('where', a, b);
  const shape = broadcastShapes('where', broadcastShapes('where', cond.shape, x.shape), y.shape);
  const c = expandData(cond, shape);
  const out = empty(shape, x.dtype);
  getBackend().where(c.data as Int32Array, expandData(x, shape).data, expandData(y, shape).data, out.data);
  return record('where', [x, y], out, { c, x, y }, (g, s) => {
    const zero = scalar(0);
    const gx = s.x.requiresGrad ? whereNoGrad(s.c, g, zero) : null;
    const gy = s.y.requiresGrad ? whereNoGrad(s.c, zero, g) : null;
    return [gx && sumToShape(gx, s.x.shape), gy && sumToShape(gy, s.y.shape)];
  });
}

function whereNoGrad(c: Tensor, a: Tensor, b: Tensor): Tensor {
  const out = new Tensor(new Float32Array(c.size), c.shape);
  getBackend().where(c.data as Int32Array, expandData(a, c.shape).data, expandData(b, c.shape).data, out.data);
  return out;
}
