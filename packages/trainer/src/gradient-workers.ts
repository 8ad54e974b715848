import type { Module } from '@elman/core';
import type { Batch } from './data/dataset.js';
import type { TbpttUpdate } from './tbptt.js';

/** One data-parallel gradient computation (see {@link GradientWorkers.computeGradients}). */
export interface GradientRequest {
  /** The whole batch; the workers split it along axis 0. */
  batch: Batch;
  /** The TBPTT window of this update, or null for a plain batch. */
  update: TbpttUpdate | null;
  /**
   * True for a batch's first update: every shard starts from the model's zero state, and the batch's data are read
   * afresh. Later TBPTT updates of the same batch object reuse both.
   */
  resetState: boolean;
  /** Seed of this update; each shard derives its own stream from it (dropout masks). */
  seed: number;
  /**
   * Exclude padded steps from the loss (default true; see `TrainerOptions.maskPadding`): shards are then weighted
   * by their valid steps rather than their examples.
   */
  maskPadding?: boolean;
  /** Gradient slab of the main model (`model.parameters()` order) that receives the full-batch mean gradient. */
  into: Float32Array;
}

/**
 * A pool of threads that compute gradients of batch shards in parallel: what `new Trainer({workers})` needs.
 * `WorkerPool` from `@elman/trainer/node` implements it with piscina.
 */
export interface GradientWorkers {
  /** Number of worker threads. */
  readonly size: number;
  /**
   * Moves `model`'s parameters into shared memory, starts the workers and checks that their replicas have the same
   * parameters (names and shapes). Called by the trainer before the first update; calling it again with the same
   * model does nothing.
   */
  attach(model: Module): Promise<void>;
  /**
   * Splits the batch into one shard per worker, has each compute the mean loss and gradient of its shard, and
   * writes the example-weighted (with masked padding: valid-step-weighted) sum of the shard gradients (the
   * full-batch mean gradient) into `request.into`.
   * Resolves with the full-batch mean loss.
   */
  computeGradients(request: GradientRequest): Promise<number>;
  /** Stops the workers and releases shared memory. */
  close(): Promise<void>;
}
