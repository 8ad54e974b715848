import {
  Generator,
  type LRScheduler,
  type Module,
  type Optimizer,
  type OptimizerMeta,
  type Parameter,
  ShapeError,
  StateDictError,
  Tensor,
  ValueError,
  clipGradNorm,
  clipGradValue,
  concat,
  defaultGenerator,
  fmtShape,
  noGrad,
  slice,
} from '@elman/core';
import { type Callback, runCallbacks } from './callbacks.js';
import { CHECKPOINT_FORMAT, CHECKPOINT_KEY, type CheckpointStore, type TrainingCheckpoint } from './checkpoint.js';
import { batchIterator, datasetSize } from './data/batch-iterator.js';
import { collate } from './data/collate.js';
import {
  type Batch,
  type Dataset,
  type Example,
  type TensorDataset,
  isBatchedDataset,
  isTensorDataset,
} from './data/dataset.js';
import { EarlyStopping, type EarlyStoppingOptions, type EarlyStoppingState } from './early-stopping.js';
import { NonFiniteError } from './errors.js';
import {
  type StepContext,
  forwardBackward,
  lossWeight,
  masksPadding,
  runModel,
  tbpttSteps,
  validSteps,
} from './gradient-step.js';
import type { GradientWorkers } from './gradient-workers.js';
import type { EpochLog, History, Logs, StepLog } from './history.js';
import { type Metric, type MetricFn, metricFromFunction } from './metrics/metric.js';
import { type ForwardFn, type LossFn, defaultForward } from './model.js';
import { type ProgressMode, type ProgressOptions, type ProgressReporter, progressReporter } from './progress.js';
import type { RecurrentState } from './recurrent-state.js';
import { mixSeed } from './seeds.js';
import { type TbpttOptions, checkTbptt, planTbptt } from './tbptt.js';

/** Options of {@link Trainer}. */
export interface TrainerOptions {
  /** The model to train. Its parameters must include every parameter of `optimizer`. */
  model: Module;
  /** Updates the parameters from their gradients. */
  optimizer: Optimizer;
  /** Training loss, a mean over examples (see {@link LossFn}); also reported by `evaluate`. */
  loss: LossFn;
  /** How to call the model; default `model.forward(input)` (see {@link ForwardFn}). */
  forward?: ForwardFn;
  /**
   * Metrics by name, computed on training batches (main-thread training only) and by `evaluate` / validation
   * (reported as `val_<name>`). A function is averaged over batches weighted by batch size.
   */
  metrics?: Record<string, Metric | MetricFn>;
  /** Learning-rate scheduler, stepped after every epoch or every update (`schedulerInterval`). */
  scheduler?: LRScheduler;
  /** When the scheduler steps: `'epoch'` (default) or `'step'` (after every optimizer update). */
  schedulerInterval?: 'epoch' | 'step';
  /** Rescale gradients so that their global 2-norm is at most this (`clipGradNorm`, Pascanu et al. 2013). */
  clipGradNorm?: number;
  /** Clamp every gradient element into [−v, v] (`clipGradValue`); applied before `clipGradNorm`. */
  clipGradValue?: number;
  /**
   * Truncated BPTT for recurrent models on long sequences ({@link TbpttOptions}). Inputs and targets are then
   * `[B, T, ...]`, and the model follows the recurrent contract `forward(x [B, t, X], {state}) → {output
   * [B, t, ...], state}`. The state starts from zeros at every batch (a batch holds whole sequences), is carried
   * from one window to the next detached, and the optimizer steps after every window.
   */
  tbptt?: TbpttOptions;
  /**
   * Exclude padded steps from the loss (default true). For a batch with `lengths` (right-padded sequences) and
   * per-step targets `[B, T, ...]`, the loss receives only the valid steps, flattened to `[N, ...]` (as PyTorch's
   * packed-sequence `.data`), so a mean loss averages over real steps; under truncated BPTT the schedule ends at
   * the longest sequence, and each sequence's state is carried only through its own valid steps. Targets without
   * a time axis (one label per sequence) are never masked.
   */
  maskPadding?: boolean;
  /**
   * What to do when an update's loss or gradient is NaN or infinite: `'error'` (default) throws
   * {@link NonFiniteError} before the optimizer touches the weights; `'skip'` drops the update and goes on.
   */
  onNonFinite?: 'error' | 'skip';
  /**
   * Data-parallel gradient workers (`new WorkerPool(...)` from `@elman/trainer/node`): each batch is split across
   * them and the main thread reduces, clips and steps. Without it everything runs on the calling thread.
   */
  workers?: GradientWorkers;
  /**
   * Seed of the trainer's random streams (shuffling; per-shard dropout streams in workers). Default: drawn from the
   * global generator, so `manualSeed(n)` before creating the trainer makes the whole run reproducible.
   */
  seed?: number;
  /** Progress display: `'auto'` / `true` (default), `false`, a mode, or {@link ProgressOptions}. */
  progress?: boolean | ProgressMode | 'auto' | ProgressOptions;
}

/** Options of {@link Trainer.fit}. */
export interface FitOptions {
  /**
   * Train until this many epochs are complete in total (default 1): a resumed run, or a second `fit` on the same
   * trainer, counts the epochs already done.
   */
  epochs?: number;
  /** Examples per batch for in-memory and streamed data (default 32); must not exceed an in-memory dataset. */
  batchSize?: number;
  /** Reshuffle in-memory data every epoch (default true). Streams and batched datasets keep their own order. */
  shuffle?: boolean;
  /** Skip a last batch smaller than `batchSize` (in-memory data). Default false. */
  dropLast?: boolean;
  /** Data evaluated after every epoch; its figures enter the logs as `val_loss`, `val_<metric>`. */
  validation?: Dataset;
  /** Batch size of the validation pass. Default `batchSize`. */
  validationBatchSize?: number;
  /** Hooks called during training. */
  callbacks?: Callback[];
  /** Stop when a monitored log stops improving ({@link EarlyStoppingOptions}); its progress is checkpointed. */
  earlyStopping?: EarlyStoppingOptions;
  /** Where to save a checkpoint after every epoch (e.g. `CheckpointManager` from `@elman/trainer/node`). */
  checkpoint?: CheckpointStore;
  /**
   * Continue a run: a checkpoint, or `true` for the latest one in `checkpoint` (starting fresh when it has none).
   * Model, optimizer, scheduler, RNG streams, epoch, step and history are restored, so the run continues exactly
   * as if it had not stopped.
   */
  resume?: boolean | TrainingCheckpoint;
}

/** Options of {@link Trainer.evaluate} and {@link Trainer.predict}. */
export interface EvaluateOptions {
  /** Examples per batch (default 32). */
  batchSize?: number;
}

/** What {@link Trainer.trainOnBatch} returns. */
export interface BatchResult {
  /** Mean loss of the batch's updates (weighted by the time steps each covers); NaN when all were skipped. */
  loss: number;
  /** Optimizer updates attempted (1, or the number of TBPTT windows). */
  updates: number;
  /** Updates skipped for a non-finite loss or gradient. */
  skipped: number;
}

/** The JSON half of a {@link TrainingCheckpoint}. */
interface CheckpointMeta {
  format: string;
  epoch: number;
  step: number;
  seed: number;
  generator: (number | null)[];
  globalGenerator: (number | null)[];
  optimizer: OptimizerMeta;
  scheduler: ReturnType<LRScheduler['stateDict']> | null;
  earlyStopping: EarlyStoppingState | null;
  history: History;
}

/** Per-epoch batches of a dataset, with their count when known in advance. */
interface BatchSource {
  numBatches: number | undefined;
  batches(epoch: number): Iterable<Batch> | AsyncIterable<Batch>;
}

interface SourceOptions {
  batchSize: number;
  shuffle: boolean;
  /** Whether `shuffle` was given explicitly (an error for data that keeps its own order). */
  shuffleGiven: boolean;
  dropLast: boolean;
  /** Training data must hold at least one full batch. */
  training: boolean;
}

/**
 * Trains a model: `fit` over epochs of batches with validation, metrics, callbacks, early stopping, checkpoints and
 * a progress display; `evaluate` and `predict`; truncated BPTT for recurrent models; gradient clipping;
 * non-finite-loss guards; and, with `workers`, data-parallel gradients across threads.
 *
 * @example
 * ```ts run
 * import { Adam, Linear, Sequential, Tanh, Tensor, mseLoss } from '@elman/core';
 * import { Trainer, chronologicalSplit, rootMeanSquaredError, slidingWindows } from '@elman/trainer';
 *
 * const series = new Tensor(Float32Array.from({ length: 600 }, (_, t) => Math.sin((2 * Math.PI * t) / 25)), [600]);
 * const { train, validation } = chronologicalSplit(series, { train: 0.8, validation: 0.2, overlap: 14 });
 * const model = new Sequential(new Linear(14, 32), new Tanh(), new Linear(32, 1));
 * const trainer = new Trainer({
 *   model,
 *   optimizer: new Adam(model.parameters(), { lr: 3e-3 }),
 *   loss: mseLoss,
 *   metrics: { rmse: rootMeanSquaredError() },
 *   seed: 0,
 *   progress: false, // a progress bar on a TTY, plain lines otherwise, when true
 * });
 * const history = await trainer.fit(slidingWindows(train, { window: 14 }), {
 *   epochs: 5,
 *   batchSize: 32,
 *   validation: slidingWindows(validation, { window: 14 }), // inputs [N, 14], targets [N, 1]
 *   earlyStopping: { monitor: 'val_loss', patience: 2 },
 * });
 * console.log(history.epochs.map((e) => e.logs.val_rmse?.toFixed(3))); // validation RMSE per epoch, e.g. 0.069 → 0.014
 * ```
 */
export class Trainer {
  /** The model being trained. */
  readonly model: Module;
  /** Its optimizer. */
  readonly optimizer: Optimizer;
  /** The training loss. */
  readonly loss: LossFn;
  /** How the model is called. */
  readonly forward: ForwardFn;
  /** Learning-rate scheduler, if any. */
  readonly scheduler: LRScheduler | undefined;
  /** When the scheduler steps. */
  readonly schedulerInterval: 'epoch' | 'step';
  /** Truncated-BPTT schedule, if any. */
  readonly tbptt: TbpttOptions | undefined;
  /** Data-parallel workers, if any. */
  readonly workers: GradientWorkers | undefined;
  /** Non-finite loss policy. */
  readonly onNonFinite: 'error' | 'skip';
  /** Whether padded steps are excluded from the loss (see {@link TrainerOptions.maskPadding}). */
  readonly maskPadding: boolean;
  /** Losses and metrics per epoch and per update (restored by `resume`). */
  history: History = { epochs: [], steps: [] };
  /** Epochs completed. */
  epoch = 0;
  /** Optimizer updates attempted (skipped ones included). */
  step = 0;
  #seed: number;
  readonly #generator: Generator;
  readonly #metrics: [string, Metric][];
  readonly #clipNorm: number | undefined;
  readonly #clipValue: number | undefined;
  readonly #progress: ProgressReporter;
  readonly #ctx: StepContext;
  #params: Parameter[] = [];
  #gradSlab: Float32Array | null = null;
  #stopRequested = false;
  #running = false;
  #earlyStopping: EarlyStopping | undefined;
  #restoredEarlyStopping: { state: EarlyStoppingState; best: Float32Array | null } | null = null;
  /** Arrays of examples already stacked into tensors (validation data is batched every epoch). */
  readonly #stacked = new WeakMap<readonly Example[], TensorDataset>();

  /** Validates the options; nothing runs until `fit`, `trainOnBatch`, `evaluate` or `predict`. */
  constructor(options: TrainerOptions) {
    const { model, optimizer, loss } = options;
    if (typeof model?.parameters !== 'function') throw new ValueError('Trainer: model must be a Module');
    if (typeof optimizer?.step !== 'function') throw new ValueError('Trainer: optimizer must be an Optimizer');
    if (typeof loss !== 'function') throw new ValueError('Trainer: loss must be a function (output, target) => Tensor');
    const own = new Set<Tensor>(model.parameters());
    const foreign = optimizer.paramGroups.flatMap((g) => g.params).filter((p) => !own.has(p));
    if (foreign.length > 0) {
      throw new ValueError(
        `Trainer: the optimizer holds ${foreign.length} parameter(s) that are not the model's (first: ${fmtShape(foreign[0]!.shape)}); ` +
          'build it from model.parameters()',
      );
    }
    this.model = model;
    this.optimizer = optimizer;
    this.loss = loss;
    this.forward = options.forward ?? defaultForward;
    this.scheduler = options.scheduler;
    this.schedulerInterval = oneOf('schedulerInterval', options.schedulerInterval ?? 'epoch', ['epoch', 'step']);
    this.onNonFinite = oneOf('onNonFinite', options.onNonFinite ?? 'error', ['error', 'skip']);
    if (options.tbptt) checkTbptt('Trainer', options.tbptt);
    this.tbptt = options.tbptt ? { ...options.tbptt } : undefined;
    this.workers = options.workers;
    this.maskPadding = options.maskPadding ?? true;
    if (typeof this.maskPadding !== 'boolean') throw new ValueError(`Trainer: maskPadding must be a boolean, got ${String(this.maskPadding)}`);
    this.#clipNorm = positive('clipGradNorm', options.clipGradNorm);
    this.#clipValue = positive('clipGradValue', options.clipGradValue);
    const seed = options.seed ?? defaultGenerator.nextUint32();
    if (!Number.isFinite(seed)) throw new ValueError(`Trainer: seed must be a finite number, got ${seed}`);
    this.#seed = seed;
    this.#generator = new Generator(seed);
    this.#metrics = Object.entries(options.metrics ?? {}).map(([name, m]) => [
      name,
      typeof m === 'function' ? metricFromFunction(m) : m,
    ]);
    this.#progress = progressReporter(options.progress);
    this.#ctx = { model, forward: this.forward, loss, maskPadding: this.maskPadding };
  }

  /** Seed of the trainer's random streams (from the options, or from a resumed checkpoint). */
  get seed(): number {
    return this.#seed;
  }

  /** Asks a running `fit` to stop after the current epoch (early stopping calls this). */
  stop(): void {
    this.#stopRequested = true;
  }

  /**
   * Trains for epochs over `train` (see {@link Dataset}) and returns the history. Bad data fails before any update:
   * an empty dataset, a batch size larger than an in-memory dataset, or inputs and targets of different lengths.
   */
  async fit(train: Dataset, options: FitOptions = {}): Promise<History> {
    if (this.#running) throw new ValueError('Trainer.fit: this trainer is already running a fit');
    this.#running = true;
    try {
      return await this.#fit(train, options);
    } finally {
      this.#running = false;
      this.#earlyStopping = undefined;
    }
  }

  async #fit(train: Dataset, options: FitOptions): Promise<History> {
    const epochs = options.epochs ?? 1;
    if (!Number.isInteger(epochs) || epochs < 1) throw new ValueError(`Trainer.fit: epochs must be an integer >= 1, got ${epochs}`);
    const batchSize = checkBatchSize('Trainer.fit', 'batchSize', options.batchSize ?? 32);
    const source = this.#source('Trainer.fit', train, {
      batchSize,
      shuffle: options.shuffle ?? true,
      shuffleGiven: options.shuffle !== undefined,
      dropLast: options.dropLast ?? false,
      training: true,
    });
    const valBatchSize = checkBatchSize('Trainer.fit', 'validationBatchSize', options.validationBatchSize ?? batchSize);
    if (options.validation) {
      this.#source('Trainer.fit (validation)', options.validation, {
        batchSize: valBatchSize,
        shuffle: false,
        shuffleGiven: false,
        dropLast: false,
        training: false,
      });
    }
    if (options.resume === true && !options.checkpoint) {
      throw new ValueError('Trainer.fit: resume: true needs a checkpoint store to resume from');
    }
    const resumeFrom = options.resume === true ? await options.checkpoint!.loadLatest() : options.resume || null;
    if (resumeFrom) this.restore(resumeFrom);
    const earlyStopping = options.earlyStopping ? new EarlyStopping(options.earlyStopping) : undefined;
    if (earlyStopping && this.#restoredEarlyStopping?.state) {
      earlyStopping.load(this.#restoredEarlyStopping.state, this.#restoredEarlyStopping.best, this.model);
    }
    this.#restoredEarlyStopping = null;
    const callbacks: Callback[] = [...(options.callbacks ?? []), ...(earlyStopping ? [earlyStopping] : []), this.#progress];
    const trackMetrics = this.#metrics.length > 0 && !this.workers;

    this.#stopRequested = false;
    this.#earlyStopping = earlyStopping;
    await this.#prepare();
    const trainInfo = { trainer: this, initialEpoch: this.epoch, epochs, history: this.history };
    await runCallbacks(callbacks, 'onTrainBegin', trainInfo);
    while (this.epoch < epochs && !this.#stopRequested) {
      const epoch = this.epoch;
      const started = performance.now();
      const numBatches = source.numBatches;
      await runCallbacks(callbacks, 'onEpochBegin', { trainer: this, epoch, epochs, numBatches });
      this.model.train();
      if (trackMetrics) for (const [, m] of this.#metrics) m.reset();
      let lossSum = 0;
      let examples = 0;
      let index = 0;
      for await (const batch of source.batches(epoch)) {
        const size = batch.input.shape[0] ?? 0;
        const batchInfo = { trainer: this, epoch, epochs, batch: index, size, numBatches };
        await runCallbacks(callbacks, 'onBatchBegin', batchInfo);
        const result = await this.#trainBatch('Trainer.fit', batch, epoch, trackMetrics);
        if (Number.isFinite(result.loss)) {
          lossSum += result.loss * size;
          examples += size;
        }
        await runCallbacks(callbacks, 'onBatchEnd', { ...batchInfo, loss: result.loss, step: this.step });
        index++;
      }
      if (index === 0) {
        throw new ValueError(
          `Trainer.fit: the training data yielded no batches in epoch ${epoch + 1} (a generator object can be iterated ` +
            'only once; pass an object whose [Symbol.asyncIterator]() starts over each time, such as lineDataset)',
        );
      }
      this.#progress.noteEpochBatches(index);
      const logs: Logs = { loss: examples > 0 ? lossSum / examples : Number.NaN };
      if (trackMetrics) for (const [name, m] of this.#metrics) logs[name] = m.compute();
      if (options.validation) {
        const val = await this.evaluate(options.validation, { batchSize: valBatchSize });
        for (const [k, v] of Object.entries(val)) logs[`val_${k}`] = v;
      }
      if (this.scheduler && this.schedulerInterval === 'epoch') this.scheduler.step();
      const entry: EpochLog = { epoch, logs, lr: this.#lr(), seconds: (performance.now() - started) / 1000 };
      this.history.epochs.push(entry);
      this.epoch = epoch + 1;
      await runCallbacks(callbacks, 'onEpochEnd', { trainer: this, epoch, epochs, numBatches, logs });
      if (options.checkpoint) await options.checkpoint.save(this.checkpoint(), { epoch: this.epoch, step: this.step, logs });
    }
    await runCallbacks(callbacks, 'onTrainEnd', trainInfo);
    return this.history;
  }

  /**
   * One training batch outside `fit` (Keras' `train_on_batch`): the updates of the batch (one, or one per TBPTT
   * window) with clipping, the non-finite guard and the scheduler when it steps per update.
   */
  async trainOnBatch(batch: Batch): Promise<BatchResult> {
    await this.#prepare();
    this.model.train();
    return this.#trainBatch('Trainer.trainOnBatch', batch, this.epoch, false);
  }

  /**
   * The loss and metrics of the model on `data` in evaluation mode (dropout off, no gradients): the loss as a mean
   * over examples (over valid steps for masked padding, as in training), metrics over all batches.
   */
  async evaluate(data: Dataset, options: EvaluateOptions = {}): Promise<Logs> {
    const batchSize = checkBatchSize('Trainer.evaluate', 'batchSize', options.batchSize ?? 32);
    const source = this.#source('Trainer.evaluate', data, {
      batchSize,
      shuffle: false,
      shuffleGiven: false,
      dropLast: false,
      training: false,
    });
    for (const [, m] of this.#metrics) m.reset();
    let lossSum = 0;
    let examples = 0;
    await this.#inEvalMode(async () => {
      for await (const batch of source.batches(0)) {
        checkBatch('Trainer.evaluate', batch, undefined);
        // The same loss as in training: over valid steps only when padding is masked.
        const masked = masksPadding(batch, this.maskPadding);
        const weight = lossWeight(batch, null, masked);
        noGrad(() => {
          const { output } = runModel(this.#ctx, batch.input, { lengths: batch.lengths });
          const loss =
            masked && batch.lengths
              ? this.loss(validSteps(output, batch.lengths, 0), validSteps(batch.target, batch.lengths, 0))
              : this.loss(output, batch.target);
          lossSum += loss.item() * weight;
          for (const [, m] of this.#metrics) m.update(output, batch.target);
        });
        examples += weight;
      }
    });
    if (examples === 0) throw new ValueError('Trainer.evaluate: the data yielded no examples');
    const logs: Logs = { loss: lossSum / examples };
    for (const [name, m] of this.#metrics) logs[name] = m.compute();
    return logs;
  }

  /**
   * The model's outputs for `inputs` (a tensor `[N, ...]`, or a dataset whose inputs are used), in evaluation
   * mode, batch by batch, concatenated along axis 0.
   */
  async predict(inputs: Tensor | Dataset, options: EvaluateOptions = {}): Promise<Tensor> {
    const batchSize = checkBatchSize('Trainer.predict', 'batchSize', options.batchSize ?? 32);
    const outputs: Tensor[] = [];
    const predictBatch = (input: Tensor, lengths?: Int32Array): void => {
      noGrad(() => outputs.push(runModel(this.#ctx, input, { lengths }).output));
    };
    await this.#inEvalMode(async () => {
      if (inputs instanceof Tensor) {
        if (inputs.rank === 0) throw new ShapeError('Trainer.predict: inputs need a leading batch axis, got a scalar []');
        for (let s = 0; s < inputs.shape[0]!; s += batchSize) predictBatch(slice(inputs, 0, s, s + batchSize));
      } else {
        const source = this.#source('Trainer.predict', inputs, {
          batchSize,
          shuffle: false,
          shuffleGiven: false,
          dropLast: false,
          training: false,
        });
        for await (const batch of source.batches(0)) predictBatch(batch.input, batch.lengths);
      }
    });
    if (outputs.length === 0) throw new ValueError('Trainer.predict: no inputs');
    return outputs.length === 1 ? outputs[0]! : concat(outputs, 0);
  }

  /**
   * A snapshot of the whole training state (copies, unaffected by later training) for `restore` or
   * `fit({resume})`: model, optimizer, scheduler, RNG streams (the trainer's and the global one that dropout
   * uses), epoch, step, history and the early-stopping progress of a running fit.
   */
  checkpoint(): TrainingCheckpoint {
    const tensors: Record<string, Tensor> = {};
    for (const [k, t] of Object.entries(this.model.stateDict())) tensors[`model.${k}`] = t.clone();
    const opt = this.optimizer.stateDict();
    for (const [k, t] of Object.entries(opt.state)) tensors[`optimizer.${k}`] = t;
    const es = this.#earlyStopping;
    if (es?.bestWeights) tensors['earlyStopping.best'] = new Tensor(es.bestWeights.slice(), [es.bestWeights.length]);
    const meta: CheckpointMeta = {
      format: CHECKPOINT_FORMAT,
      epoch: this.epoch,
      step: this.step,
      seed: this.#seed,
      generator: this.#generator.getState(),
      globalGenerator: defaultGenerator.getState(),
      optimizer: opt.meta,
      scheduler: this.scheduler?.stateDict() ?? null,
      earlyStopping: es ? { ...es.state } : null,
      history: this.history,
    };
    return { tensors, metadata: { [CHECKPOINT_KEY]: JSON.stringify(meta) } };
  }

  /**
   * Restores a {@link Trainer.checkpoint} (or a checkpoint file's contents). The model, optimizer and scheduler must
   * have the same structure as when it was saved; mismatches throw `StateDictError`.
   */
  restore(checkpoint: TrainingCheckpoint): void {
    const raw = checkpoint.metadata[CHECKPOINT_KEY];
    if (raw === undefined) {
      throw new StateDictError(`Trainer.restore: not a trainer checkpoint (its metadata has no '${CHECKPOINT_KEY}' entry)`);
    }
    let meta: CheckpointMeta;
    try {
      meta = JSON.parse(raw) as CheckpointMeta;
    } catch (err) {
      throw new StateDictError(`Trainer.restore: the '${CHECKPOINT_KEY}' metadata is not valid JSON: ${String(err)}`);
    }
    if (meta.format !== CHECKPOINT_FORMAT) {
      throw new StateDictError(`Trainer.restore: unsupported checkpoint format '${meta.format}', expected '${CHECKPOINT_FORMAT}'`);
    }
    if ((meta.scheduler === null) !== (this.scheduler === undefined)) {
      throw new StateDictError(
        `Trainer.restore: the checkpoint was saved ${meta.scheduler ? 'with' : 'without'} a scheduler but this trainer has ${this.scheduler ? 'one' : 'none'}`,
      );
    }
    const modelDict: Record<string, Tensor> = {};
    const optState: Record<string, Tensor> = {};
    let best: Float32Array | null = null;
    for (const [key, t] of Object.entries(checkpoint.tensors)) {
      if (key.startsWith('model.')) modelDict[key.slice(6)] = t;
      else if (key.startsWith('optimizer.')) optState[key.slice(10)] = t;
      else if (key === 'earlyStopping.best') best = new Float32Array(t.f32);
      else throw new StateDictError(`Trainer.restore: unexpected tensor '${key}' in the checkpoint`);
    }
    this.model.loadStateDict(modelDict);
    this.optimizer.loadStateDict({ state: optState, meta: meta.optimizer });
    if (this.scheduler && meta.scheduler) this.scheduler.loadStateDict(meta.scheduler);
    this.#generator.setState(meta.generator);
    defaultGenerator.setState(meta.globalGenerator);
    this.#seed = meta.seed;
    this.epoch = meta.epoch;
    this.step = meta.step;
    this.history = meta.history;
    this.#restoredEarlyStopping = meta.earlyStopping ? { state: meta.earlyStopping, best } : null;
  }

  /** Stops the workers, if any. */
  async close(): Promise<void> {
    await this.workers?.close();
  }

  /** Binds the gradient slab (once) and attaches the workers. */
  async #prepare(): Promise<void> {
    if (!this.#gradSlab) {
      this.#params = this.model.parameters();
      this.#gradSlab = this.model.bindGradients();
    }
    if (this.workers) await this.workers.attach(this.model);
  }

  async #trainBatch(op: string, batch: Batch, epoch: number, trackMetrics: boolean): Promise<BatchResult> {
    checkBatch(op, batch, this.tbptt);
    const masked = masksPadding(batch, this.maskPadding);
    const updates = this.tbptt ? planTbptt(tbpttSteps(batch, masked), this.tbptt) : [null];
    const slab = this.#gradSlab!;
    let state: RecurrentState | undefined;
    let lossSum = 0;
    let weight = 0;
    let skipped = 0;
    for (const [u, update] of updates.entries()) {
      slab.fill(0);
      let loss: number;
      if (this.workers) {
        const seed = mixSeed(this.#seed, this.step);
        const request = { batch, update, resetState: u === 0, seed, into: slab, maskPadding: this.maskPadding };
        loss = await this.workers.computeGradients(request);
      } else {
        const r = forwardBackward(this.#ctx, batch, update, state);
        loss = r.loss;
        state = r.carry;
        if (trackMetrics && Number.isFinite(loss)) for (const [, m] of this.#metrics) m.update(r.output, r.target);
      }
      const w = lossWeight(batch, update, masked);
      if (this.#applyGradients(loss, epoch)) {
        lossSum += loss * w;
        weight += w;
      } else {
        skipped++;
      }
    }
    return { loss: weight > 0 ? lossSum / weight : Number.NaN, updates: updates.length, skipped };
  }

  /** Guards, clips and applies the gradients in the slab; false when the update was skipped. */
  #applyGradients(loss: number, epoch: number): boolean {
    const log: StepLog = { step: this.step, epoch, loss, lr: this.#lr() };
    if (!Number.isFinite(loss) || !allFinite(this.#gradSlab!)) {
      const what = Number.isFinite(loss) ? 'a gradient is NaN or infinite' : `the loss is ${loss}`;
      if (this.onNonFinite === 'error') {
        throw new NonFiniteError(
          `Trainer: ${what} at epoch ${epoch + 1}, update ${this.step}; the weights were not changed. Lower the learning ` +
            "rate, clip gradients (clipGradNorm), check the data for NaN, or pass onNonFinite: 'skip' to skip such updates",
        );
      }
      log.skipped = true;
      this.history.steps.push(log);
      this.step++;
      return false;
    }
    if (this.#clipValue !== undefined) clipGradValue(this.#params, this.#clipValue);
    if (this.#clipNorm !== undefined) log.gradNorm = clipGradNorm(this.#params, this.#clipNorm);
    this.optimizer.step();
    if (this.scheduler && this.schedulerInterval === 'step') this.scheduler.step();
    this.history.steps.push(log);
    this.step++;
    return true;
  }

  #lr(): number {
    return this.optimizer.paramGroups[0]?.lr ?? Number.NaN;
  }

  async #inEvalMode(fn: () => Promise<void>): Promise<void> {
    const wasTraining = this.model.training;
    this.model.eval();
    try {
      await fn();
    } finally {
      this.model.train(wasTraining);
    }
  }

  /** Normalises any {@link Dataset} into per-epoch batches, checking what can be checked up front. */
  #source(op: string, data: Dataset, options: SourceOptions): BatchSource {
    const { batchSize, shuffle, shuffleGiven, dropLast, training } = options;
    const inMemory = (ds: TensorDataset): BatchSource => {
      const n = datasetSize(op, ds);
      if (n === 0) throw new ValueError(`${op}: the dataset is empty`);
      if (training && batchSize > n) {
        throw new ValueError(`${op}: batchSize ${batchSize} is larger than the dataset (${n} examples)`);
      }
      return {
        numBatches: dropLast ? Math.floor(n / batchSize) : Math.ceil(n / batchSize),
        batches: () => batchIterator(ds, { batchSize, shuffle, generator: this.#generator, dropLast }),
      };
    };
    if (isTensorDataset(data)) return inMemory(data);
    if (Array.isArray(data)) {
      const examples = data as readonly Example[];
      if (examples.length === 0) throw new ValueError(`${op}: the dataset is empty`);
      let stacked = this.#stacked.get(examples);
      if (!stacked) {
        const { input, target } = collate(op, examples);
        stacked = { inputs: input, targets: target };
        this.#stacked.set(examples, stacked);
      }
      return inMemory(stacked);
    }
    if (shuffleGiven && shuffle) {
      throw new ValueError(`${op}: shuffle applies to in-memory data only; streams and batched datasets keep their own order`);
    }
    if (isBatchedDataset(data)) return { numBatches: data.numBatches, batches: (epoch) => data.batches(epoch) };
    if (typeof data === 'object' && data !== null && (Symbol.asyncIterator in data || Symbol.iterator in data)) {
      const stream = data as Iterable<Example> | AsyncIterable<Example>;
      return {
        numBatches: undefined,
        batches: () => streamBatches(op, stream, batchSize),
      };
    }
    throw new ValueError(
      `${op}: unsupported data; pass {inputs, targets} tensors, an array or (async) iterable of {input, target} examples, ` +
        'or an object with batches(epoch)',
    );
  }
}

/** Collates a stream of examples into batches of `batchSize` (the last may be smaller). */
async function* streamBatches(
  op: string,
  stream: Iterable<Example> | AsyncIterable<Example>,
  batchSize: number,
): AsyncGenerator<Batch> {
  let pending: Example[] = [];
  for await (const example of stream) {
    pending.push(example);
    if (pending.length === batchSize) {
      yield collate(op, pending);
      pending = [];
    }
  }
  if (pending.length > 0) yield collate(op, pending);
}

/** Checks a batch's tensors: matching batch sizes, and a shared time axis for TBPTT. */
function checkBatch(op: string, batch: Batch, tbptt: TbpttOptions | undefined): void {
  const { input, target, lengths } = batch;
  if (!(input instanceof Tensor) || !(target instanceof Tensor)) {
    throw new ValueError(`${op}: a batch needs input and target tensors`);
  }
  if (input.rank === 0 || target.rank === 0 || input.shape[0] !== target.shape[0]) {
    throw new ShapeError(
      `${op}: batch input ${fmtShape(input.shape)} and target ${fmtShape(target.shape)} must have the same leading batch size`,
    );
  }
  if (input.shape[0] === 0) throw new ValueError(`${op}: empty batch ${fmtShape(input.shape)}`);
  if (lengths && lengths.length !== input.shape[0]) {
    throw new ShapeError(`${op}: batch has ${input.shape[0]} sequences but ${lengths.length} lengths`);
  }
  if (tbptt && (input.rank < 2 || target.rank < 2 || input.shape[1] !== target.shape[1])) {
    throw new ShapeError(
      `${op}: truncated BPTT needs [B, T, ...] inputs and targets with the same T, got input ${fmtShape(input.shape)} and target ${fmtShape(target.shape)}`,
    );
  }
}

/** True when every element is finite (a NaN or ±Infinity turns the sum of `x · 0` into NaN). */
function allFinite(values: Float32Array): boolean {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]! * 0;
  return s === 0;
}

function checkBatchSize(op: string, name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new ValueError(`${op}: ${name} must be an integer >= 1, got ${v}`);
  return v;
}

function positive(name: string, v: number | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !(v > 0)) throw new ValueError(`Trainer: ${name} must be a number > 0, got ${v}`);
  return v;
}

function oneOf<T extends string>(name: string, v: T, allowed: readonly T[]): T {
  if (!allowed.includes(v)) throw new ValueError(`Trainer: ${name} must be ${allowed.map((a) => `'${a}'`).join(' or ')}, got '${String(v)}'`);
  return v;
}
