import { StateDictError, ValueError } from '../errors.js';
import type { Optimizer } from './optimizer.js';
import { LRScheduler, type LRSchedulerState, checkPositiveInt } from './lr-scheduler.js';

/** Options of {@link LinearWarmup}. */
export interface LinearWarmupOptions {
  /** Steps over which the rate climbs linearly to the base rate. */
  warmupSteps: number;
  /** Fraction of the base rate at step 0, in [0, 1]. Default 0 (the usual linear warmup from zero). */
  startFactor?: number;
  /** Schedule to follow once warm, run as if it had started at step `warmupSteps` (e.g. a cosine decay). */
  after?: LRScheduler;
}

/** State of {@link LinearWarmup}: its own plus that of the wrapped scheduler. */
export interface LinearWarmupState extends LRSchedulerState {
  /** State of the scheduler that follows the warmup, if any. */
  after?: LRSchedulerState;
}

/**
 * Linear learning-rate warmup: lr = base·(s + (1 − s)·t / N) for t < N (s = `startFactor`), then the base rate, or
 * the wrapped scheduler's rate at step t − N. Warmup counters the unreliable early second-moment estimates of
 * adaptive optimizers (Goyal et al. 2017, "Accurate, Large Minibatch SGD"; Liu et al. 2020, "On the Variance of the
 * Adaptive Learning Rate and Beyond"). `after` must drive the same optimizer and is stepped by this scheduler, not
 * directly.
 *
 * @example
 * ```ts run
 * import { Adam, CosineAnnealingLR, Linear, LinearWarmup } from '@elman/core';
 *
 * const opt = new Adam(new Linear(4, 4).parameters(), { lr: 1e-3 });
 * // 100 steps from 0.1·lr up to lr, then cosine decay over 900 steps: the usual transformer schedule.
 * const schedule = new LinearWarmup(opt, { warmupSteps: 100, startFactor: 0.1, after: new CosineAnnealingLR(opt, { tMax: 900 }) });
 * const lrs: number[] = [];
 * for (let step = 0; step < 1000; step++) {
 *   // … forward, backward, opt.step() …
 *   schedule.step();
 *   lrs.push(schedule.getLastLr()[0]!);
 * }
 * console.log(lrs[0], lrs[99], lrs[999]); // rising, 1e-3 at the peak, ~0 at the end
 * ```
 */
export class LinearWarmup extends LRScheduler {
  /** Steps of the ramp. */
  readonly warmupSteps: number;
  /** Fraction of the base rate at step 0. */
  readonly startFactor: number;
  /** The scheduler that takes over after the warmup. */
  readonly after: LRScheduler | null;

  /**
   * @param optimizer The optimizer to drive.
   * @param options Ramp length, starting fraction and the optional follow-up schedule.
   */
  constructor(optimizer: Optimizer, options: LinearWarmupOptions) {
    super(optimizer);
    checkPositiveInt('LinearWarmup', 'warmupSteps', options.warmupSteps);
    const s = options.startFactor ?? 0;
    if (typeof s !== 'number' || !(s >= 0 && s <= 1)) {
      throw new ValueError(`LinearWarmup: startFactor must be in [0, 1], got ${s}`);
    }
    if (options.after && options.after.optimizer !== optimizer) {
      throw new ValueError(`LinearWarmup: 'after' (${options.after.name}) drives a different optimizer`);
    }
    this.warmupSteps = options.warmupSteps;
    this.startFactor = s;
    this.after = options.after ?? null;
    // The wrapped scheduler was built first and has already set its base rates; both start from the same ones.
    if (this.after) this.baseLrs = [...this.after.baseLrs];
    this.apply();
  }

  /** Class name used in error messages and state. */
  get name(): string {
    return 'LinearWarmup';
  }

  /** The ramp for t < warmupSteps, then the base rate or the wrapped schedule at t − warmupSteps. */
  lrAt(t: number, base: number, group: number): number {
    const n = this.warmupSteps;
    if (t < n) return base * (this.startFactor + ((1 - this.startFactor) * t) / n);
    return this.after ? this.after.lrAt(t - n, this.after.baseLrs[group]!, group) : base;
  }

  /** Advances one step, keeping the wrapped scheduler's counter at t − warmupSteps once it has taken over. */
  override step(): void {
    super.step();
    if (this.after) this.after.lastEpoch = Math.max(0, this.lastEpoch - this.warmupSteps);
  }

  /** A JSON-safe snapshot including the wrapped scheduler's state. */
  override stateDict(): LinearWarmupState {
    const s: LinearWarmupState = super.stateDict();
    if (this.after) s.after = this.after.stateDict();
    return s;
  }

  /** Restores a {@link LinearWarmup.stateDict} snapshot (and the wrapped scheduler's) and writes the rates. */
  override loadStateDict(state: LinearWarmupState): void {
    if (this.after) {
      if (!state.after) throw new StateDictError('LinearWarmup.loadStateDict: the state has no wrapped scheduler state');
      this.after.loadStateDict(state.after);
    }
    super.loadStateDict(state);
  }
}
