import { record } from '../../autograd/record.js';
import { getBackend } from '../../backends/registry.js';
import { ValueError } from '../../errors.js';
import type { Tensor } from '../../tensor.js';
import { binaryKernel, checkFloat, empty, scalar } from '../util.js';
import { cast } from './cast.js';
import { mul } from './mul.js';

/**
 * Clamps into [min, max] (either may be null for no bound). Saves the input: the gradient passes where
 * min ≤ x ≤ max, as in PyTorch.
 */
export function clamp(x: Tensor, min: number | null, max: number | null): Tensor {
  checkFloat('clamp', 'input', x);
  const lo = min ?? Number.NEGATIVE_INFINITY;
  const hi = max ?? Number.POSITIVE_INFINITY;
  if (lo > hi) throw new ValueError(`clamp: min ${lo} is greater than max ${hi}`);
  const y = empty(x.shape);
  getBackend().clamp(x.data as Float32Array, lo, hi, y.data as Float32Array);
  return record('clamp', [x], y, { x }, (g, s) => {
    const inLo = binaryKernel('clamp', 'ge', s.x, scalar(lo), 'int32');
    const inHi = binaryKernel('clamp', 'le', s.x, scalar(hi), 'int32');
    const pass = binaryKernel('clamp', 'mul', inLo, inHi, 'int32');
    return [mul(g, cast(pass, 'float32'))];
  });
}
