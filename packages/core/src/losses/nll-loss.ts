import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { cast } from '../ops/elementwise/cast.js';
import { ne } from '../ops/elementwise/compare.js';
import { mul } from '../ops/elementwise/mul.js';
import { neg } from '../ops/elementwise/neg.js';
import { where } from '../ops/elementwise/where.js';
import { sum } from '../ops/reduce/sum.js';
import { gather } from '../ops/shape/gather.js';
import { squeeze, unsqueeze } from '../ops/shape/reshape.js';
import { div } from '../ops/elementwise/div.js';
import { checkFloat } from '../ops/util.js';
import { normAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import type { LossOptions } from './reduction.js';
import { reduce } from './reduction.js';

/** Options of the classification losses. */
export interface ClassLossOptions extends LossOptions {
  /** Target value that contributes neither loss nor gradient (PyTorch default −100). */
  ignoreIndex?: number;
  /** Axis of the classes in the input; PyTorch's convention is 1 (`[N, C, ...]`); use −1 for `[B, T, V]`. */
  axis?: number;
}

/**
 * Negative log-likelihood of log-probabilities `[N, C, ...]` for int32 targets `[N, ...]`. The mean is over
 * non-ignored targets, as in PyTorch.
 */
export function nllLoss(logProbs: Tensor, target: Tensor, options: ClassLossOptions = {}): Tensor {
  const { valid, picked } = pickTargets('nllLoss', logProbs, target, options);
  return reduceMasked('nllLoss', neg(picked), valid, options);
}

/** Shared by nllLoss: checks shapes, gathers `logProbs` at the targets (0 where ignored). */
export function pickTargets(
  op: string,
  logProbs: Tensor,
  target: Tensor,
  options: ClassLossOptions,
): { ax: number; valid: Tensor; picked: Tensor } {
  const { ax, ignore } = checkTargets(op, logProbs, target, options);
  const valid = ne(target, ignore); // int32 [N, ...]
  const safe = where(valid, target, 0);
  const picked = squeeze(gather(logProbs, ax, unsqueeze(safe, ax)), ax);
  return { ax, valid, picked: mul(picked, cast(valid, 'float32')) };
}

/**
 * Shared by nllLoss and crossEntropy: checks the input's dtype, the class axis, the target's dtype and shape, and
 * that every non-ignored target is a class index. Returns the class axis, the ignore value and the number of
 * non-ignored targets.
 */
export function checkTargets(
  op: string,
  logProbs: Tensor,
  target: Tensor,
  options: ClassLossOptions,
): { ax: number; ignore: number; count: number } {
  checkFloat(op, 'input', logProbs);
  if (target.dtype !== 'int32') throw new DTypeError(`${op}: target must be int32 class indices, got ${target.dtype} ${fmtShape(target.shape)}`);
  if (logProbs.rank === 0) throw new ShapeError(`${op}: input must have a class axis, got a scalar`);
  const ax = normAxis(op, options.axis ?? (logProbs.rank === 1 ? 0 : 1), logProbs.rank, logProbs.shape);
  const expected = logProbs.shape.filter((_, i) => i !== ax);
  if (target.rank !== expected.length || target.shape.some((d, i) => d !== expected[i])) {
    throw new ShapeError(
      `${op}: target ${fmtShape(target.shape)} must be ${fmtShape(expected)} for input ${fmtShape(logProbs.shape)} (classes on axis ${ax})`,
    );
  }
  const ignore = options.ignoreIndex ?? -100;
  const C = logProbs.shape[ax]!;
  const t = target.data as Int32Array;
  let count = 0;
  for (let i = 0; i < t.length; i++) {
    const v = t[i]!;
    if (v === ignore) continue;
    if (v < 0 || v >= C) {
      throw new ValueError(`${op}: target ${v} is out of range for ${C} classes (input ${fmtShape(logProbs.shape)})`);
    }
    count++;
  }
  return { ax, ignore, count };
}

/** Reduces per-target losses, averaging only over valid (non-ignored) targets for `mean`. */
export function reduceMasked(op: string, losses: Tensor, valid: Tensor, options: LossOptions): Tensor {
  if ((options.reduction ?? 'mean') !== 'mean') return reduce(op, losses, options.reduction);
  const count = sum(valid).item();
  // All targets ignored: PyTorch returns NaN (0/0); we do the same rather than invent a value.
  return div(sum(losses), count);
}
