import { ShapeError, type Tensor, ValueError, fmtShape, slice } from '@elman/core';

/** Rows `offset … offset+T−1` of a `[maxLength, d]` table for `x [B, T, d]`, with shape and range checks. */
export function positionRows(op: string, table: Tensor, x: Tensor, offset: number): Tensor {
  const [maxLength, d] = table.shape as [number, number];
  if (x.rank !== 3 || x.shape[2] !== d) throw new ShapeError(`${op}: input must be [B, T, dModel=${d}], got ${fmtShape(x.shape)}`);
  const T = x.shape[1]!;
  if (!(Number.isInteger(offset) && offset >= 0) || offset + T > maxLength) {
    throw new ValueError(`${op}: positions ${offset}…${offset + T - 1} exceed maxLength ${maxLength} (input ${fmtShape(x.shape)}, offset ${offset})`);
  }
  return slice(table, 0, offset, offset + T); // [T, d]
}
