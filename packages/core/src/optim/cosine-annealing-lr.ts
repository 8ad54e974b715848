import type { Optimizer } from './optimizer.js';
import { LRScheduler, checkPositive, checkPositiveInt } from './lr-scheduler.js';

/** Options of {@link CosineAnnealingLR}. */
export interface CosineAnnealingLROptions {
  /** Steps of one half cosine period (from the base rate down to `etaMin`). */
  tMax: number;
  /** Minimum learning rate. Default 0. */
  etaMin?: number;
}

/**
 * Cosine annealing without restarts, PyTorch's closed form: lr = ηmin + (base − ηmin)(1 + cos(πt / tMax)) / 2.
 * Past `tMax` the cosine continues (the rate climbs back), as in `torch.optim.lr_scheduler.CosineAnnealingLR`.
 * Loshchilov & Hutter 2017, "SGDR: Stochastic Gradient Descent with Warm Restarts".
 *
 * @example
 * ```ts run
 * import { CosineAnnealingLR, Linear, SGD } from '@elman/core';
 *
 * const opt = new SGD(new Linear(4, 4).parameters(), { lr: 0.1, momentum: 0.9 });
 * const scheduler = new CosineAnnealingLR(opt, { tMax: 50, etaMin: 1e-4 }); // 0.1 → 1e-4 over 50 epochs
 * for (let epoch = 0; epoch < 25; epoch++) scheduler.step(); // after each epoch's optimizer steps
 * console.log(scheduler.getLastLr()); // [≈0.05]: halfway down the cosine
 * ```
 */
export class CosineAnnealingLR extends LRScheduler {
  /** Steps of one half cosine period. */
  readonly tMax: number;
  /** Minimum learning rate. */
  readonly etaMin: number;

  /**
   * @param optimizer The optimizer to drive.
   * @param options Period and floor.
   */
  constructor(optimizer: Optimizer, options: CosineAnnealingLROptions) {
    super(optimizer);
    checkPositiveInt('CosineAnnealingLR', 'tMax', options.tMax);
    checkPositive('CosineAnnealingLR', 'etaMin', options.etaMin ?? 0, true);
    this.tMax = options.tMax;
    this.etaMin = options.etaMin ?? 0;
    this.apply();
  }

  /** Class name used in error messages and state. */
  get name(): string {
    return 'CosineAnnealingLR';
  }

  /** ηmin + (base − ηmin)(1 + cos(πt / tMax)) / 2. */
  lrAt(t: number, base: number): number {
    return this.etaMin + ((base - this.etaMin) * (1 + Math.cos((Math.PI * t) / this.tMax))) / 2;
  }
}
