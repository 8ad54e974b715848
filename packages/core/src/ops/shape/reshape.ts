import { record } from '../../autograd/record.js';
import { ShapeError, ValueError, fmtShape } from '../../errors.js';
import { normAxis, sizeOf } from '../../shape.js';
import { Tensor } from '../../tensor.js';

/**
 * A new shape over the same elements (shares data; no copy). One dimension may be −1 and is inferred.
 * Saves the input shape.
 */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const target = inferShape(x, shape);
  const out = new Tensor(x.data, target);
  return record('reshape', [x], out, { shape: x.shape }, (g, s) => [reshape(g, s.shape)]);
}

function inferShape(x: Tensor, shape: readonly number[]): number[] {
  let infer = -1;
  let known = 1;
  shape.forEach((d, i) => {
    if (d === -1) {
      if (infer >= 0) throw new ValueError(`reshape: only one dimension can be -1, got ${fmtShape(shape)}`);
      infer = i;
    } else if (!Number.isInteger(d) || d < 0) {
      throw new ValueError(`reshape: invalid dimension ${d} in ${fmtShape(shape)}`);
    } else known *= d;
  });
  const out = [...shape];
  if (infer >= 0) {
    if (known === 0 || x.size % known !== 0) {
      throw new ShapeError(`reshape: cannot reshape ${fmtShape(x.shape)} (${x.size} elements) into ${fmtShape(shape)}`);
    }
    out[infer] = x.size / known;
  }
  if (sizeOf(out) !== x.size) {
    throw new ShapeError(`reshape: cannot reshape ${fmtShape(x.shape)} (${x.size} elements) into ${fmtShape(shape)}`);
  }
  return out;
}

/** Merges axes `startAxis..endAxis` (inclusive) into one. */
export function flatten(x: Tensor, startAxis = 0, endAxis = -1): Tensor {
  if (x.rank === 0) return reshape(x, [1]);
  const s = normAxis('flatten', startAxis, x.rank, x.shape);
  const e = normAxis('flatten', endAxis, x.rank, x.shape);
  if (s > e) throw new ValueError(`flatten: startAxis ${startAxis} comes after endAxis ${endAxis} for rank ${x.rank}`);
  const shape = [...x.shape.slice(0, s), sizeOf(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)];
  return reshape(x, shape);
}

/** Removes size-1 axes (only `axis` when given; a no-op if that axis is not size 1, as in PyTorch). */
export function squeeze(x: Tensor, axis?: number): Tensor {
  if (axis === undefined) return reshape(x, x.shape.filter((d) => d !== 1));
  const a = normAxis('squeeze', axis, x.rank, x.shape);
  if (x.shape[a] !== 1) return x;
  return reshape(x, [...x.shape.slice(0, a), ...x.shape.slice(a + 1)]);
}

/** Inserts a size-1 axis at `axis` (−1 appends). */
export function unsqueeze(x: Tensor, axis: number): Tensor {
  const a = normAxis('unsqueeze', axis, x.rank + 1, x.shape);
  return reshape(x, [...x.shape.slice(0, a), 1, ...x.shape.slice(a)]);
}
