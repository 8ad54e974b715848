import { StateDictError, ValueError } from '../errors.js';
import type { Optimizer } from './optimizer.js';

/** Serialised scheduler state (JSON-safe): the step count and the base learning rates. */
export interface LRSchedulerState {
  /** Scheduler class name; loading into another scheduler is an error. */
  scheduler: string;
  /** Number of {@link LRScheduler.step} calls so far. */
  lastEpoch: number;
  /** Learning rate of every parameter group when the scheduler was created. */
  baseLrs: number[];
}

/**
 * Base class of the learning-rate schedulers. The rate of group k after t calls of {@link LRScheduler.step} is the
 * closed form `lrAt(t, baseLrs[k], k)` (PyTorch's `_get_closed_form_lr`), written into `paramGroups[k].lr`;
 * the constructor applies t = 0. Call `scheduler.step()` after `optimizer.step()`.
 */
export abstract class LRScheduler {
  /** The optimizer whose learning rates this scheduler writes. */
  readonly optimizer: Optimizer;
  /** Learning rate of every parameter group at construction. */
  baseLrs: number[];
  /** Number of {@link LRScheduler.step} calls so far. */
  lastEpoch = 0;

  /** @param optimizer The optimizer to drive; its current learning rates become the base rates. */
  constructor(optimizer: Optimizer) {
    this.optimizer = optimizer;
    this.baseLrs = optimizer.paramGroups.map((g) => g.lr);
  }

  /** Class name used in error messages and state. */
  abstract get name(): string;

  /** The learning rate of parameter group `group` (base rate `base`) after `t` steps. */
  abstract lrAt(t: number, base: number, group: number): number;

  /** Advances one step and writes the new learning rates into the optimizer. */
  step(): void {
    this.lastEpoch++;
    this.apply();
  }

  /** The learning rate of every parameter group as last set. */
  getLastLr(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** A JSON-safe snapshot; restoring it with {@link LRScheduler.loadStateDict} resumes the schedule. */
  stateDict(): LRSchedulerState {
    return { scheduler: this.name, lastEpoch: this.lastEpoch, baseLrs: [...this.baseLrs] };
  }

  /** Restores a {@link LRScheduler.stateDict} snapshot and writes the matching learning rates. */
  loadStateDict(state: LRSchedulerState): void {
    if (state.scheduler !== this.name) {
      throw new StateDictError(`${this.name}.loadStateDict: the state belongs to ${state.scheduler}`);
    }
    const groups = this.optimizer.paramGroups.length;
    if (state.baseLrs.length !== groups) {
      throw new StateDictError(
        `${this.name}.loadStateDict: ${state.baseLrs.length} base learning rates for ${groups} param groups`,
      );
    }
    if (!Number.isInteger(state.lastEpoch) || state.lastEpoch < 0) {
      throw new StateDictError(`${this.name}.loadStateDict: lastEpoch must be an integer >= 0, got ${state.lastEpoch}`);
    }
    this.lastEpoch = state.lastEpoch;
    this.baseLrs = [...state.baseLrs];
    this.apply();
  }

  /** Writes the learning rates of step `lastEpoch` into the optimizer. */
  protected apply(): void {
    this.optimizer.paramGroups.forEach((g, k) => {
      g.lr = this.lrAt(this.lastEpoch, this.baseLrs[k]!, k);
    });
  }
}

/** Throws unless `v` is a finite number > 0 (or ≥ 0 when `allowZero`). */
export function checkPositive(scheduler: string, option: string, v: number, allowZero = false): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (v === 0 && !allowZero)) {
    throw new ValueError(`${scheduler}: ${option} must be a finite number ${allowZero ? '>=' : '>'} 0, got ${v}`);
  }
}

/** Throws unless `v` is an integer ≥ 1. */
export function checkPositiveInt(scheduler: string, option: string, v: number): void {
  if (!Number.isInteger(v) || v < 1) throw new ValueError(`${scheduler}: ${option} must be an integer >= 1, got ${v}`);
}
