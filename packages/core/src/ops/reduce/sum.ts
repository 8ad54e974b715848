import { record } from '../../autograd/record.js';
import { getBackend } from '../../backends/registry.js';
import { splitAt } from '../../shape.js';
import { Tensor } from '../../tensor.js';
import { reshape } from '../shape/reshape.js';
import { expand } from '../shape/expand.js';
import { empty } from '../util.js';
import { reduceAxes, reducedShape } from './reduce-axes.js';

/** Sum over `axis` (one, several, or all when omitted). Saves the input shape; backward broadcasts back. */
export function sum(x: Tensor, axis?: number | readonly number[], keepDims = false): Tensor {
  const axes = reduceAxes('sum', axis, x.shape);
  const out = sumData(x, axes, keepDims);
  const kept = reducedShape(x.shape, axes, true);
  return record('sum', [x], out, { inShape: x.shape, kept }, (g, s) => [expand(reshape(g, s.kept), s.inShape)]);
}

/** Sums over axes without recording (the kernel loop behind `sum` and `mean`). */
export function sumData(x: Tensor, axes: readonly number[], keepDims: boolean): Tensor {
  const backend = getBackend();
  // A reduction over no axes (a scalar input) is a copy, so the output never aliases the input.
  let cur = new Tensor(x.data.slice(), x.shape);
  // Reduce from the last axis down so earlier axis numbers stay valid (keepDims in between).
  for (let k = axes.length - 1; k >= 0; k--) {
    const ax = axes[k]!;
    const [outer, n, inner] = splitAt(cur.shape, ax);
    const shape = [...cur.shape];
    shape[ax] = 1;
    const out = empty(shape, x.dtype);
    backend.reduce('sum', cur.data, outer, n, inner, out.data);
    cur = out;
  }
  return new Tensor(cur.data, reducedShape(x.shape, axes, keepDims));
}
