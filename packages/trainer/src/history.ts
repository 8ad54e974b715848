/** Named figures of an epoch: `loss`, training metrics, and `val_loss` / `val_<metric>` after validation. */
export type Logs = Record<string, number>;

/** One epoch in {@link History}. */
export interface EpochLog {
  /** 0-based epoch index. */
  epoch: number;
  /** The epoch's figures (training loss is the mean over its batches, weighted by examples). */
  logs: Logs;
  /** Learning rate of parameter group 0 at the end of the epoch. */
  lr: number;
  /** Wall-clock seconds the epoch took, validation included. */
  seconds: number;
}

/** One optimizer update in {@link History}. */
export interface StepLog {
  /** 0-based global update index (skipped updates count). */
  step: number;
  /** Epoch of the update. */
  epoch: number;
  /** Loss of the update (a TBPTT update covers one window). */
  loss: number;
  /** Learning rate of parameter group 0 used by the update. */
  lr: number;
  /** Global gradient norm before clipping, when `clipGradNorm` is set. */
  gradNorm?: number;
  /** True when the update was skipped because of a non-finite loss or gradient (`onNonFinite: 'skip'`). */
  skipped?: boolean;
}

/** Losses and metrics of a training run, per epoch and per optimizer update. */
export interface History {
  /** One entry per completed epoch. */
  epochs: EpochLog[];
  /** One entry per update. */
  steps: StepLog[];
}
