import type { Tensor } from '@elman/core';
import type { Logs } from './history.js';

/**
 * A complete training state, in the shape of a safetensors file: tensors (model `model.*`, optimizer buffers
 * `optimizer.<index>.<buffer>`, early stopping's best weights `earlyStopping.best`) and string metadata (epoch,
 * step, RNG states, optimizer and scheduler hyperparameters, history; JSON under the key `elman.trainer`).
 * `saveSafetensors(c.tensors, c.metadata)` writes it; `loadSafetensors(bytes)` reads it back.
 */
export interface TrainingCheckpoint {
  /** Tensors by name. */
  tensors: Record<string, Tensor>;
  /** The safetensors `__metadata__` strings. */
  metadata: Record<string, string>;
}

/** What the trainer tells a {@link CheckpointStore} about a checkpoint it saves. */
export interface CheckpointInfo {
  /** Epochs completed (the checkpoint resumes at this 0-based epoch). */
  epoch: number;
  /** Optimizer updates done. */
  step: number;
  /** Logs of the epoch just completed (for best-by-metric policies). */
  logs: Logs;
}

/**
 * Where `Trainer.fit({checkpoint})` puts a checkpoint after every epoch and where `resume: true` finds the latest
 * one. `CheckpointManager` from `@elman/trainer/node` stores them as files (atomically, keep-last-k and best).
 */
export interface CheckpointStore {
  /** Stores (or, by its policy, skips) the checkpoint of a completed epoch. */
  save(checkpoint: TrainingCheckpoint, info: CheckpointInfo): Promise<void>;
  /** The most recent checkpoint, or null when there is none. */
  loadLatest(): Promise<TrainingCheckpoint | null>;
}

/** Metadata key of the trainer's JSON state in a {@link TrainingCheckpoint}. */
export const CHECKPOINT_KEY = 'elman.trainer';

/** Format tag stored under `format`, so that other safetensors files are rejected clearly. */
export const CHECKPOINT_FORMAT = 'elman.trainer/1';
