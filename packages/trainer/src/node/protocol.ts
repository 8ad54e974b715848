/**
 * Messages between the main thread's {@link WorkerPool} and its piscina workers (`worker.ts`), and the transport
 * of errors across the thread boundary.
 * @internal
 */
import {
  BackendError,
  DTypeError,
  ElmanError,
  GradientError,
  SerializationError,
  ShapeError,
  StateDictError,
  ValueError,
} from '@elman/core';
import { NonFiniteError, WorkerError } from '../errors.js';
import type { PackedState } from '../recurrent-state.js';
import type { TbpttUpdate } from '../tbptt.js';

/** Where the workers find their model factory. */
export interface FactoryRef {
  /** File URL of the ES module. */
  url: string;
  /** Name of the export to call. */
  exportName: string;
  /** Argument of the factory. */
  options: unknown;
}

/** `workerData` of every worker. */
export interface WorkerConfig {
  /** The model factory. */
  factory: FactoryRef;
  /** Backend name to activate (the main thread's). */
  backend: string;
  /** The parameter slab, shared with the main thread. */
  params: SharedArrayBuffer;
  /** One gradient slab per shard. */
  grads: SharedArrayBuffer[];
  /** The main model's parameter names and shapes, which every replica must reproduce. */
  layout: [string, number[]][];
}

/** A tensor stored in the shared batch buffer. */
export interface TensorRef {
  /** Element type (both are 4 bytes). */
  dtype: 'float32' | 'int32';
  /** Whole-batch shape `[B, ...]`. */
  shape: number[];
  /** Byte offset of element 0 in the buffer. */
  byteOffset: number;
}

/** Builds the replica (so that factory errors surface when the pool starts). */
export interface InitTask {
  /** Task kind. */
  kind: 'init';
}

/** Computes the mean loss and gradient of rows `[r0, r1)` of the batch into gradient slab `shard`. */
export interface GradTask {
  /** Task kind. */
  kind: 'grad';
  /** Shard index = gradient slab index. */
  shard: number;
  /** Row range of the batch. */
  rows: [number, number];
  /** The batch buffer. */
  io: SharedArrayBuffer;
  /** Batch inputs in `io`. */
  input: TensorRef;
  /** Batch targets in `io`. */
  target: TensorRef;
  /** The shard's valid lengths, if the batch has them. */
  lengths?: Int32Array;
  /** Whether padded steps are excluded from the loss. */
  maskPadding: boolean;
  /** TBPTT window, or null for the whole batch. */
  update: TbpttUpdate | null;
  /** The shard's state carried from the previous window (absent: zero state). */
  state?: PackedState;
  /** Seed of the shard's random stream (dropout). */
  seed: number;
}

/** Any task. */
export type WorkerTask = InitTask | GradTask;

/** An error flattened for `postMessage`. */
export interface SerializedError {
  /** Error class name. */
  name: string;
  /** The message. */
  message: string;
  /** The stack as captured in the worker. */
  stack: string | undefined;
}

/**
 * A worker's answer: the loss, what it is a mean over (`weight`: examples, or valid steps with masked padding) and
 * the carried state, or the error its code threw.
 */
export type WorkerReply = { ok: true; loss: number; weight: number; state?: PackedState } | { ok: false; error: SerializedError };

/** Flattens any thrown value. */
export function serializeError(err: unknown): SerializedError {
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack };
  return { name: 'Error', message: String(err), stack: undefined };
}

type ErrorClass = new (message: string) => Error;

const ERROR_CLASSES: Record<string, ErrorClass> = {
  ElmanError,
  ShapeError,
  ValueError,
  DTypeError,
  StateDictError,
  SerializationError,
  BackendError,
  GradientError,
  NonFiniteError,
  WorkerError,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
};

/**
 * Rebuilds an error from a worker as the same class (Elman's typed errors and the built-in ones; others become an
 * `Error` with the original name), with the original message and the worker's stack, plus one line naming where
 * it ran.
 */
export function reviveError(e: SerializedError, where: string): Error {
  const Cls = ERROR_CLASSES[e.name] ?? Error;
  const err = new Cls(e.message);
  if (err.name !== e.name) err.name = e.name;
  err.stack = `${e.stack ?? `${e.name}: ${e.message}`}\n    at <${where}>`;
  return err;
}
