import { ValueError, fmtShape } from '../../errors.js';
import { normAxis } from '../../shape.js';
import type { Tensor } from '../../tensor.js';
import { slice } from './slice.js';

/**
 * Splits along `axis` into chunks of `sizes` (a number: equal chunks of that size, the last may be smaller, as in
 * `torch.split`; an array: exactly those sizes).
 */
export function split(x: Tensor, sizes: number | readonly number[], axis = 0): Tensor[] {
  const ax = normAxis('split', axis, x.rank, x.shape);
  const n = x.shape[ax]!;
  let parts: number[];
  if (typeof sizes === 'number') {
    if (!Number.isInteger(sizes) || sizes <= 0) throw new ValueError(`split: chunk size must be a positive integer, got ${sizes}`);
    parts = [];
    for (let s = 0; s < n; s += sizes) parts.push(Math.min(sizes, n - s));
  } else {
    parts = [...sizes];
    const total = parts.reduce((a, b) => a + b, 0);
    if (total !== n || parts.some((p) => !Number.isInteger(p) || p < 0)) {
      throw new ValueError(`split: sizes ${fmtShape(parts)} must sum to ${n}, the size of axis ${axis} of ${fmtShape(x.shape)}`);
    }
  }
  let start = 0;
  return parts.map((p) => {
    const piece = slice(x, ax, start, start + p);
    start += p;
    return piece;
  });
}
