import { record } from '../../autograd/record.js';
import { getBackend } from '../../backends/registry.js';
import { ValueError, fmtShape } from '../../errors.js';
import { normAxis, stridesOf } from '../../shape.js';
import type { Tensor } from '../../tensor.js';
import { empty } from '../util.js';
import { squeeze } from './reshape.js';

/**
 * Elements `start..end` (end exclusive, negative values count from the end, clamped like Python) along `axis`.
 * Saves the input shape and the range; backward scatters the gradient into zeros.
 */
export function slice(x: Tensor, axis: number, start: number, end?: number): Tensor {
  const ax = normAxis('slice', axis, x.rank, x.shape);
  const n = x.shape[ax]!;
  const s = clampIndex(start, n);
  const e = Math.max(s, clampIndex(end ?? n, n));
  const shape = [...x.shape];
  shape[ax] = e - s;
  const out = empty(shape, x.dtype);
  const xs = stridesOf(x.shape);
  getBackend().stridedCopy(x.data, s * xs[ax]!, xs, out.data, 0, stridesOf(shape), shape, false);
  return record('slice', [x], out, { inShape: x.shape, ax, s, xs }, (g, sv) => {
    const dx = empty(sv.inShape);
    getBackend().stridedCopy(g.data, 0, stridesOf(g.shape), dx.data, sv.s * sv.xs[sv.ax]!, sv.xs, g.shape, false);
    return [dx];
  });
}

function clampIndex(i: number, n: number): number {
  if (!Number.isInteger(i)) throw new ValueError(`slice: indices must be integers, got ${i}`);
  const j = i < 0 ? i + n : i;
  return Math.min(Math.max(j, 0), n);
}

/** The sub-tensor at `index` along `axis`, with that axis removed (`x[:, index]`). */
export function select(x: Tensor, axis: number, index: number): Tensor {
  const ax = normAxis('select', axis, x.rank, x.shape);
  const n = x.shape[ax]!;
  if (!Number.isInteger(index) || index < -n || index >= n) {
    throw new ValueError(`select: index ${index} is out of range for axis ${axis} of size ${n} (input ${fmtShape(x.shape)})`);
  }
  const i = index < 0 ? index + n : index;
  return squeeze(slice(x, ax, i, i + 1), ax);
}
