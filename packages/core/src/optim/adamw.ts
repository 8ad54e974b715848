import { Adam, type AdamHyperparameters, type AdamOptions } from './adam.js';
import type { ParamsInput } from './optimizer.js';

/**
 * AdamW, exactly as `torch.optim.AdamW` (lr 1e-3, betas [0.9, 0.999], eps 1e-8, weight decay 1e-2): Adam whose
 * weight decay shrinks the weights (θ ← θ(1 − lr·λ)) before the step instead of adding λθ to the gradient.
 * Loshchilov & Hutter 2019, "Decoupled Weight Decay Regularization".
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
