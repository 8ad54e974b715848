/**
 * Optimizers (SGD, Adam, AdamW, RMSprop, Adagrad), learning-rate schedulers and gradient clipping, with PyTorch's
 * formulas, defaults and buffer names.
 */
export {
  Optimizer,
  type Hyperparameters,
  type HyperValue,
  type ParamGroup,
  type ParamGroupInput,
  type ParamsInput,
  type ParamState,
  type OptimizerMeta,
  type ParamGroupMeta,
  type OptimizerStateDict,
  type ZeroGradOptions,
} from './optimizer.js';
export { SGD, type SGDHyperparameters, type SGDOptions } from './sgd.js';
export { Adam, type AdamHyperparameters, type AdamOptions } from './adam.js';
export { AdamW } from './adamw.js';
export { RMSprop, type RMSpropHyperparameters, type RMSpropOptions } from './rmsprop.js';
export { Adagrad, type AdagradHyperparameters, type AdagradOptions } from './adagrad.js';
export { LRScheduler, type LRSchedulerState } from './lr-scheduler.js';
export { StepLR, type StepLROptions } from './step-lr.js';
export { ExponentialLR, type ExponentialLROptions } from './exponential-lr.js';
export { CosineAnnealingLR, type CosineAnnealingLROptions } from './cosine-annealing-lr.js';
export { LinearWarmup, type LinearWarmupOptions, type LinearWarmupState } from './linear-warmup.js';
export { LambdaLR, type LambdaLROptions, type LrLambda } from './lambda-lr.js';
export { clipGradNorm, clipGradValue, type ClipGradNormOptions } from './clip-grad.js';
