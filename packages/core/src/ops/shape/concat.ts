import { recordMulti } from '../../autograd/record.js';
import { getBackend } from '../../backends/registry.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../../errors.js';
import { normAxis, stridesOf } from '../../shape.js';
import type { Tensor } from '../../tensor.js';
import { empty } from '../util.js';
import { slice } from './slice.js';
import { unsqueeze } from './reshape.js';

/** Joins tensors along an existing axis. Saves the sizes along `axis`; backward slices the gradient apart. */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  const first = tensors[0];
  if (!first) throw new ValueError('concat: needs at least one tensor');
  if (first.rank === 0) throw new ShapeError('concat: tensor 0 is a scalar [] and has no axis to join along; use stack');
  const ax = normAxis('concat', axis, first.rank, first.shape);
  let total = 0;
  for (const [i, t] of tensors.entries()) {
    if (t.dtype !== first.dtype) throw new DTypeError(`concat: tensor ${i} is ${t.dtype} but tensor 0 is ${first.dtype}`);
    const ok = t.rank === first.rank && t.shape.every((d, k) => k === ax || d === first.shape[k]);
    if (!ok) {
      throw new ShapeError(
        `concat: tensor ${i} has shape ${fmtShape(t.shape)}, incompatible with tensor 0 ${fmtShape(first.shape)} along axis ${axis}`,
      );
    }
    total += t.shape[ax]!;
  }
  const shape = [...first.shape];
  shape[ax] = total;
  const out = empty(shape, first.dtype);
  const os = stridesOf(shape);
  let offset = 0;
  const sizes: number[] = [];
  for (const t of tensors) {
    getBackend().stridedCopy(t.data, 0, stridesOf(t.shape), out.data, offset * os[ax]!, os, t.shape, false);
    offset += t.shape[ax]!;
    sizes.push(t.shape[ax]!);
  }
  const [result] = recordMulti('concat', tensors, [out], { sizes, ax }, (grads, s) => {
    const g = grads[0]!;
    let start = 0;
    return s.sizes.map((n) => {
      const piece = slice(g, s.ax, start, start + n);
      start += n;
      return piece;
    });
  });
  return result!;
}

/** Joins same-shaped tensors along a new axis. */
export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  const first = tensors[0];
  if (!first) throw new ValueError('stack: needs at least one tensor');
  for (const [i, t] of tensors.entries()) {
    if (t.rank !== first.rank || t.shape.some((d, k) => d !== first.shape[k])) {
      throw new ShapeError(`stack: tensor ${i} has shape ${fmtShape(t.shape)} but tensor 0 has ${fmtShape(first.shape)}`);
    }
  }
  const ax = normAxis('stack', axis, first.rank + 1, first.shape);
  return concat(tensors.map((t) => unsqueeze(t, ax)), ax);
}
