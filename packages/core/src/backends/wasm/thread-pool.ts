import { BackendError } from '../../errors.js';
import { type ControlLayout, THREAD_STATE, type ThreadInit, type ThreadReply, threadWorkerSource } from './thread-worker.js';

/** Options of {@link ThreadPool.start}. */
export interface ThreadPoolOptions {
  /** Threads including the caller (at least 2): the pool starts `threads − 1` helpers. */
  threads: number;
  /** Names of the kernel exports a job may call; a job names one by its index here. */
  ops: readonly string[];
  /** Most arguments any of `ops` takes. */
  maxArgs: number;
  /**
   * How long the caller waits for the helpers' share of a job beyond 20× the time its own share took, in ms
   * (default 30 s); a helper that overruns is taken as hung. Tests shorten it.
   */
  timeoutMs?: number;
  /** How long a helper may take to start, in ms (default 30 s). */
  startTimeoutMs?: number;
}

/** A started helper thread, whichever platform made it. */
interface Helper {
  /** Ends the thread. */
  terminate(): unknown;
  /** Lets the program end while the thread is parked (Node); browsers have no such thing. */
  unref?(): void;
}

/**
 * Starts one helper with `init`; `reply` gets its one message, `failure` an error event or an exit (Node), so a
 * helper that dies is noticed.
 */
type Spawn = (init: ThreadInit, reply: (message: ThreadReply) => void, failure: (what: string) => void) => Helper;

interface NodeWorker extends Helper {
  once(event: 'message', listener: (message: ThreadReply) => void): void;
  on(event: 'error', listener: (err: Error) => void): void;
  on(event: 'exit', listener: (code: number) => void): void;
}

type NodeWorkerConstructor = new (source: string, options: { eval: true; workerData: ThreadInit }) => NodeWorker;

/**
 * Node's `Worker`, reached through `process.getBuiltinModule` (Node ≥ 20.16) so that core's main entry imports no
 * Node built-in and stays browser-safe.
 */
function nodeSpawn(): Spawn | null {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const threads = proc?.getBuiltinModule?.('node:worker_threads') as { Worker: NodeWorkerConstructor } | undefined;
  if (!threads) return null;
  const source = threadWorkerSource('node');
  return (init, reply, failure) => {
    const worker = new threads.Worker(source, { eval: true, workerData: init });
    worker.once('message', reply);
    worker.on('error', (err) => failure(`threw ${err.stack ?? err.message}`));
    worker.on('exit', (code) => failure(`exited with code ${code}`));
    return worker;
  };
}

/** Web Workers from a Blob URL of the same program (dedicated workers may start workers of their own). */
function browserSpawn(): Spawn | null {
  if (typeof Worker !== 'function' || typeof Blob !== 'function' || typeof URL.createObjectURL !== 'function') return null;
  const source = new Blob([threadWorkerSource('browser')], { type: 'text/javascript' });
  return (init, reply, failure) => {
    const url = URL.createObjectURL(source);
    const worker = new Worker(url);
    worker.onmessage = (event: MessageEvent<ThreadReply>) => {
      // The worker has loaded its program by the time it answers: the URL is no longer needed.
      URL.revokeObjectURL(url);
      reply(event.data);
    };
    worker.onerror = (event) => failure(`threw ${event.message}`);
    worker.postMessage(init);
    return worker;
  };
}

/**
 * Whether this thread can run a pool: shared memory (SharedArrayBuffer, which browsers grant only to
 * cross-origin-isolated pages), a thread to start, and permission to block in `Atomics.wait` (Node's main thread
 * and workers have it; a browser's main thread does not).
 */
export function threadsAvailable(): boolean {
  if (typeof SharedArrayBuffer !== 'function' || typeof Atomics !== 'object') return false;
  if ((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === false) return false;
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
  } catch {
    return false;
  }
  return nodeSpawn() !== null || typeof Worker === 'function';
}

const { run: RUN, failed: FAILED, stop: STOP } = THREAD_STATE;
const ERROR_SLOT = 1024;
/**
 * How long both sides poll before parking in `Atomics.wait`: a parked thread takes ~20–40 µs to wake here (futex
 * wake-up under KVM), which is the whole cost of a 128³ product. Measured on the LSTM-step GEMM [32, 384]·[384, 512]
 * with two threads: 1.2× one thread without polling, 1.7× with 50 µs of it; 512³ gains 1.9× either way.
 */
const SPIN_MS = 0.05;

/**
 * Helper threads for intra-op parallelism of the wasm kernels. Each helper holds its own instance of the kernel
 * module over the one shared memory and parks in `Atomics.wait`; {@link ThreadPool.parallel} posts a job to each
 * helper through a shared control buffer, runs the caller's own share, then blocks until every helper is done. The
 * caller blocks (Atomics.wait), so kernels stay synchronous, as the backend interface requires.
 *
 * Failures: a job that throws in a helper (a wasm trap) fails that call with a `BackendError` carrying the helper's
 * error. A helper that dies, or does not finish in time, is fatal: the pool terminates its helpers, the next call
 * (or the current one) throws a `BackendError` saying so, and from then on {@link ThreadPool.size} is 1, so callers
 * run on their own thread. Helpers are unref'd (Node): they never keep a program alive.
 */
export class ThreadPool {
  private readonly states: Int32Array;
  private readonly args: Float64Array;
  private readonly errors: Uint8Array;
  private readonly argSlot: number;
  private helpers: Helper[] = [];
  private failure: BackendError | null = null;
  private failureReported = false;
  private disposed = false;

  private constructor(
    private readonly layout: ControlLayout,
    control: SharedArrayBuffer,
    private readonly timeoutMs: number,
  ) {
    this.states = new Int32Array(control, layout.states, layout.threads);
    this.args = new Float64Array(control, layout.args, layout.threads * layout.argSlot);
    this.errors = new Uint8Array(control, layout.errors, layout.threads * layout.errorSlot);
    this.argSlot = layout.argSlot;
  }

  /**
   * Starts `threads − 1` helpers running `module` over `memory` and resolves once every one is parked. Rejects with
   * a `BackendError` when this runtime cannot start threads or a helper fails to start (the others are terminated).
   */
  static async start(module: WebAssembly.Module, memory: WebAssembly.Memory, options: ThreadPoolOptions): Promise<ThreadPool> {
    const { threads, ops, maxArgs } = options;
    const spawn = nodeSpawn() ?? browserSpawn();
    if (!spawn) throw new BackendError('wasm threads: this runtime cannot start worker threads');
    const argSlot = maxArgs + 2;
    const states = 0;
    const args = align8(states + threads * 4);
    const errors = args + threads * argSlot * 8;
    const layout: ControlLayout = {
      threads,
      states,
      args,
      argSlot,
      errors,
      errorSlot: ERROR_SLOT,
      ops,
      spinMs: SPIN_MS,
      state: THREAD_STATE,
    };
    const control = new SharedArrayBuffer(errors + threads * ERROR_SLOT);
    const pool = new ThreadPool(layout, control, options.timeoutMs ?? 30_000);
    const startTimeout = options.startTimeoutMs ?? 30_000;
    const started: Promise<void>[] = [];
    for (let index = 1; index < threads; index++) {
      started.push(
        new Promise<void>((resolve, reject) => {
          let ready = false;
          const timer = setTimeout(() => reject(new Error(`did not start within ${startTimeout} ms`)), startTimeout);
          const helper = spawn(
            { module, memory, control, index, layout },
            (message) => {
              clearTimeout(timer);
              ready = message.ready === true;
              if (ready) resolve();
              else reject(new Error(message.error));
            },
            (what) => {
              clearTimeout(timer);
              if (ready) pool.lost(index, what);
              else reject(new Error(what));
            },
          );
          pool.helpers.push(helper);
        }),
      );
    }
    try {
      await Promise.all(started);
    } catch (err) {
      await pool.dispose();
      throw new BackendError(`wasm threads: a GEMM thread failed to start: ${(err as Error).message}`, { cause: err });
    }
    // Only now: an unref'd helper could not keep the program alive long enough to say it is ready.
    for (const helper of pool.helpers) helper.unref?.();
    return pool;
  }

  /** Threads a job may use now, the caller included: 1 once the pool is disposed or has lost a helper. */
  get size(): number {
    return this.disposed || this.failure ? 1 : this.layout.threads;
  }

  /**
   * Throws, once, the `BackendError` of a helper lost since the last call (the caller then runs on its own
   * thread from the next call on).
   */
  check(): void {
    if (this.failure && !this.failureReported) {
      this.failureReported = true;
      throw this.failure;
    }
  }

  /**
   * Runs `jobs[i]` (the export `ops[op]` with those arguments) on helper `i + 1` while `own` runs on the calling
   * thread, then blocks until every helper has finished. Needs `jobs.length < size`. Throws a `BackendError` naming
   * the export and the helper when a helper's job throws or overruns its time.
   */
  parallel(op: number, jobs: readonly (readonly number[])[], own: () => void): void {
    for (let i = 0; i < jobs.length; i++) {
      const thread = i + 1;
      const job = jobs[i]!;
      const slot = thread * this.argSlot;
      this.args[slot] = op;
      this.args[slot + 1] = job.length;
      this.args.set(job, slot + 2);
      // The store publishes the arguments (and the operands already in wasm memory) to the helper.
      Atomics.store(this.states, thread, RUN);
      Atomics.notify(this.states, thread);
    }
    const started = performance.now();
    try {
      own();
    } finally {
      this.join(op, jobs.length, performance.now() - started);
    }
  }

  /** Waits for helpers 1 … count; see {@link ThreadPool.parallel}. */
  private join(op: number, count: number, ownMs: number): void {
    const budget = this.timeoutMs + 20 * ownMs;
    const deadline = performance.now() + budget;
    let failed: string | null = null;
    for (let thread = 1; thread <= count; thread++) {
      const until = performance.now() + this.layout.spinMs;
      while (Atomics.load(this.states, thread) === RUN && performance.now() < until);
      while (Atomics.load(this.states, thread) === RUN) {
        const left = deadline - performance.now();
        if (left <= 0) {
          this.lost(thread, `did not finish its share within ${Math.round(budget)} ms`);
          this.failureReported = true;
          throw this.failure!;
        }
        Atomics.wait(this.states, thread, RUN, left);
      }
      if (failed === null && Atomics.load(this.states, thread) === FAILED) failed = `thread ${thread} failed: ${this.errorText(thread)}`;
    }
    if (failed !== null) throw new BackendError(`wasm ${this.layout.ops[op]}: ${failed}`);
  }

  private errorText(thread: number): string {
    const slot = this.errors.subarray(thread * this.layout.errorSlot, (thread + 1) * this.layout.errorSlot);
    const end = slot.indexOf(0);
    // slice() copies out of the shared buffer: TextDecoder refuses shared views in browsers.
    return new TextDecoder().decode(slot.slice(0, end < 0 ? slot.length : end));
  }

  /** A helper died or hung: record the failure and end every helper (a hung one may still write wasm memory). */
  private lost(thread: number, what: string): void {
    if (this.disposed || this.failure) return;
    this.failure = new BackendError(`wasm threads: GEMM thread ${thread} ${what}; GEMMs now run on one thread`);
    for (const helper of this.helpers) helper.terminate();
  }

  /** Stops and terminates the helpers; the pool then has size 1. Idempotent. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (let thread = 1; thread < this.layout.threads; thread++) {
      Atomics.store(this.states, thread, STOP);
      Atomics.notify(this.states, thread);
    }
    await Promise.all(this.helpers.map((helper) => helper.terminate()));
  }
}

function align8(n: number): number {
  return (n + 7) & ~7;
}
