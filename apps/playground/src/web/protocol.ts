/**
 * The messages between the page and the training worker. The page posts {@link WorkerRequest}s; the worker answers
 * with {@link WorkerMessage}s. Everything crossing the boundary is plain structured-clone data, checked on arrival.
 */

/** The tasks the playground trains. */
export const TASKS = ['sine', 'births', 'charlm', 'dates'] as const;

/** One of {@link TASKS}. */
export type TaskName = (typeof TASKS)[number];

/** Human-readable names of the tasks, for the task picker. */
export const TASK_LABELS: Record<TaskName, string> = {
  sine: 'Sine-wave forecasting (LSTM/GRU)',
  births: 'US births 1969–1988, monthly forecasting (LSTM/GRU)',
  charlm: 'Character language model on Moby Dick (LSTM, GRU or transformer)',
  dates: 'Date normalisation (attention seq2seq)',
};

/** The model's core: a recurrent cell (every task but dates) or, for the char LM only, a transformer. */
export type CellKind = 'lstm' | 'gru' | 'transformer';

/** The recurrent cells. */
export type RecurrentKind = Exclude<CellKind, 'transformer'>;

/** Hyperparameters of one training run. */
export interface TrainConfig {
  /** Which task to train. */
  task: TaskName;
  /** Recurrent cell of the forecasting tasks and the char LM, or `transformer` for the char LM (ignored by dates). */
  cell: CellKind;
  /** Hidden size of the recurrence, or model width dModel of the transformer. */
  hiddenSize: number;
  /** Adam learning rate. */
  learningRate: number;
  /** Optimizer steps to run. */
  steps: number;
  /** Examples per step. */
  batchSize: number;
  /** Seed of the weights and of the data draws. */
  seed: number;
  /** Sampling temperature of the char LM. */
  temperature: number;
}

/** Default hyperparameters of each task: small enough to train in seconds in a browser tab. */
export const DEFAULTS: Record<TaskName, TrainConfig> = {
  sine: { task: 'sine', cell: 'lstm', hiddenSize: 24, learningRate: 0.01, steps: 150, batchSize: 32, seed: 1, temperature: 0.8 },
  births: { task: 'births', cell: 'gru', hiddenSize: 24, learningRate: 0.01, steps: 200, batchSize: 32, seed: 1, temperature: 0.8 },
  charlm: { task: 'charlm', cell: 'lstm', hiddenSize: 128, learningRate: 0.01, steps: 300, batchSize: 16, seed: 1, temperature: 0.8 },
  dates: { task: 'dates', cell: 'lstm', hiddenSize: 32, learningRate: 0.01, steps: 300, batchSize: 32, seed: 1, temperature: 0.8 },
};

/** What changes in the char LM's defaults when its core is the transformer (wider steps are slower). */
export const TRANSFORMER_DEFAULTS: Pick<TrainConfig, 'hiddenSize' | 'learningRate'> = { hiddenSize: 64, learningRate: 0.003 };

/** Allowed range of each numeric hyperparameter: [min, max, integer?]. */
export const LIMITS: Record<Exclude<keyof TrainConfig, 'task' | 'cell'>, readonly [number, number, boolean]> = {
  hiddenSize: [4, 256, true],
  learningRate: [1e-5, 1, false],
  steps: [1, 20_000, true],
  batchSize: [1, 256, true],
  seed: [0, 2 ** 31 - 1, true],
  temperature: [0, 5, false],
};

/** A request from the page to the worker. */
export type WorkerRequest =
  | { type: 'train'; config: TrainConfig }
  | { type: 'stop' }
  | { type: 'weights' };

/** A forecast: the series, the one-step-ahead predictions and where the held-out part starts (original units). */
export interface ForecastSample {
  /** Discriminant. */
  kind: 'forecast';
  /** The whole series. */
  truth: number[];
  /** One-step-ahead prediction for every point after the first window (NaN before it). */
  prediction: number[];
  /** Index of the first held-out point. */
  testStart: number;
  /** Root-mean-square error of the model on the held-out points. */
  testRmse: number;
  /** RMSE of the seasonal-naive baseline (the value one season earlier) on the same points. */
  baselineRmse: number;
}

/** Text sampled from the char LM. */
export interface TextSample {
  /** Discriminant. */
  kind: 'text';
  /** The prompt the sample continues. */
  prompt: string;
  /** Prompt plus continuation. */
  text: string;
  /** Mean held-out cross-entropy in bits per character. */
  bitsPerChar: number;
}

/** One decoded date. */
export interface DateRow {
  /** The source string. */
  input: string;
  /** The model's output. */
  output: string;
  /** The correct ISO date. */
  target: string;
}

/** Decoded dates plus the attention matrix of the first one. */
export interface DatesSample {
  /** Discriminant. */
  kind: 'dates';
  /** A few held-out examples. */
  rows: DateRow[];
  /** Exact-match accuracy on the held-out set. */
  accuracy: number;
  /** Attention of the first row: one row per output character (END included), one column per input character. */
  attention: number[][];
}

/** What the worker shows of the model as it trains. */
export type Sample = ForecastSample | TextSample | DatesSample;

/** A message from the worker to the page. */
export type WorkerMessage =
  | { type: 'ready'; backend: string }
  | { type: 'started'; config: TrainConfig; parameters: number }
  | { type: 'progress'; step: number; steps: number; loss: number; stepsPerSecond: number }
  | { type: 'sample'; step: number; sample: Sample }
  | { type: 'done'; steps: number; stopped: boolean; seconds: number }
  | { type: 'weights'; bytes: Uint8Array; fileName: string }
  | { type: 'error'; message: string };

/** Throws an Error naming `field` unless `value` is a number in [min, max] (an integer when asked). */
function checkNumber(field: string, value: unknown, [min, max, integer]: readonly [number, number, boolean]): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new Error(`train config: ${field} must be ${integer ? 'an integer' : 'a number'} in [${min}, ${max}], got ${String(value)}`);
  }
  return value;
}

/** Checks a training configuration coming from the page (or a user's form); returns a clean copy. */
export function parseTrainConfig(input: unknown): TrainConfig {
  if (typeof input !== 'object' || input === null) throw new Error('train config: must be an object');
  const raw = input as Record<string, unknown>;
  const task = raw.task;
  if (!TASKS.includes(task as TaskName)) throw new Error(`train config: task must be one of ${TASKS.join(', ')}, got ${String(task)}`);
  const cell = raw.cell ?? 'lstm';
  if (cell !== 'lstm' && cell !== 'gru' && cell !== 'transformer') {
    throw new Error(`train config: cell must be 'lstm', 'gru' or 'transformer', got ${String(cell)}`);
  }
  if (cell === 'transformer' && task !== 'charlm') throw new Error(`train config: cell 'transformer' is for the charlm task only, got task ${String(task)}`);
  const config = { task: task as TaskName, cell } as TrainConfig;
  for (const [field, limits] of Object.entries(LIMITS) as [keyof typeof LIMITS, (typeof LIMITS)[keyof typeof LIMITS]][]) {
    config[field] = checkNumber(field, raw[field], limits);
  }
  return config;
}

/** Checks a request posted to the worker. */
export function parseRequest(input: unknown): WorkerRequest {
  const type = typeof input === 'object' && input !== null ? (input as { type?: unknown }).type : undefined;
  if (type === 'train') return { type, config: parseTrainConfig((input as { config?: unknown }).config) };
  if (type === 'stop' || type === 'weights') return { type };
  throw new Error(`worker request: unknown type ${String(type)}`);
}
