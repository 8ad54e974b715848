import { ShapeError, fmtShape } from '../errors.js';
import { add } from '../ops/elementwise/add.js';
import { mul } from '../ops/elementwise/mul.js';
import { neg } from '../ops/elementwise/neg.js';
import { softplus } from '../ops/elementwise/softplus.js';
import { sub } from '../ops/elementwise/sub.js';
import { checkFloat } from '../ops/util.js';
import { sameShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { type LossOptions, reduce } from './reduction.js';

/** Options of {@link bceWithLogits}. */
export interface BceOptions extends LossOptions {
  /** Weight of positive examples, broadcast over the last axis (PyTorch's `pos_weight`). */
  posWeight?: Tensor;
}

/**
 * Binary cross-entropy on logits, stable for large |x|: (1−y)·x + (1 + (w−1)·y)·softplus(−x), which is
 * softplus(x) − x·y when w = 1. Targets are float probabilities in [0, 1].
 *
 * @example
 * ```ts run
 * import { bceWithLogits, tensor } from '@elman/core';
 *
 * const logits = tensor([[2.0, -1.0], [0.5, 0.0]], undefined, { requiresGrad: true }); // [N, labels]: multi-label
 * const targets = tensor([[1, 0], [0, 1]]); // float 0/1 per label
 * const loss = bceWithLogits(logits, targets, { posWeight: tensor([1, 3]) }); // rare label 1 weighs 3× when positive
 * loss.backward();
 * console.log(loss.item());
 * ```
 */
export function bceWithLogits(logits: Tensor, target: Tensor, options: BceOptions = {}): Tensor {
  checkFloat('bceWithLogits', 'input', logits);
  checkFloat('bceWithLogits', 'target', target);
  if (!sameShape(logits.shape, target.shape)) {
    throw new ShapeError(`bceWithLogits: input is ${fmtShape(logits.shape)} but target is ${fmtShape(target.shape)}`);
  }
  const w = options.posWeight;
  const losses = w
    ? add(mul(sub(1, target), logits), mul(add(1, mul(sub(w, 1), target)), softplus(neg(logits))))
    : sub(softplus(logits), mul(logits, target));
  return reduce('bceWithLogits', losses, options.reduction);
}
