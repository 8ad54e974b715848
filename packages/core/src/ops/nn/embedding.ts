import { record } from '../../autograd/record.js';
import { getBackend } from '../../backends/registry.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../../errors.js';
import type { Tensor } from '../../tensor.js';
import { checkRange } from '../shape/index-select.js';
import { empty } from '../util.js';

/**
 * Embedding lookup: `weight [V, E]`, `ids` int32 of any shape → `[...ids.shape, E]`. Saves the ids; backward
 * scatter-adds rows into dW, skipping `paddingIdx` (whose row then never trains, as in PyTorch).
 */
export function embedding(ids: Tensor, weight: Tensor, paddingIdx: number | null = null): Tensor {
  if (ids.dtype !== 'int32') throw new DTypeError(`embedding: ids must be int32, got ${ids.dtype} ${fmtShape(ids.shape)}`);
  if (weight.rank !== 2) throw new ShapeError(`embedding: weight must be [V, E], got ${fmtShape(weight.shape)}`);
  const [V, E] = weight.shape as [number, number];
  const idx = ids.data as Int32Array;
  checkRange('embedding', idx, V, weight.shape, 0);
  if (paddingIdx !== null && !(Number.isInteger(paddingIdx) && paddingIdx >= -V && paddingIdx < V)) {
    throw new ValueError(`embedding: paddingIdx ${paddingIdx} is out of range for weight ${fmtShape(weight.shape)}`);
  }
  // A negative paddingIdx counts from the end, as in PyTorch.
  const pad = paddingIdx !== null && paddingIdx < 0 ? paddingIdx + V : paddingIdx;
  const out = empty([...ids.shape, E]);
  getBackend().gather(weight.data, 1, V, E, idx, idx.length, true, out.data);
  return record('embedding', [weight], out, { idx, V, E, pad }, (g, s) => {
    const dw = empty([s.V, s.E]);
    getBackend().scatterAdd(g.data as Float32Array, 1, s.V, s.E, s.idx, s.idx.length, true, dw.data as Float32Array);
    if (s.pad !== null) (dw.data as Float32Array).fill(0, s.pad * s.E, (s.pad + 1) * s.E);
    return [dw];
  });
}
