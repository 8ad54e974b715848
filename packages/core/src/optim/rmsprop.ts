import {
  type Hyperparameters,
  Optimizer,
  type ParamGroup,
  type ParamState,
  type ParamsInput,
  buffer,
  checkAtLeast,
  checkBoolean,
} from './optimizer.js';

/** Hyperparameters of {@link RMSprop} (per parameter group). */
export interface RMSpropHyperparameters extends Hyperparameters {
  /** Smoothing constant of the running average of g². Default 0.99. */
  alpha: number;
  /** Added to the denominator for numerical stability. Default 1e-8. */
  eps: number;
  /** L2 penalty added to the gradient. Default 0. */
  weightDecay: number;
  /** Momentum factor. Default 0. */
  momentum: number;
  /** Normalise by an estimate of the gradient's variance instead of its raw second moment. Default false. */
  centered: boolean;
}

/** Options of {@link RMSprop}: defaults for every parameter group. */
export type RMSpropOptions = Partial<RMSpropHyperparameters>;

/**
 * RMSprop, exactly as `torch.optim.RMSprop` (lr 1e-2, alpha 0.99, eps 1e-8): v ← αv + (1 − α)g²;
 * centered: ḡ ← αḡ + (1 − α)g and v − ḡ² replaces v; d = √v + eps; with momentum b ← μb + g/d, θ ← θ − lr·b,
 * else θ ← θ − lr·g/d. Hinton, Lecture 6e of "Neural Networks for Machine Learning" (2012); centered: Graves 2013.
 *
 * @example
 * ```ts run
 * import { Linear, RMSprop, mseLoss, randn } from '@elman/core';
 *
 * const model = new Linear(8, 1);
 * const opt = new RMSprop(model.parameters(), { lr: 1e-3, alpha: 0.9, centered: true }); // Graves 2013's RNN setting
 * const x = randn([32, 8]);
 * opt.zeroGrad();
 * mseLoss(model.forward(x), x.sum(1, true)).backward();
 * opt.step();
 * ```
 */
export class RMSprop extends Optimizer<RMSpropHyperparameters> {
  protected readonly bufferNames = ['square_avg', 'grad_avg', 'momentum_buffer'] as const;

  /** Class name used in error messages and state dicts. */
  get name(): string {
    return 'RMSprop';
  }

  /**
   * @param params Parameters or parameter groups (`{params, lr?, alpha?, …}`).
   * @param options Default hyperparameters.
   */
  constructor(params: ParamsInput<RMSpropHyperparameters>, options: RMSpropOptions = {}) {
    super(params, {
      lr: options.lr ?? 1e-2,
      alpha: options.alpha ?? 0.99,
      eps: options.eps ?? 1e-8,
      weightDecay: options.weightDecay ?? 0,
      momentum: options.momentum ?? 0,
      centered: options.centered ?? false,
    });
  }

  protected validate(h: RMSpropHyperparameters, where: string): void {
    checkAtLeast('RMSprop', 'lr', h.lr, 0, where);
    checkAtLeast('RMSprop', 'alpha', h.alpha, 0, where);
    checkAtLeast('RMSprop', 'eps', h.eps, 0, where);
    checkAtLeast('RMSprop', 'weightDecay', h.weightDecay, 0, where);
    checkAtLeast('RMSprop', 'momentum', h.momentum, 0, where);
    checkBoolean('RMSprop', 'centered', h.centered, where);
  }

  protected update(
    param: Float32Array,
    grad: Float32Array,
    group: ParamGroup<RMSpropHyperparameters>,
    state: ParamState,
  ): void {
    const { lr, alpha, eps, weightDecay: wd, momentum, centered } = group;
    const n = param.length;
    const sq = buffer(state, 'square_avg', n);
    const ga = centered ? buffer(state, 'grad_avg', n) : sq;
    const buf = momentum > 0 ? buffer(state, 'momentum_buffer', n) : sq;
    for (let i = 0; i < n; i++) {
      const p = param[i]!;
      const g = grad[i]! + wd * p;
      const s = alpha * sq[i]! + (1 - alpha) * g * g;
      sq[i] = s;
      let v = s;
      if (centered) {
        const a = ga[i]! + (1 - alpha) * (g - ga[i]!);
        ga[i] = a;
        // s − a² is a variance, ≥ 0 in exact arithmetic; float32 rounding can push it a hair below zero.
        v = Math.max(s - a * a, 0);
      }
      const d = Math.sqrt(v) + eps;
      if (momentum > 0) {
        const b = momentum * buf[i]! + g / d;
        buf[i] = b;
        param[i] = p - lr * b;
      } else {
        param[i] = p - (lr * g) / d;
      }
    }
  }
}
