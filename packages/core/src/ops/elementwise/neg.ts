import { record } from '../../autograd/record.js';
import type { Tensor } from '../../tensor.js';
import { unaryKernel } from '../util.js';

/** Negation. Saves nothing. */
export function neg(x: Tensor): Tensor {
  const y = unaryKernel('neg', 'neg', x);
  return record('neg', [x], y, {}, (g) => [neg(g)]);
}
