import type { AnyArray } from '../backend.js';

/** `out[i] = cond[i] ? a[i] : b[i]`. */
export function where(cond: Int32Array, a: AnyArray, b: AnyArray, out: AnyArray): void {
  for (let i = 0; i < out.length; i++) out[i] = cond[i] ? a[i]! : b[i]!;
}
