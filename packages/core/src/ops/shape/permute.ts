import { record } from '../../autograd/record.js';
import { getBackend } from '../../backends/registry.js';
import { ValueError, fmtShape } from '../../errors.js';
import { normAxis, stridesOf } from '../../shape.js';
import type { Tensor } from '../../tensor.js';
import { empty } from '../util.js';

/** Reorders axes (a copy into contiguous memory). Saves the permutation; backward applies its inverse. */
export function permute(x: Tensor, perm: readonly number[]): Tensor {
  if (perm.length !== x.rank) {
    throw new ValueError(`permute: perm ${fmtShape(perm)} has ${perm.length} axes but the input ${fmtShape(x.shape)} has ${x.rank}`);
  }
  const p = perm.map((a) => normAxis('permute', a, x.rank, x.shape));
  if (new Set(p).size !== p.length) throw new ValueError(`permute: perm ${fmtShape(perm)} repeats an axis`);
  const shape = p.map((a) => x.shape[a]!);
  const out = empty(shape, x.dtype);
  const xs = stridesOf(x.shape);
  getBackend().stridedCopy(x.data, 0, p.map((a) => xs[a]!), out.data, 0, stridesOf(shape), shape, false);
  const inverse = new Array<number>(p.length);
  p.forEach((a, i) => {
    inverse[a] = i;
  });
  return record('permute', [x], out, { inverse }, (g, s) => [permute(g, s.inverse)]);
}

/** Swaps two axes (default: the last two, a matrix transpose). */
export function transpose(x: Tensor, axis0 = -2, axis1 = -1): Tensor {
  const a = normAxis('transpose', axis0, x.rank, x.shape);
  const b = normAxis('transpose', axis1, x.rank, x.shape);
  const perm = x.shape.map((_, i) => i);
  perm[a] = b;
  perm[b] = a;
  return permute(x, perm);
}
