import { ElmanError, ValueError } from '@elman/core';

/**
 * A training step produced a NaN or infinite loss or gradient. Thrown before the optimizer touches the weights, so
 * the model still holds the values of the last good step.
 */
export class NonFiniteError extends ValueError {
  /** Class name, shown in stack traces. */
  override name = 'NonFiniteError';
}

/**
 * A worker thread of a data-parallel pool failed outside the user's code: it exited or was killed while computing
 * a shard, or the pool was used after shutting down. (An exception thrown by the model or loss inside a worker is
 * re-thrown as itself, not wrapped in this class.)
 */
export class WorkerError extends ElmanError {
  /** Class name, shown in stack traces. */
  override name = 'WorkerError';
}
