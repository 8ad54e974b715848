import { getBackend } from '../backends/registry.js';
import { ValueError } from '../errors.js';
import {
  type Hyperparameters,
  Optimizer,
  type ParamGroup,
  type ParamState,
  type ParamsInput,
  buffer,
  checkAtLeast,
  checkBoolean,
  checkUnitInterval,
} from './optimizer.js';

/** Hyperparameters of {@link Adam} and {@link AdamW} (per parameter group). */
export interface AdamHyperparameters extends Hyperparameters {
  /** Decay rates (β₁, β₂) of the first and second moment estimates, each in [0, 1). Default [0.9, 0.999]. */
  betas: readonly [number, number];
  /** Added to the denominator for numerical stability. Default 1e-8. */
  eps: number;
  /** Weight decay: an L2 term in the gradient for Adam (default 0), decoupled shrinkage for AdamW (default 1e-2). */
  weightDecay: number;
  /** Use the running maximum of the second moment (AMSGrad). Default false. */
  amsgrad: boolean;
}

/** Options of {@link Adam} and {@link AdamW}: defaults for every parameter group. */
export type AdamOptions = Partial<AdamHyperparameters>;

/**
 * Adam, exactly as `torch.optim.Adam` (lr 1e-3, betas [0.9, 0.999], eps 1e-8, L2 weight decay 0, optional AMSGrad):
 * m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², θ ← θ − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + eps).
 * Kingma & Ba 2015, "Adam: A Method for Stochastic Optimization"; AMSGrad: Reddi et al. 2018.
 *
 * @example
 * ```ts run
 * import { Adam, Linear, mseLoss, randn } from '@elman/core';
 *
 * const model = new Linear(8, 1);
 * const opt = new Adam(model.parameters(), { lr: 1e-2, betas: [0.9, 0.999], weightDecay: 0 });
 * const x = randn([64, 8]);
 * const y = x.sum(1, true); // [64, 1]: a linear target
 * for (let step = 0; step < 100; step++) {
 *   const loss = mseLoss(model.forward(x), y);
 *   opt.zeroGrad();
 *   loss.backward();
 *   opt.step();
 * }
 * console.log(mseLoss(model.forward(x), y).item()); // well below the first step's loss
 * ```
 */
export class Adam extends Optimizer<AdamHyperparameters> {
  protected readonly bufferNames = ['exp_avg', 'exp_avg_sq', 'max_exp_avg_sq'] as const;

  /** Class name used in error messages and state dicts. */
  get name(): string {
    return 'Adam';
  }

  /** Whether weight decay shrinks the weights directly (AdamW) instead of entering the gradient (Adam). */
  protected get decoupledWeightDecay(): boolean {
    return false;
  }

  /**
   * @param params Parameters or parameter groups (`{params, lr?, betas?, …}`).
   * @param options Default hyperparameters.
   */
  constructor(params: ParamsInput<AdamHyperparameters>, options: AdamOptions = {}) {
    super(params, {
      lr: options.lr ?? 1e-3,
      betas: options.betas ?? [0.9, 0.999],
      eps: options.eps ?? 1e-8,
      weightDecay: options.weightDecay ?? 0,
      amsgrad: options.amsgrad ?? false,
    });
  }

  protected validate(h: AdamHyperparameters, where: string): void {
    const opt = this.name;
    checkAtLeast(opt, 'lr', h.lr, 0, where);
    if (!Array.isArray(h.betas) || h.betas.length !== 2) {
      throw new ValueError(`${opt}: betas must be a pair [beta1, beta2], got ${JSON.stringify(h.betas)}${where}`);
    }
    checkUnitInterval(opt, 'betas[0]', h.betas[0], where);
    checkUnitInterval(opt, 'betas[1]', h.betas[1], where);
    checkAtLeast(opt, 'eps', h.eps, 0, where);
    checkAtLeast(opt, 'weightDecay', h.weightDecay, 0, where);
    checkBoolean(opt, 'amsgrad', h.amsgrad, where);
  }

  protected update(param: Float32Array, grad: Float32Array, group: ParamGroup<AdamHyperparameters>, state: ParamState): void {
    const { lr, eps, amsgrad } = group;
    const [beta1, beta2] = group.betas;
    const n = param.length;
    const decoupled = this.decoupledWeightDecay;
    // The per-element pass is a backend kernel (one SIMD pass in wasm); the bias corrections are per step.
    getBackend().adamUpdate({
      param,
      grad,
      expAvg: buffer(state, 'exp_avg', n),
      expAvgSq: buffer(state, 'exp_avg_sq', n),
      maxExpAvgSq: amsgrad ? buffer(state, 'max_exp_avg_sq', n) : null,
      beta1,
      beta2,
      eps,
      stepSize: lr / (1 - beta1 ** state.step),
      // √v/√(1 − β₂ᵗ) as √v·(1/√(1 − β₂ᵗ)): one division per element instead of two (the update is divide-bound).
      invBiasCorrection2Sqrt: 1 / Math.sqrt(1 - beta2 ** state.step),
      weightDecay: decoupled ? 0 : group.weightDecay,
      shrink: decoupled ? 1 - lr * group.weightDecay : 1,
    });
  }
}
