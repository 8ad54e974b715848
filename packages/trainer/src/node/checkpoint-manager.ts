import { mkdir, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { SerializationError, ValueError, saveSafetensors } from '@elman/core';
import { loadSafetensorsFile, writeFileAtomic } from '@elman/core/node';
import { CHECKPOINT_KEY, type CheckpointInfo, type CheckpointStore, type TrainingCheckpoint } from '../checkpoint.js';

/** Options of {@link CheckpointManager}. */
export interface CheckpointManagerOptions {
  /** Directory of the checkpoint files (created when missing). */
  dir: string;
  /** How many of the most recent epoch checkpoints to keep; older ones are deleted. Default 1 (`Infinity`: all). */
  keepLast?: number;
  /** Also keep the best checkpoint by a logged figure in `best.safetensors` (never deleted by `keepLast`). */
  best?: {
    /** The log to compare, e.g. `'val_loss'`. */
    monitor: string;
    /** `'min'` (default) or `'max'`. */
    mode?: 'min' | 'max';
  };
  /** Save an epoch checkpoint every this many epochs (the best one is considered every epoch). Default 1. */
  every?: number;
}

/** An epoch checkpoint on disk (see {@link CheckpointManager.list}). */
export interface CheckpointFile {
  /** Epochs completed when it was saved. */
  epoch: number;
  /** Its path. */
  path: string;
}

/** Metadata keys the manager adds to the best checkpoint. */
const BEST_VALUE_KEY = 'elman.best.value';
const EPOCH_FILE = /^epoch-(\d+)\.safetensors$/;

/**
 * Stores `Trainer.fit` checkpoints as safetensors files: `epoch-0003.safetensors` after each epoch (keep-last-k)
 * and `best.safetensors` for the best value of a monitored log. Every file is written atomically (temporary file,
 * fsync, rename), so a crash while saving leaves the previous checkpoint intact and loadable.
 * `fit({checkpoint: manager, resume: true})` continues from the latest one.
 *
 * @example
 * ```ts run
 * import { Adam, Linear, mseLoss, randn } from '@elman/core';
 * import { Trainer } from '@elman/trainer';
 * import { CheckpointManager } from '@elman/trainer/node';
 *
 * const model = new Linear(4, 1);
 * const trainer = new Trainer({ model, optimizer: new Adam(model.parameters()), loss: mseLoss, seed: 0, progress: false });
 * const inputs = randn([64, 4]);
 * const data = { inputs, targets: inputs.sum(1, true) };
 * const checkpoints = new CheckpointManager({ dir: 'checkpoints', keepLast: 2, best: { monitor: 'loss' } });
 * await trainer.fit(data, { epochs: 3, batchSize: 16, checkpoint: checkpoints });
 * // A later run with the same checkpoints continues after epoch 3: weights, optimizer, RNG and history restored.
 * await trainer.fit(data, { epochs: 5, batchSize: 16, checkpoint: checkpoints, resume: true }); // runs epochs 4 and 5
 * console.log((await checkpoints.list()).map((f) => f.epoch)); // [4, 5]: the last two epochs (and best.safetensors)
 * ```
 */
export class CheckpointManager implements CheckpointStore {
  /** Directory of the files. */
  readonly dir: string;
  /** Epoch checkpoints kept. */
  readonly keepLast: number;
  /** Epochs between epoch checkpoints. */
  readonly every: number;
  readonly #best: { monitor: string; maximize: boolean } | undefined;
  /** Best value so far: undefined until read from `best.safetensors`, null when there is none. */
  #bestValue: number | null | undefined;

  /** Validates the options (nothing is written until the first save). */
  constructor(options: CheckpointManagerOptions) {
    if (typeof options?.dir !== 'string' || options.dir === '') throw new ValueError('CheckpointManager: dir must be a path');
    this.dir = options.dir;
    this.keepLast = options.keepLast ?? 1;
    if (!(this.keepLast === Number.POSITIVE_INFINITY || (Number.isInteger(this.keepLast) && this.keepLast >= 1))) {
      throw new ValueError(`CheckpointManager: keepLast must be an integer >= 1 or Infinity, got ${this.keepLast}`);
    }
    this.every = options.every ?? 1;
    if (!Number.isInteger(this.every) || this.every < 1) {
      throw new ValueError(`CheckpointManager: every must be an integer >= 1, got ${this.every}`);
    }
    if (options.best) {
      const mode = options.best.mode ?? 'min';
      if (mode !== 'min' && mode !== 'max') throw new ValueError(`CheckpointManager: best.mode must be 'min' or 'max', got '${String(mode)}'`);
      this.#best = { monitor: options.best.monitor, maximize: mode === 'max' };
    }
  }

  /** Path of the checkpoint saved after `epoch` completed epochs. */
  pathOf(epoch: number): string {
    return join(this.dir, `epoch-${String(epoch).padStart(4, '0')}.safetensors`);
  }

  /** Path of the best checkpoint. */
  get bestPath(): string {
    return join(this.dir, 'best.safetensors');
  }

  /** Writes the epoch checkpoint (per `every`), updates the best one, and deletes epoch checkpoints beyond `keepLast`. */
  async save(checkpoint: TrainingCheckpoint, info: CheckpointInfo): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    if (info.epoch % this.every === 0) {
      await saveCheckpoint(this.pathOf(info.epoch), checkpoint);
      await this.#prune();
    }
    if (this.#best) await this.#saveBest(checkpoint, info);
  }

  /** The checkpoint of the latest epoch on disk, or null when there is none. A damaged file is an error. */
  async loadLatest(): Promise<TrainingCheckpoint | null> {
    const files = await this.list();
    const last = files.at(-1);
    return last ? loadCheckpoint(last.path) : null;
  }

  /** The best checkpoint, or null when none was saved. */
  async loadBest(): Promise<TrainingCheckpoint | null> {
    const names = await this.#names();
    return names.includes('best.safetensors') ? loadCheckpoint(this.bestPath) : null;
  }

  /** The epoch checkpoints on disk, oldest first (temporary files of interrupted writes are ignored). */
  async list(): Promise<CheckpointFile[]> {
    const out: CheckpointFile[] = [];
    for (const name of await this.#names()) {
      const m = EPOCH_FILE.exec(name);
      if (m) out.push({ epoch: Number(m[1]), path: join(this.dir, name) });
    }
    return out.sort((a, b) => a.epoch - b.epoch);
  }

  async #names(): Promise<string[]> {
    try {
      return await readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }

  async #prune(): Promise<void> {
    const files = await this.list();
    for (const f of files.slice(0, Math.max(0, files.length - this.keepLast))) {
      await unlink(f.path).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err;
      });
    }
  }

  async #saveBest(checkpoint: TrainingCheckpoint, info: CheckpointInfo): Promise<void> {
    const { monitor, maximize } = this.#best!;
    const value = info.logs[monitor];
    if (value === undefined) {
      throw new ValueError(
        `CheckpointManager: best.monitor '${monitor}' is not among the epoch logs (${Object.keys(info.logs).join(', ')})`,
      );
    }
    if (this.#bestValue === undefined) {
      const best = await this.loadBest();
      const raw = best?.metadata[BEST_VALUE_KEY];
      this.#bestValue = raw === undefined ? null : Number(raw);
    }
    const prev = this.#bestValue;
    if (Number.isNaN(value) || (prev !== null && (maximize ? value <= prev : value >= prev))) return;
    await saveCheckpoint(this.bestPath, {
      tensors: checkpoint.tensors,
      metadata: { ...checkpoint.metadata, [BEST_VALUE_KEY]: String(value) },
    });
    this.#bestValue = value;
  }
}

/** Writes a {@link TrainingCheckpoint} as one safetensors file, atomically. */
export async function saveCheckpoint(path: string, checkpoint: TrainingCheckpoint): Promise<void> {
  await writeFileAtomic(path, saveSafetensors(checkpoint.tensors, checkpoint.metadata));
}

/** Reads a checkpoint file written by {@link saveCheckpoint}; other or damaged files are a `SerializationError`. */
export async function loadCheckpoint(path: string): Promise<TrainingCheckpoint> {
  const { tensors, metadata } = await loadSafetensorsFile(path);
  if (metadata[CHECKPOINT_KEY] === undefined) {
    throw new SerializationError(`${path}: not a trainer checkpoint (no '${CHECKPOINT_KEY}' metadata)`);
  }
  return { tensors, metadata };
}
