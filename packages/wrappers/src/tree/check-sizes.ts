import { ValueError } from '@elman/core';

/** Throws a `ValueError` naming the op unless every listed size is a positive integer. */
export function checkSizes(op: string, sizes: Record<string, number>): void {
  for (const [name, v] of Object.entries(sizes)) {
    if (!(Number.isInteger(v) && v > 0)) throw new ValueError(`${op}: ${name} must be a positive integer, got ${v}`);
  }
}
