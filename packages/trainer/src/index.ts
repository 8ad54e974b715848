/**
 * @elman/trainer: `Trainer` (fit / evaluate / predict, metrics, callbacks, early stopping, checkpoints, progress),
 * truncated BPTT, gradient clipping, non-finite guards, the data-parallel worker contract, and data utilities
 * (sliding windows, scalers, chronological splits, batching, padding, bucketing). Browser-safe: worker threads,
 * checkpoint files and file-streamed datasets live in `@elman/trainer/node`.
 * @packageDocumentation
 */
export {
  Trainer,
  type TrainerOptions,
  type FitOptions,
  type EvaluateOptions,
  type BatchResult,
} from './trainer.js';
export type { Callback, TrainInfo, EpochInfo, EpochEndInfo, BatchInfo, BatchEndInfo } from './callbacks.js';
export { EarlyStopping, type EarlyStoppingOptions, type EarlyStoppingState } from './early-stopping.js';
export {
  ProgressReporter,
  formatLogs,
  type ProgressOptions,
  type ProgressMode,
  type ProgressStream,
} from './progress.js';
export type { History, EpochLog, StepLog, Logs } from './history.js';
export {
  CHECKPOINT_KEY,
  CHECKPOINT_FORMAT,
  type TrainingCheckpoint,
  type CheckpointStore,
  type CheckpointInfo,
} from './checkpoint.js';
export { NonFiniteError, WorkerError } from './errors.js';
export { type TbpttOptions, type TbpttUpdate, planTbptt, segmentBounds } from './tbptt.js';
export {
  forwardBackward,
  lossWeight,
  masksPadding,
  runModel,
  tbpttSteps,
  type StepContext,
  type UpdateResult,
} from './gradient-step.js';
export type { GradientWorkers, GradientRequest } from './gradient-workers.js';
export {
  type ForwardFn,
  type ForwardOptions,
  type LossFn,
  type ModelOutput,
  type RecurrentOutput,
  type ModelRun,
  defaultForward,
  splitOutput,
} from './model.js';
export {
  type RecurrentState,
  type PackedState,
  type PackedTensor,
  type PackedRecord,
  detachState,
  mapState,
  packState,
  unpackState,
} from './recurrent-state.js';
export { mixSeed } from './seeds.js';
// metrics
export { type Metric, type MetricFn, MeanMetric, metricFromFunction } from './metrics/metric.js';
export { accuracy, type AccuracyOptions } from './metrics/accuracy.js';
export { meanAbsoluteError } from './metrics/mean-absolute-error.js';
export { meanSquaredError, rootMeanSquaredError } from './metrics/mean-squared-error.js';
// data
export {
  type Example,
  type Batch,
  type TensorDataset,
  type BatchedDataset,
  type Dataset,
  isTensorDataset,
  isBatchedDataset,
} from './data/dataset.js';
export { batchIterator, datasetSize, type BatchIteratorOptions } from './data/batch-iterator.js';
export { collate } from './data/collate.js';
export { slidingWindows, type SlidingWindowOptions } from './data/sliding-windows.js';
export { AffineScaler, type ScalerInput } from './data/affine-scaler.js';
export { MinMaxScaler, type MinMaxScalerOptions, type MinMaxScalerState } from './data/min-max-scaler.js';
export { StandardScaler, type StandardScalerState } from './data/standard-scaler.js';
export {
  chronologicalSplit,
  type ChronologicalSplitOptions,
  type ChronologicalSplit,
  type Splittable,
} from './data/chronological-split.js';
export { padSequences, type PadSequencesOptions, type PaddedSequences } from './data/pad-sequences.js';
export { bucketByLength, type BucketByLengthOptions } from './data/bucket-by-length.js';
