import type { Optimizer } from './optimizer.js';
import { LRScheduler, checkPositive } from './lr-scheduler.js';

/** Options of {@link ExponentialLR}. */
export interface ExponentialLROptions {
  /** Multiplicative decay per step. */
  gamma: number;
}

/** Decays the learning rate by `gamma` every step: lr = base·γᵗ (`torch.optim.lr_scheduler.ExponentialLR`). */
export class ExponentialLR extends LRScheduler {
  /** Multiplicative decay per step. */
  readonly gamma: number;

  /**
   * @param optimizer The optimizer to drive.
   * @param options The decay factor.
   */
  constructor(optimizer: Optimizer, options: ExponentialLROptions) {
    super(optimizer);
    checkPositive('ExponentialLR', 'gamma', options.gamma);
    this.gamma = options.gamma;
    this.apply();
  }

  /** Class name used in error messages and state. */
  get name(): string {
    return 'ExponentialLR';
  }

  /** base·γᵗ. */
  lrAt(t: number, base: number): number {
    return base * this.gamma ** t;
  }
}
