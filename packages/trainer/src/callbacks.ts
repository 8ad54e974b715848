import type { History, Logs } from './history.js';
import type { Trainer } from './trainer.js';

/** Passed to {@link Callback.onTrainBegin} and {@link Callback.onTrainEnd}. */
export interface TrainInfo {
  /** The trainer running the fit (call `trainer.stop()` to end after the current epoch). */
  trainer: Trainer;
  /** The epoch the run starts at (0, or the resumed epoch). */
  initialEpoch: number;
  /** Epochs to reach in total. */
  epochs: number;
  /** The run's history so far. */
  history: History;
}

/** Passed to {@link Callback.onEpochBegin}. */
export interface EpochInfo {
  /** The trainer running the fit. */
  trainer: Trainer;
  /** 0-based epoch index. */
  epoch: number;
  /** Epochs to reach in total. */
  epochs: number;
  /** Batches in this epoch when known in advance. */
  numBatches: number | undefined;
}

/** Passed to {@link Callback.onEpochEnd}. */
export interface EpochEndInfo extends EpochInfo {
  /** The epoch's figures (`loss`, metrics, `val_*`). */
  logs: Logs;
}

/** Passed to {@link Callback.onBatchBegin}. */
export interface BatchInfo {
  /** The trainer running the fit. */
  trainer: Trainer;
  /** 0-based epoch index. */
  epoch: number;
  /** Epochs to reach in total. */
  epochs: number;
  /** 0-based batch index within the epoch. */
  batch: number;
  /** Examples in the batch. */
  size: number;
  /** Batches in this epoch when known in advance. */
  numBatches: number | undefined;
}

/** Passed to {@link Callback.onBatchEnd}. */
export interface BatchEndInfo extends BatchInfo {
  /** The batch's loss (mean over its TBPTT updates; NaN when every update was skipped). */
  loss: number;
  /** Optimizer updates done so far in total. */
  step: number;
}

/**
 * Hooks into `Trainer.fit`, Keras-style; every method is optional and may be async (the trainer awaits it).
 * Callbacks run in the order given, before the built-in early stopping and progress display.
 */
export interface Callback {
  /** Before the first epoch. */
  onTrainBegin?(info: TrainInfo): void | Promise<void>;
  /** After the last epoch (also after an early stop). */
  onTrainEnd?(info: TrainInfo): void | Promise<void>;
  /** Before an epoch's first batch. */
  onEpochBegin?(info: EpochInfo): void | Promise<void>;
  /** After an epoch's validation, with its logs. */
  onEpochEnd?(info: EpochEndInfo): void | Promise<void>;
  /** Before a batch's first update. */
  onBatchBegin?(info: BatchInfo): void | Promise<void>;
  /** After a batch's last update. */
  onBatchEnd?(info: BatchEndInfo): void | Promise<void>;
}

/** Runs one hook of every callback in order, awaiting each. */
export async function runCallbacks<K extends keyof Callback>(
  callbacks: readonly Callback[],
  hook: K,
  info: Parameters<NonNullable<Callback[K]>>[0],
): Promise<void> {
  for (const cb of callbacks) {
    const fn = cb[hook] as ((i: typeof info) => void | Promise<void>) | undefined;
    if (fn) await fn.call(cb, info);
  }
}
