import { record } from '../../autograd/record.js';
import type { Tensor } from '../../tensor.js';
import { unaryKernel } from '../util.js';
import { mul } from './mul.js';

/** Exact GELU x·Φ(x) (Hendrycks & Gimpel 2016; PyTorch's default). Saves the input: d = Φ(x) + x·φ(x). */
export function gelu(x: Tensor): Tensor {
  const y = unaryKernel('gelu', 'gelu', x);
  return record('gelu', [x], y, { x }, (g, s) => [mul(g, unaryKernel('gelu', 'geluDeriv', s.x))]);
}
