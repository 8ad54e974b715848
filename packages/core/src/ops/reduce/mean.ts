import { record } from '../../autograd/record.js';
import { sizeOf } from '../../shape.js';
import type { Tensor } from '../../tensor.js';
import { mul } from '../elementwise/mul.js';
import { expand } from '../shape/expand.js';
import { reshape } from '../shape/reshape.js';
import { checkFloat } from '../util.js';
import { reduceAxes, reducedShape } from './reduce-axes.js';
import { sumData } from './sum.js';

/** Mean over `axis` (one, several, or all when omitted). Saves the input shape; backward spreads g/n. */
export function mean(x: Tensor, axis?: number | readonly number[], keepDims = false): Tensor {
  checkFloat('mean', 'input', x);
  const axes = reduceAxes('mean', axis, x.shape);
  const n = sizeOf(axes.map((a) => x.shape[a]!));
  const out = sumData(x, axes, keepDims);
  const data = out.data as Float32Array;
  for (let i = 0; i < data.length; i++) data[i]! /= n;
  const kept = reducedShape(x.shape, axes, true);
  return record('mean', [x], out, { inShape: x.shape, kept, n }, (g, s) => [
    expand(reshape(mul(g, 1 / s.n), s.kept), s.inShape),
  ]);
}
