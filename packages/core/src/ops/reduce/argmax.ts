import { getBackend } from '../../backends/registry.js';
import { ValueError, fmtShape } from '../../errors.js';
import { normAxis, splitAt } from '../../shape.js';
import type { Tensor } from '../../tensor.js';
import { empty } from '../util.js';
import { reducedShape } from './reduce-axes.js';

/** Index (int32) of the first maximum along `axis`, or into the flattened tensor when omitted. */
export function argmax(x: Tensor, axis?: number, keepDims = false): Tensor {
  return argExtreme('argmax', x, axis, keepDims);
}

/** Index (int32) of the first minimum along `axis`, or into the flattened tensor when omitted. */
export function argmin(x: Tensor, axis?: number, keepDims = false): Tensor {
  return argExtreme('argmin', x, axis, keepDims);
}

function argExtreme(op: 'argmax' | 'argmin', x: Tensor, axis: number | undefined, keepDims: boolean): Tensor {
  if (x.size === 0) throw new ValueError(`${op}: input ${fmtShape(x.shape)} is empty`);
  const whole = axis === undefined;
  const ax = whole ? 0 : normAxis(op, axis, x.rank, x.shape);
  const [outer, n, inner] = splitAt(whole ? [x.size] : x.shape, ax);
  const shape = whole ? (keepDims ? x.shape.map(() => 1) : []) : reducedShape(x.shape, [ax], keepDims);
  const out = empty(shape, 'int32');
  getBackend().argReduce(op, x.data, outer, n, inner, out.data as Int32Array);
  return out;
}
