import { Adam, type AdamHyperparameters, type AdamOptions } from './adam.js';
import type { ParamsInput } from './optimizer.js';

/**
 * AdamW, exactly as `torch.optim.AdamW` (lr 1e-3, betas [0.9, 0.999], eps 1e-8, weight decay 1e-2): Adam whose
 * weight decay shrinks the weights (θ ← θ(1 − lr·λ)) before the step instead of adding λθ to the gradient.
 * Loshchilov & Hutter 2019, "Decoupled Weight Decay Regularization".
 *
 * @example
 * ```ts run
 * import { AdamW, Linear, mseLoss, randn } from '@elman/core';
 *
 * const model = new Linear(8, 1);
 * const opt = new AdamW(model.parameters(), { lr: 1e-2, weightDecay: 0.01 }); // decoupled decay, as torch.optim.AdamW
 * const x = randn([32, 8]);
 * for (let step = 0; step < 10; step++) {
 *   opt.zeroGrad();
 *   mseLoss(model.forward(x), x.sum(1, true)).backward();
 *   opt.step();
 * }
 * ```
 */
export class AdamW extends Adam {
  /** Class name used in error messages and state dicts. */
  override get name(): string {
    return 'AdamW';
  }

  protected override get decoupledWeightDecay(): boolean {
    return true;
  }

  /**
   * @param params Parameters or parameter groups (`{params, lr?, weightDecay?, …}`).
   * @param options Default hyperparameters.
   */
  constructor(params: ParamsInput<AdamHyperparameters>, options: AdamOptions = {}) {
    super(params, { ...options, weightDecay: options.weightDecay ?? 1e-2 });
  }
}
