import { record } from '../../autograd/record.js';
import { getBackend } from '../../backends/registry.js';
import { ValueError, fmtShape } from '../../errors.js';
import { normAxis, splitAt } from '../../shape.js';
import { Tensor } from '../../tensor.js';
import { empty } from '../util.js';
import { reducedShape } from './reduce-axes.js';

/**
 * Maximum over one axis, or over all elements when `axis` is omitted. Saves the argmax; the gradient goes to the
 * first maximal element (as `torch.max(dim)` does through its indices).
 */
export function max(x: Tensor, axis?: number, keepDims = false): Tensor {
  return extreme('max', x, axis, keepDims);
}

/** Minimum over one axis or all elements; the gradient goes to the first minimal element. */
export function min(x: Tensor, axis?: number, keepDims = false): Tensor {
  return extreme('min', x, axis, keepDims);
}

function extreme(op: 'max' | 'min', x: Tensor, axis: number | undefined, keepDims: boolean): Tensor {
  if (x.size === 0) throw new ValueError(`${op}: input ${fmtShape(x.shape)} is empty`);
  const whole = axis === undefined;
  const ax = whole ? 0 : normAxis(op, axis, x.rank, x.shape);
  const view = whole ? [x.size] : x.shape;
  const [outer, n, inner] = splitAt(view, ax);
  const backend = getBackend();
  const shape = whole ? (keepDims ? x.shape.map(() => 1) : []) : reducedShape(x.shape, [ax], keepDims);
  const out = empty(shape, x.dtype);
  backend.reduce(op, x.data, outer, n, inner, out.data);
  if (x.dtype !== 'float32') return out;
  const idx = new Int32Array(outer * inner);
  backend.argReduce(op === 'max' ? 'argmax' : 'argmin', x.data, outer, n, inner, idx);
  return record(op, [x], out, { idx, inShape: x.shape, outer, n, inner }, (g, s) => {
    const dx = new Tensor(new Float32Array(s.outer * s.n * s.inner), s.inShape);
    getBackend().scatterAdd(g.data as Float32Array, s.outer, s.n, s.inner, s.idx, 1, false, dx.data as Float32Array);
    return [dx];
  });
}
