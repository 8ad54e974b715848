import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Module, type Tensor, ValueError, getBackend } from '@elman/core';
import { Piscina } from 'piscina';
import type { Batch } from '../data/dataset.js';
import { WorkerError } from '../errors.js';
import type { GradientRequest, GradientWorkers } from '../gradient-workers.js';
import type { PackedState } from '../recurrent-state.js';
import { mixSeed } from '../seeds.js';
import { type ModelFactorySpec, resolveFactory } from './factory.js';
import { type FactoryRef, type GradTask, type TensorRef, type WorkerConfig, type WorkerReply, reviveError } from './protocol.js';

/** Options of {@link WorkerPool}. */
export interface WorkerPoolOptions {
  /** Number of worker threads (each batch is split into this many shards). */
  size: number;
  /** Where the workers get their model replica and loss ({@link ModelFactorySpec}). */
  factory: ModelFactorySpec;
  /** Backend the workers use. Default: the main thread's active backend when the pool starts. */
  backend?: string;
}

/**
 * Data-parallel gradients on worker threads (piscina), for `new Trainer({workers})`. The model's parameters move
 * into one `SharedArrayBuffer` slab that every worker's replica reads; each batch is split into contiguous shards
 * of rows, each worker writes the mean gradient of its shard into its own shared gradient slab, and the main thread
 * sums the slabs weighted by shard size (the full-batch mean gradient), so that the trainer clips and steps exactly
 * as without workers (up to float32 summation order). Batches travel through a shared buffer too; only a few
 * numbers (and TBPTT states) are posted per task.
 *
 * A model or loss that throws in a worker fails the update with that same error (class, message and the worker's
 * stack) and the pool stays usable. A worker thread that dies fails the update with a {@link WorkerError} and shuts
 * the whole pool down (threads terminated, nothing left waiting). Call {@link WorkerPool.close} (or
 * `trainer.close()`) when done; idle workers do not keep the process alive.
 *
 * The workers run the package's compiled `dist/node/worker.js`: build the package (`pnpm build`) before using the
 * pool from its TypeScript sources (tests do this through `pnpm test`).
 *
 * @example
 * ```ts
 * import { isMainThread } from 'node:worker_threads';
 * import { Adam, Linear, Sequential, Tanh, mseLoss, randn } from '@elman/core';
 * import { Trainer } from '@elman/trainer';
 * import { WorkerPool } from '@elman/trainer/node';
 *
 * // The model factory, called here and in every worker thread (each worker imports this module).
 * export function createModel({ hidden }: { hidden: number }) {
 *   return { model: new Sequential(new Linear(16, hidden), new Tanh(), new Linear(hidden, 1)), loss: mseLoss };
 * }
 *
 * if (isMainThread) {
 *   const { model, loss } = createModel({ hidden: 64 });
 *   const workers = new WorkerPool({ size: 2, factory: { module: new URL(import.meta.url), export: 'createModel', options: { hidden: 64 } } });
 *   const trainer = new Trainer({ model, loss, optimizer: new Adam(model.parameters(), { lr: 1e-3 }), workers, progress: false });
 *   const inputs = randn([512, 16]);
 *   await trainer.fit({ inputs, targets: inputs.sum(1, true).tanh() }, { epochs: 3, batchSize: 128 }); // each batch split in 2
 *   await trainer.close(); // stops the threads
 * }
 * ```
 */
export class WorkerPool implements GradientWorkers {
  /** Number of worker threads. */
  readonly size: number;
  readonly #factory: FactoryRef;
  readonly #backend: string | undefined;
  #piscina: Piscina<GradTask | { kind: 'init' }, WorkerReply> | null = null;
  #model: Module | null = null;
  #grads: Float32Array[] = [];
  #io: SharedArrayBuffer | null = null;
  #ioBatch: Batch | null = null;
  #inputRef: TensorRef | null = null;
  #targetRef: TensorRef | null = null;
  #states: (PackedState | undefined)[] = [];
  #closed = false;
  #failure: Error | null = null;

  /** Validates the options and resolves the factory module (threads start at {@link WorkerPool.attach}). */
  constructor(options: WorkerPoolOptions) {
    const { size } = options;
    if (!Number.isInteger(size) || size < 1) throw new ValueError(`WorkerPool: size must be an integer >= 1, got ${size}`);
    this.size = size;
    this.#factory = resolveFactory(options.factory);
    this.#backend = options.backend;
  }

  /** Number of live worker threads (0 before `attach` and after `close`). */
  get threads(): number {
    return this.#piscina?.threads.length ?? 0;
  }

  /**
   * Moves `model`'s parameters into a shared slab, starts the threads and has each build its replica; factory
   * problems (missing module or export, different parameters) reject here with a typed error and close the pool.
   */
  async attach(model: Module): Promise<void> {
    this.#checkOpen();
    if (this.#model === model) return;
    if (this.#model) throw new ValueError('WorkerPool: already attached to another model; use one pool per model');
    const n = model.numParameters();
    const params = new SharedArrayBuffer(n * 4);
    model.bindParameters(new Float32Array(params));
    const grads = Array.from({ length: this.size }, () => new SharedArrayBuffer(n * 4));
    const config: WorkerConfig = {
      factory: this.#factory,
      backend: this.#backend ?? getBackend().name,
      params,
      grads,
      layout: model.namedParameters().map(([name, p]) => [name, [...p.shape]]),
    };
    const piscina = new Piscina<GradTask | { kind: 'init' }, WorkerReply>({
      filename: workerEntry(),
      minThreads: this.size,
      maxThreads: this.size,
      idleTimeout: Number.POSITIVE_INFINITY,
      concurrentTasksPerWorker: 1,
      workerData: config,
    });
    // A worker that fails outside a task (nothing to reject) is reported here; the next update throws it.
    piscina.on('error', (err: unknown) => {
      this.#failure ??= err instanceof Error ? err : new Error(String(err));
    });
    this.#piscina = piscina;
    this.#grads = grads.map((b) => new Float32Array(b));
    const settled = await Promise.allSettled(Array.from({ length: this.size }, () => piscina.run({ kind: 'init' })));
    const problem = this.#firstProblem(settled, (i) => `WorkerPool worker start ${i + 1} of ${this.size}`);
    if (problem) {
      await this.close();
      throw problem;
    }
    this.#model = model;
  }

  /** Splits the batch across the workers and reduces their gradients into `request.into`; resolves with the loss. */
  async computeGradients(request: GradientRequest): Promise<number> {
    this.#checkOpen();
    const piscina = this.#piscina;
    if (!piscina || !this.#model) throw new ValueError('WorkerPool: call attach(model) before computeGradients');
    const { batch, update, resetState, seed, into } = request;
    if (into.length !== this.#grads[0]!.length) {
      throw new ValueError(`WorkerPool: the gradient slab has ${into.length} elements, the model ${this.#grads[0]!.length}`);
    }
    const rows = batch.input.shape[0]!;
    const shards = Math.min(this.size, rows);
    // A batch is copied in once, at its first update (later TBPTT windows of the same batch reuse it).
    if (resetState || batch !== this.#ioBatch) this.#writeBatch(batch);
    if (resetState) this.#states = new Array<PackedState | undefined>(shards).fill(undefined);
    const tasks: Promise<WorkerReply>[] = [];
    for (let i = 0; i < shards; i++) {
      const r0 = Math.floor((i * rows) / shards);
      const r1 = Math.floor(((i + 1) * rows) / shards);
      const state = this.#states[i];
      tasks.push(
        piscina.run({
          kind: 'grad',
          shard: i,
          rows: [r0, r1],
          io: this.#io!,
          input: this.#inputRef!,
          target: this.#targetRef!,
          ...(batch.lengths ? { lengths: batch.lengths.slice(r0, r1) } : {}),
          maskPadding: request.maskPadding ?? true,
          update,
          ...(state !== undefined ? { state } : {}),
          seed: mixSeed(seed, i),
        }),
      );
    }
    const settled = await Promise.allSettled(tasks);
    const problem = this.#firstProblem(settled, (i) => `WorkerPool shard ${i + 1} of ${shards}`);
    if (problem) {
      if (problem instanceof WorkerError) await this.#shutDown(problem);
      throw problem;
    }
    // Full-batch mean = Σ (n_i / n) · shard mean, for losses that average over examples (n_i: the shard's
    // examples, or its valid steps when padding is masked).
    const replies = settled.map((s) => (s as PromiseFulfilledResult<WorkerReply & { ok: true }>).value);
    const total = replies.reduce((n, r) => n + r.weight, 0);
    let loss = 0;
    for (let i = 0; i < shards; i++) {
      const reply = replies[i]!;
      const w = total > 0 ? reply.weight / total : 0;
      const g = this.#grads[i]!;
      if (i === 0) for (let j = 0; j < into.length; j++) into[j] = w * g[j]!;
      else for (let j = 0; j < into.length; j++) into[j]! += w * g[j]!;
      loss += w * reply.loss;
      this.#states[i] = reply.state;
    }
    return loss;
  }

  /** Terminates the threads and drops the shared buffers; the pool cannot be used afterwards. */
  async close(): Promise<void> {
    this.#closed = true;
    const piscina = this.#piscina;
    this.#piscina = null;
    this.#io = null;
    this.#ioBatch = null;
    this.#grads = [];
    this.#states = [];
    if (piscina) await piscina.destroy();
  }

  async #shutDown(cause: Error): Promise<void> {
    this.#failure ??= cause;
    await this.close();
  }

  #checkOpen(): void {
    if (this.#failure && !this.#closed) {
      // Reported by piscina between tasks: shut down now rather than run on a broken pool.
      const failure = this.#failure;
      this.close().catch(() => undefined);
      throw new WorkerError(`WorkerPool: a worker thread failed: ${failure.message}; the pool has been shut down`);
    }
    if (this.#closed) {
      const why = this.#failure ? ` after a worker failure (${this.#failure.message})` : '';
      throw new WorkerError(`WorkerPool: the pool is closed${why}; create a new WorkerPool`);
    }
  }

  /**
   * The error to report for a set of task outcomes, or null: a dead worker (a rejected task) wins over an error
   * thrown by user code, which is revived as itself.
   */
  #firstProblem(settled: PromiseSettledResult<WorkerReply>[], where: (i: number) => string): Error | null {
    for (const [i, s] of settled.entries()) {
      if (s.status === 'rejected') {
        const reason = s.reason instanceof Error ? s.reason.message : String(s.reason);
        return new WorkerError(
          `${where(i)}: the worker thread died (${reason}) before finishing its task; the pool has been shut down`,
        );
      }
    }
    for (const [i, s] of settled.entries()) {
      if (s.status === 'fulfilled' && !s.value.ok) return reviveError(s.value.error, where(i));
    }
    return null;
  }

  /** Copies the batch's inputs and targets into the shared batch buffer (grown when too small). */
  #writeBatch(batch: Batch): void {
    const bytes = (batch.input.size + batch.target.size) * 4;
    if (!this.#io || this.#io.byteLength < bytes) this.#io = new SharedArrayBuffer(Math.max(bytes, 2 * (this.#io?.byteLength ?? 0)));
    this.#inputRef = store(this.#io, batch.input, 0);
    this.#targetRef = store(this.#io, batch.target, batch.input.size * 4);
    this.#ioBatch = batch;
  }
}

/** Writes a tensor into `io` at `byteOffset` and describes where it is. */
function store(io: SharedArrayBuffer, t: Tensor, byteOffset: number): TensorRef {
  const view = t.dtype === 'int32' ? new Int32Array(io, byteOffset, t.size) : new Float32Array(io, byteOffset, t.size);
  view.set(t.data);
  return { dtype: t.dtype, shape: [...t.shape], byteOffset };
}

/**
 * The compiled worker script: next to this module in `dist/node/`, or, when this module runs from its TypeScript
 * source (tests), the package's `dist/node/worker.js`.
 */
function workerEntry(): string {
  const here = import.meta.url;
  const url = here.endsWith('.ts') ? new URL('../../dist/node/worker.js', here) : new URL('./worker.js', here);
  const path = fileURLToPath(url);
  if (!existsSync(path)) {
    throw new WorkerError(
      `WorkerPool: the worker script ${path} does not exist; worker threads run compiled JavaScript, so build the ` +
        'package first (pnpm build; pnpm test does it)',
    );
  }
  return url.href;
}
