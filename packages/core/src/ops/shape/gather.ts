import { record } from '../../autograd/record.js';
import { getBackend } from '../../backends/registry.js';
import { DTypeError, ShapeError, fmtShape } from '../../errors.js';
import { normAxis, splitAt } from '../../shape.js';
import type { Tensor } from '../../tensor.js';
import { empty } from '../util.js';
import { checkRange } from './index-select.js';

/**
 * `torch.gather`: `out[..., j, ...] = x[..., index[..., j, ...], ...]` along `axis`. `index` has x's shape except
 * along `axis`. Saves the index; backward scatter-adds.
 */
export function gather(x: Tensor, axis: number, index: Tensor): Tensor {
  if (index.dtype !== 'int32') throw new DTypeError(`gather: index must be int32, got ${index.dtype} ${fmtShape(index.shape)}`);
  const ax = normAxis('gather', axis, x.rank, x.shape);
  const ok = index.rank === x.rank && index.shape.every((d, i) => i === ax || d === x.shape[i]);
  if (!ok) {
    throw new ShapeError(
      `gather: index ${fmtShape(index.shape)} must match input ${fmtShape(x.shape)} on every axis but ${axis}`,
    );
  }
  const [outer, n, inner] = splitAt(x.shape, ax);
  const k = index.shape[ax]!;
  const ids = index.data as Int32Array;
  checkRange('gather', ids, n, x.shape, ax);
  const out = empty(index.shape, x.dtype);
  getBackend().gather(x.data, outer, n, inner, ids, k, false, out.data);
  return record('gather', [x], out, { ids, inShape: x.shape, outer, n, inner, k }, (g, s) => {
    const dx = empty(s.inShape);
    getBackend().scatterAdd(g.data as Float32Array, s.outer, s.n, s.inner, s.ids, s.k, false, dx.data as Float32Array);
    return [dx];
  });
}
