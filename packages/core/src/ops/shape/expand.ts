import { record } from '../../autograd/record.js';
import { getBackend } from '../../backends/registry.js';
import { ShapeError, fmtShape } from '../../errors.js';
import { broadcastStrides, checkShape, sameShape, stridesOf } from '../../shape.js';
import type { Tensor } from '../../tensor.js';
import { empty, sumToShape } from '../util.js';

/**
 * Broadcasts to `shape` (materialised); −1 keeps the input's size on that axis, as in `torch.expand`.
 * Backward sums the gradient back over the broadcast axes.
 */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  const off = shape.length - x.rank;
  const target = shape.map((d, i) => (d === -1 && i >= off ? x.shape[i - off]! : d));
  const out = expandData(x, target);
  if (out === x) return x;
  return record('expand', [x], out, { shape: x.shape }, (g, s) => [sumToShape(g, s.shape)]);
}

/** Materialises `x` broadcast to `shape` without recording (returns `x` when the shape already matches). */
export function expandData(x: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(x.shape, shape)) return x;
  checkShape('expand', shape);
  const off = shape.length - x.rank;
  const ok = off >= 0 && x.shape.every((d, i) => d === 1 || d === shape[off + i]);
  if (!ok) throw new ShapeError(`expand: cannot broadcast ${fmtShape(x.shape)} to ${fmtShape(shape)}`);
  const out = empty(shape, x.dtype);
  getBackend().stridedCopy(x.data, 0, broadcastStrides(x.shape, shape), out.data, 0, stridesOf(shape), shape, false);
  return out;
}
