import { saveSafetensors } from '@elman/core';
import type { PlaygroundData } from '../node/data.js';
import { type TrainConfig, type WorkerMessage, parseRequest } from './protocol.js';
import { type Task, createTask } from './tasks/task.js';

/** Sends a message to the page, optionally transferring buffers. */
export type Post = (message: WorkerMessage, transfer?: Transferable[]) => void;

/** Steps between two samples of a run of `steps` steps: about a dozen samples per run, never more often than every 5. */
export function sampleInterval(steps: number): number {
  return Math.max(5, Math.ceil(steps / 12));
}

/** Lets queued messages (a Stop click) in between two training steps. */
function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * The worker's side of the protocol, free of worker globals so it runs under test: trains one task at a time,
 * posting `started`, a `progress` per step, a `sample` every {@link sampleInterval} steps and at the end, then `done`;
 * answers `weights` with the current model as safetensors bytes (transferred, not copied); `stop` ends a run early.
 */
export class TrainingSession {
  readonly #post: Post;
  readonly #data: PlaygroundData;
  #task: Task | null = null;
  #config: TrainConfig | null = null;
  #running = false;
  #stopRequested = false;

  /** A session posting through `post`, training on the bundled `data`. */
  constructor(post: Post, data: PlaygroundData) {
    this.#post = post;
    this.#data = data;
  }

  /** Whether a run is in progress. */
  get running(): boolean {
    return this.#running;
  }

  /** Handles one request; every failure becomes an `error` message (the page shows it), never an uncaught throw. */
  async handle(input: unknown): Promise<void> {
    try {
      const request = parseRequest(input);
      if (request.type === 'stop') this.#stopRequested = true;
      else if (request.type === 'weights') this.#sendWeights();
      else await this.#train(request.config);
    } catch (error) {
      this.#running = false;
      this.#post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
    }
  }

  async #train(config: TrainConfig): Promise<void> {
    if (this.#running) throw new Error('a run is already in progress: stop it first');
    this.#running = true;
    this.#stopRequested = false;
    const task = createTask(config, this.#data);
    this.#task = task;
    this.#config = config;
    const parameters = task.model.parameters().reduce((n, p) => n + p.size, 0);
    this.#post({ type: 'started', config, parameters });
    const every = sampleInterval(config.steps);
    const started = performance.now();
    let step = 0;
    while (step < config.steps && !this.#stopRequested) {
      const loss = task.step();
      step++;
      if (!Number.isFinite(loss)) throw new Error(`loss became ${loss} at step ${step}: lower the learning rate`);
      const seconds = (performance.now() - started) / 1000;
      this.#post({ type: 'progress', step, steps: config.steps, loss, stepsPerSecond: step / Math.max(seconds, 1e-9) });
      if (step % every === 0 || step === config.steps) this.#post({ type: 'sample', step, sample: task.sample() });
      await yieldToEvents();
    }
    const stopped = step < config.steps;
    if (stopped && step > 0) this.#post({ type: 'sample', step, sample: task.sample() });
    this.#running = false;
    this.#post({ type: 'done', steps: step, stopped, seconds: (performance.now() - started) / 1000 });
  }

  #sendWeights(): void {
    const task = this.#task;
    if (!task || !this.#config) throw new Error('no model yet: train one first');
    const bytes = saveSafetensors(task.model.stateDict(), task.metadata());
    this.#post({ type: 'weights', bytes, fileName: `elman-${this.#config.task}.safetensors` }, [bytes.buffer as ArrayBuffer]);
  }
}
