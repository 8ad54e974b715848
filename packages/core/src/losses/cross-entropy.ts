import { ValueError } from '../errors.js';
import { add } from '../ops/elementwise/add.js';
import { cast } from '../ops/elementwise/cast.js';
import { mul } from '../ops/elementwise/mul.js';
import { neg } from '../ops/elementwise/neg.js';
import { logSoftmax } from '../ops/nn/softmax.js';
import { mean } from '../ops/reduce/mean.js';
import { normAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { type ClassLossOptions, pickTargets, reduceMasked } from './nll-loss.js';

/** Options of {@link crossEntropy}. */
export interface CrossEntropyOptions extends ClassLossOptions {
  /** Label smoothing ε in [0, 1]: the target becomes (1−ε)·onehot + ε/C (Szegedy et al. 2016). Default 0. */
  labelSmoothing?: number;
}

/**
 * Cross-entropy of unnormalised `logits` `[N, C, ...]` (classes on `axis`, default 1 as in PyTorch) against int32
 * class targets, with `ignoreIndex` and label smoothing: log-softmax then negative log-likelihood, composed so the
 * gradient is softmax − target.
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
  const ax = normAxis('crossEntropy', options.axis ?? (logits.rank === 1 ? 0 : 1), logits.rank, logits.shape);
  const logp = logSoftmax(logits, ax);
  const { valid, picked } = pickTargets('crossEntropy', logp, target, { ...options, axis: ax });
  let losses = neg(picked);
  if (eps > 0) {
    // Smoothing term: −ε/C Σ_c log p_c = −ε · mean_c log p_c, zero on ignored targets.
    const smooth = mul(mean(logp, ax), cast(valid, 'float32'));
    losses = add(mul(losses, 1 - eps), mul(smooth, -eps));
  }
  return reduceMasked('crossEntropy', losses, valid, options);
}
