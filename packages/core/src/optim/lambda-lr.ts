import { ValueError } from '../errors.js';
import type { Optimizer } from './optimizer.js';
import { LRScheduler } from './lr-scheduler.js';

/** A learning-rate multiplier as a function of the step count. */
export type LrLambda = (step: number) => number;

/** Options of {@link LambdaLR}. */
export interface LambdaLROptions {
  /** Multiplier of the base rate: one function for every group, or one per parameter group. */
  lrLambda: LrLambda | readonly LrLambda[];
}

/**
 * Sets lr = base·lrLambda(t) (`torch.optim.lr_scheduler.LambdaLR`). The functions are not part of the saved state;
 * recreate the scheduler with the same functions before loading.
 *
 * @example
 * ```ts run
 * import { Adam, LambdaLR, Linear } from '@elman/core';
 *
 * // The transformer schedule of Vaswani et al. 2017: lr ∝ min(step^−0.5, step · warmup^−1.5).
 * const [dModel, warmup] = [512, 4000];
 * const opt = new Adam(new Linear(4, 4).parameters(), { lr: 1, betas: [0.9, 0.98], eps: 1e-9 });
 * const scheduler = new LambdaLR(opt, { lrLambda: (s) => dModel ** -0.5 * Math.min((s + 1) ** -0.5, (s + 1) * warmup ** -1.5) });
 * console.log(scheduler.getLastLr()); // the first step's tiny rate
 * ```
 */
export class LambdaLR extends LRScheduler {
  /** One multiplier function per parameter group. */
  readonly lrLambdas: readonly LrLambda[];

  /**
   * @param optimizer The optimizer to drive.
   * @param options The multiplier function(s).
   */
  constructor(optimizer: Optimizer, options: LambdaLROptions) {
    super(optimizer);
    const groups = optimizer.paramGroups.length;
    const fns = typeof options.lrLambda === 'function' ? new Array<LrLambda>(groups).fill(options.lrLambda) : [...options.lrLambda];
    if (fns.length !== groups || fns.some((f) => typeof f !== 'function')) {
      throw new ValueError(`LambdaLR: lrLambda must be a function or ${groups} functions (one per param group)`);
    }
    this.lrLambdas = fns;
    this.apply();
  }

  /** Class name used in error messages and state. */
  get name(): string {
    return 'LambdaLR';
  }

  /** base·lrLambda_k(t); a non-finite or negative multiplier is a `ValueError`. */
  lrAt(t: number, base: number, group: number): number {
    const f = this.lrLambdas[group]!(t);
    if (!Number.isFinite(f) || f < 0) {
      throw new ValueError(`LambdaLR: lrLambda returned ${f} at step ${t} for param group ${group}`);
    }
    return base * f;
  }
}
