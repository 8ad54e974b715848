import { record } from '../autograd/record.js';
import { getBackend } from '../backends/registry.js';
import { ValueError } from '../errors.js';
import { div } from '../ops/elementwise/div.js';
import { sum } from '../ops/reduce/sum.js';
import { empty } from '../ops/util.js';
import { splitAt } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { type ClassLossOptions, checkTargets } from './nll-loss.js';
import { reduce } from './reduction.js';

/** Options of {@link crossEntropy}. */
export interface CrossEntropyOptions extends ClassLossOptions {
  /** Label smoothing ε in [0, 1]: the target becomes (1−ε)·onehot + ε/C (Szegedy et al. 2016). Default 0. */
  labelSmoothing?: number;
}

/**
 * Cross-entropy of unnormalised `logits` `[N, C, ...]` (classes on `axis`, default 1 as in PyTorch) against int32
 * class targets, with `ignoreIndex` and label smoothing. One fused backend kernel computes log-softmax and the
 * negative log-likelihood of each position and keeps only its log-sum-exp (not a probability matrix the size of
 * the logits); the backward kernel recomputes the probabilities while it writes the gradient
 * g·(softmax − (1−ε)·onehot − ε/C). The mean is over non-ignored targets, as in PyTorch.
 *
 * @example
 * ```ts run
 * import { crossEntropy, randn, tensor } from '@elman/core';
 *
 * const logits = randn([4, 5], { requiresGrad: true }); // [N, C]
 * const target = tensor([1, 0, 4, -100], [4], { dtype: 'int32' }); // -100: this row is ignored
 * const loss = crossEntropy(logits, target, { ignoreIndex: -100, labelSmoothing: 0.1 }); // mean over 3 rows
 * loss.backward(); // logits.grad: softmax − smoothed one-hot, zero on the ignored row
 *
 * // A sequence model's logits [B, T, V] have the classes last: targets [B, T], axis −1.
 * const seqLoss = crossEntropy(randn([2, 6, 10]), tensor(new Int32Array(12), [2, 6]), { axis: -1 });
 * console.log(loss.item(), seqLoss.item());
 * ```
 */
export function crossEntropy(logits: Tensor, target: Tensor, options: CrossEntropyOptions = {}): Tensor {
  const eps = options.labelSmoothing ?? 0;
  if (!(eps >= 0 && eps <= 1)) throw new ValueError(`crossEntropy: labelSmoothing must be in [0, 1], got ${eps}`);
  const { ax, ignore, count } = checkTargets('crossEntropy', logits, target, options);
  const [outer, C, inner] = splitAt(logits.shape, ax);
  const t = target.data as Int32Array;
  const losses = empty(target.shape); // [N, ...]: one loss per position, 0 where ignored
  const lse = new Float32Array(outer * inner);
  getBackend().crossEntropyForward(logits.data as Float32Array, outer, C, inner, t, ignore, eps, losses.data as Float32Array, lse);
  const out = record('crossEntropy', [logits], losses, { logits, t, lse, outer, C, inner, ignore, eps }, (g, s) => {
    const dx = empty(s.logits.shape); // [N, C, ...]
    const x = s.logits.data as Float32Array;
    getBackend().crossEntropyBackward(x, s.outer, s.C, s.inner, s.t, s.ignore, s.eps, s.lse, g.data as Float32Array, dx.data as Float32Array);
    return [dx];
  });
  const reduction = options.reduction ?? 'mean';
  // All targets ignored: the mean is 0/0 = NaN, as in PyTorch, rather than an invented value.
  return reduction === 'mean' ? div(sum(out), count) : reduce('crossEntropy', out, reduction);
}
