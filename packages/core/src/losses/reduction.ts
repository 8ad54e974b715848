import { ValueError } from '../errors.js';
import { mean } from '../ops/reduce/mean.js';
import { sum } from '../ops/reduce/sum.js';
import type { Tensor } from '../tensor.js';

/** How a loss combines per-element values: PyTorch's `reduction`. */
export type Reduction = 'mean' | 'sum' | 'none';

/** Options every loss accepts. */
export interface LossOptions {
  /** `mean` (default), `sum`, or `none` (per-element losses). */
  reduction?: Reduction;
}

/** Applies a reduction, naming the loss on a bad value. */
export function reduce(op: string, losses: Tensor, reduction: Reduction = 'mean'): Tensor {
  switch (reduction) {
    case 'mean':
      return mean(losses);
    case 'sum':
      return sum(losses);
    case 'none':
      return losses;
    default:
      throw new ValueError(`${op}: reduction must be 'mean', 'sum' or 'none', got '${String(reduction)}'`);
  }
}
