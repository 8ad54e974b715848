import { record } from '../../autograd/record.js';
import { getBackend } from '../../backends/registry.js';
import { DTypeError, ValueError, fmtShape } from '../../errors.js';
import { normAxis, splitAt } from '../../shape.js';
import { Tensor } from '../../tensor.js';
import { empty } from '../util.js';

/**
 * Picks whole slices along `axis` by integer index (`torch.index_select`); the index may be any shape, whose
 * dimensions replace `axis` in the output (so `indexSelect(weight [V, E], 0, ids [B, T])` is `[B, T, E]`, an
 * embedding lookup). Saves the indices; backward scatter-adds rows, so repeated indices accumulate.
 */
export function indexSelect(x: Tensor, axis: number, index: Tensor | readonly number[]): Tensor {
  if (!(index instanceof Tensor)) {
    // Int32Array.from would silently truncate a fractional index.
    const bad = index.find((v) => !Number.isInteger(v));
    if (bad !== undefined) throw new ValueError(`indexSelect: index ${bad} is not an integer (input ${fmtShape(x.shape)})`);
  }
  const idx = index instanceof Tensor ? index : new Tensor(Int32Array.from(index), [index.length]);
  if (idx.dtype !== 'int32') {
    throw new DTypeError(`indexSelect: index must be int32, got ${idx.dtype} ${fmtShape(idx.shape)}`);
  }
  const ax = normAxis('indexSelect', axis, x.rank, x.shape);
  const [outer, n, inner] = splitAt(x.shape, ax);
  const ids = idx.data as Int32Array;
  checkRange('indexSelect', ids, n, x.shape, ax);
  const shape = [...x.shape.slice(0, ax), ...idx.shape, ...x.shape.slice(ax + 1)];
  const out = empty(shape, x.dtype);
  getBackend().gather(x.data, outer, n, inner, ids, ids.length, true, out.data);
  return record('indexSelect', [x], out, { ids, inShape: x.shape, outer, n, inner }, (g, s) => {
    const dx = empty(s.inShape);
    getBackend().scatterAdd(g.data as Float32Array, s.outer, s.n, s.inner, s.ids, s.ids.length, true, dx.data as Float32Array);
    return [dx];
  });
}

/** Throws a `ValueError` naming the op if any index is outside [0, n). */
export function checkRange(op: string, ids: Int32Array, n: number, shape: readonly number[], axis: number): void {
  for (let i = 0; i < ids.length; i++) {
    const v = ids[i]!;
    if (v < 0 || v >= n) {
      throw new ValueError(`${op}: index ${v} is out of range for axis ${axis} of size ${n} (input ${fmtShape(shape)})`);
    }
  }
}
