import { type Module, StateDictError, ValueError } from '@elman/core';
import type { Callback, EpochEndInfo, TrainInfo } from './callbacks.js';

/** Options of {@link EarlyStopping}. */
export interface EarlyStoppingOptions {
  /** The log to watch. Default `'val_loss'`. */
  monitor?: string;
  /** Epochs without improvement before stopping. Default 0 (stop at the first epoch that does not improve). */
  patience?: number;
  /** Smallest change that counts as an improvement. Default 0. */
  minDelta?: number;
  /** `'min'` (losses), `'max'` (accuracies), or `'auto'` (default): `'max'` when the name contains `acc`. */
  mode?: 'min' | 'max' | 'auto';
  /** Put back the weights of the best epoch when training ends. Default false. */
  restoreBest?: boolean;
}

/** Serialised {@link EarlyStopping} progress (JSON-safe; the best weights travel separately as a tensor). */
export interface EarlyStoppingState {
  /** Best monitored value so far (null before the first epoch). */
  best: number | null;
  /** Epoch of the best value (-1 before the first epoch). */
  bestEpoch: number;
  /** Epochs since the last improvement. */
  wait: number;
}

/**
 * Stops training when a monitored figure has not improved for `patience` epochs (Keras' `EarlyStopping`), and
 * optionally restores the weights of the best epoch at the end. `Trainer.fit({earlyStopping})` creates one and
 * keeps its progress in checkpoints.
 *
 * @example
 * ```ts run
 * import { Adam, Linear, mseLoss, randn } from '@elman/core';
 * import { EarlyStopping, Trainer } from '@elman/trainer';
 *
 * const model = new Linear(4, 1);
 * const trainer = new Trainer({ model, optimizer: new Adam(model.parameters(), { lr: 0.05 }), loss: mseLoss, progress: false });
 * const inputs = randn([64, 4]);
 * const data = { inputs, targets: inputs.sum(1, true) };
 * const stop = new EarlyStopping({ monitor: 'val_loss', patience: 3, minDelta: 1e-4, restoreBest: true });
 * const history = await trainer.fit(data, { epochs: 100, batchSize: 16, validation: data, callbacks: [stop] });
 * console.log(history.epochs.length < 100); // true: stopped once val_loss stalled; the best weights are back
 * ```
 */
export class EarlyStopping implements Callback {
  /** The log watched. */
  readonly monitor: string;
  /** Epochs without improvement tolerated. */
  readonly patience: number;
  /** Smallest change that counts as an improvement. */
  readonly minDelta: number;
  /** Whether larger values are better. */
  readonly maximize: boolean;
  /** Whether the best weights are restored at the end. */
  readonly restoreBest: boolean;
  /** Best value so far, epoch and wait counter. */
  state: EarlyStoppingState = { best: null, bestEpoch: -1, wait: 0 };
  /** Parameters (in `model.parameters()` order, concatenated) at the best epoch, when `restoreBest`. */
  bestWeights: Float32Array | null = null;

  /** Validates the options. */
  constructor(options: EarlyStoppingOptions = {}) {
    this.monitor = options.monitor ?? 'val_loss';
    this.patience = options.patience ?? 0;
    this.minDelta = options.minDelta ?? 0;
    this.restoreBest = options.restoreBest ?? false;
    const mode = options.mode ?? 'auto';
    if (mode !== 'min' && mode !== 'max' && mode !== 'auto') {
      throw new ValueError(`EarlyStopping: mode must be 'min', 'max' or 'auto', got '${String(mode)}'`);
    }
    if (!Number.isInteger(this.patience) || this.patience < 0) {
      throw new ValueError(`EarlyStopping: patience must be an integer >= 0, got ${this.patience}`);
    }
    if (!(this.minDelta >= 0)) throw new ValueError(`EarlyStopping: minDelta must be >= 0, got ${this.minDelta}`);
    this.maximize = mode === 'max' || (mode === 'auto' && this.monitor.includes('acc'));
  }

  /** Records the monitored value; asks the trainer to stop once patience runs out. */
  onEpochEnd({ trainer, epoch, logs }: EpochEndInfo): void {
    const value = logs[this.monitor];
    if (value === undefined) {
      throw new ValueError(
        `EarlyStopping: monitor '${this.monitor}' is not among the epoch logs (${Object.keys(logs).join(', ')}); ` +
          'monitoring val_* needs fit({validation})',
      );
    }
    const { best } = this.state;
    const improved =
      best === null || (this.maximize ? value > best + this.minDelta : value < best - this.minDelta);
    if (improved && !Number.isNaN(value)) {
      this.state = { best: value, bestEpoch: epoch, wait: 0 };
      if (this.restoreBest) this.bestWeights = snapshot(trainer.model, this.bestWeights);
    } else {
      this.state = { ...this.state, wait: this.state.wait + 1 };
      if (this.state.wait > this.patience) trainer.stop();
    }
  }

  /** Restores the best weights when asked to. */
  onTrainEnd({ trainer }: TrainInfo): void {
    if (!this.restoreBest || !this.bestWeights) return;
    let offset = 0;
    for (const p of trainer.model.parameters()) {
      p.data.set(this.bestWeights.subarray(offset, offset + p.size));
      offset += p.size;
    }
  }

  /** Restores progress saved in a checkpoint; the best weights must match the model's size. */
  load(state: EarlyStoppingState, bestWeights: Float32Array | null, model: Module): void {
    if (bestWeights && bestWeights.length !== model.numParameters()) {
      throw new StateDictError(
        `EarlyStopping: checkpoint holds ${bestWeights.length} best weights but the model has ${model.numParameters()} parameters`,
      );
    }
    this.state = { ...state };
    this.bestWeights = bestWeights;
  }
}

/** Copies every parameter of `model` into one array (reusing `into` when it has the right size). */
function snapshot(model: Module, into: Float32Array | null): Float32Array {
  const out = into && into.length === model.numParameters() ? into : new Float32Array(model.numParameters());
  let offset = 0;
  for (const p of model.parameters()) {
    out.set(p.data, offset);
    offset += p.size;
  }
  return out;
}
