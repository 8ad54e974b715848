import {
  type Hyperparameters,
  Optimizer,
  type ParamGroup,
  type ParamState,
  type ParamsInput,
  buffer,
  checkAtLeast,
} from './optimizer.js';

/** Hyperparameters of {@link Adagrad} (per parameter group). */
export interface AdagradHyperparameters extends Hyperparameters {
  /** Learning-rate decay: step t uses lr / (1 + (t − 1)·lrDecay). Default 0. */
  lrDecay: number;
  /** L2 penalty added to the gradient. Default 0. */
  weightDecay: number;
  /** Starting value of the sum of squared gradients. Default 0. */
  initialAccumulatorValue: number;
  /** Added to the denominator for numerical stability. Default 1e-10. */
  eps: number;
}

/** Options of {@link Adagrad}: defaults for every parameter group. */
export type AdagradOptions = Partial<AdagradHyperparameters>;

/**
 * Adagrad, exactly as `torch.optim.Adagrad` (lr 1e-2, lrDecay 0, eps 1e-10): s ← s + g²,
 * θ ← θ − lr/(1 + (t − 1)·lrDecay) · g / (√s + eps).
 * Duchi, Hazan & Singer 2011, "Adaptive Subgradient Methods for Online Learning and Stochastic Optimization".
 *
 * @example
 * ```ts run
 * import { Adagrad, Embedding, tensor } from '@elman/core';
 *
 * // Sparse features (rare words) get larger steps: each parameter's rate shrinks with its own accumulated g².
 * const embed = new Embedding(1000, 16);
 * const opt = new Adagrad(embed.parameters(), { lr: 0.1 });
 * opt.zeroGrad();
 * embed.forward(tensor([3, 997], [2], { dtype: 'int32' })).sum().backward();
 * opt.step();
 * ```
 */
export class Adagrad extends Optimizer<AdagradHyperparameters> {
  protected readonly bufferNames = ['sum'] as const;

  /** Class name used in error messages and state dicts. */
  get name(): string {
    return 'Adagrad';
  }

  /**
   * @param params Parameters or parameter groups (`{params, lr?, lrDecay?, …}`).
   * @param options Default hyperparameters.
   */
  constructor(params: ParamsInput<AdagradHyperparameters>, options: AdagradOptions = {}) {
    super(params, {
      lr: options.lr ?? 1e-2,
      lrDecay: options.lrDecay ?? 0,
      weightDecay: options.weightDecay ?? 0,
      initialAccumulatorValue: options.initialAccumulatorValue ?? 0,
      eps: options.eps ?? 1e-10,
    });
  }

  protected validate(h: AdagradHyperparameters, where: string): void {
    checkAtLeast('Adagrad', 'lr', h.lr, 0, where);
    checkAtLeast('Adagrad', 'lrDecay', h.lrDecay, 0, where);
    checkAtLeast('Adagrad', 'weightDecay', h.weightDecay, 0, where);
    checkAtLeast('Adagrad', 'initialAccumulatorValue', h.initialAccumulatorValue, 0, where);
    checkAtLeast('Adagrad', 'eps', h.eps, 0, where);
  }

  protected update(
    param: Float32Array,
    grad: Float32Array,
    group: ParamGroup<AdagradHyperparameters>,
    state: ParamState,
  ): void {
    const { weightDecay: wd, eps } = group;
    const n = param.length;
    const sum = buffer(state, 'sum', n, group.initialAccumulatorValue);
    const clr = group.lr / (1 + (state.step - 1) * group.lrDecay);
    for (let i = 0; i < n; i++) {
      const p = param[i]!;
      const g = grad[i]! + wd * p;
      const s = sum[i]! + g * g;
      sum[i] = s;
      param[i] = p - (clr * g) / (Math.sqrt(s) + eps);
    }
  }
}
