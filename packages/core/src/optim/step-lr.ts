import type { Optimizer } from './optimizer.js';
import { LRScheduler, checkPositive, checkPositiveInt } from './lr-scheduler.js';

/** Options of {@link StepLR}. */
export interface StepLROptions {
  /** Steps between decays. */
  stepSize: number;
  /** Multiplicative decay. Default 0.1. */
  gamma?: number;
}

/**
 * Decays the learning rate by `gamma` every `stepSize` steps: lr = base·γ^⌊t / stepSize⌋ (`torch.optim.lr_scheduler.StepLR`).
 *
 * @example
 * ```ts run
 * import { Linear, SGD, StepLR } from '@elman/core';
 *
 * const opt = new SGD(new Linear(4, 4).parameters(), { lr: 0.1 });
 * const scheduler = new StepLR(opt, { stepSize: 10, gamma: 0.5 }); // halve every 10 epochs
 * for (let epoch = 0; epoch < 30; epoch++) {
 *   // … one epoch of opt.step() calls …
 *   scheduler.step();
 * }
 * console.log(scheduler.getLastLr()); // [0.0125]
 * ```
 */
export class StepLR extends LRScheduler {
  /** Steps between decays. */
  readonly stepSize: number;
  /** Multiplicative decay. */
  readonly gamma: number;

  /**
   * @param optimizer The optimizer to drive.
   * @param options Decay period and factor.
   */
  constructor(optimizer: Optimizer, options: StepLROptions) {
    super(optimizer);
    checkPositiveInt('StepLR', 'stepSize', options.stepSize);
    checkPositive('StepLR', 'gamma', options.gamma ?? 0.1);
    this.stepSize = options.stepSize;
    this.gamma = options.gamma ?? 0.1;
    this.apply();
  }

  /** Class name used in error messages and state. */
  get name(): string {
    return 'StepLR';
  }

  /** base·γ^⌊t / stepSize⌋. */
  lrAt(t: number, base: number): number {
    return base * this.gamma ** Math.floor(t / this.stepSize);
  }
}
