import { normAxis } from '../../shape.js';

/** Normalised, sorted, de-duplicated axes of `shape` (all axes when undefined), naming the op on error. */
export function reduceAxes(op: string, axis: number | readonly number[] | undefined, shape: readonly number[]): number[] {
  if (axis === undefined) return [...Array(shape.length).keys()];
  const list = typeof axis === 'number' ? [axis] : axis;
  return [...new Set(list.map((a) => normAxis(op, a, shape.length, shape)))].sort((a, b) => a - b);
}

/** The output shape of a reduction over `axes`. */
export function reducedShape(shape: readonly number[], axes: readonly number[], keepDims: boolean): number[] {
  const out: number[] = [];
  shape.forEach((d, i) => {
    if (!axes.includes(i)) out.push(d);
    else if (keepDims) out.push(1);
  });
  return out;
}
