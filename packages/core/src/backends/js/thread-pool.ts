import { BackendError } from '../../errors.js';
import { gemmKernelSource } from './gemm.js';
import { strassenKernelSource } from './gemm-strassen.js';
import {
  JS_THREAD_MAX_ARGS,
  JS_THREAD_OPS,
  JS_THREAD_STATE,
  type JsControlLayout,
  type JsThreadMessage,
  jsThreadWorkerSource,
} from './thread-worker.js';

/** Options of {@link JsThreadPool}. */
export interface JsThreadPoolOptions {
  /** Threads including the caller (at least 2): the pool starts `threads − 1` helpers. */
  readonly threads: number;
  /**
   * How long the caller waits for the helpers' share of a job beyond 20× the time its own share took, in ms
   * (default 30 s); a helper that overruns is taken as hung. Tests shorten it.
   */
  readonly timeoutMs?: number;
}

/** The parts of Node's `Worker` the pool uses. */
interface NodeWorker {
  on(event: 'error', listener: (err: Error) => void): void;
  on(event: 'exit', listener: (code: number) => void): void;
  terminate(): Promise<number>;
  unref(): void;
}

/** The parts of Node's `MessagePort` the pool uses. */
interface NodePort {
  postMessage(message: JsThreadMessage): void;
  unref(): void;
  close(): void;
}

interface NodeThreads {
  Worker: new (
    source: string,
    options: { eval: true; workerData: unknown; transferList: unknown[] },
  ) => NodeWorker;
  MessageChannel: new () => { port1: NodePort; port2: unknown };
}

/**
 * Node's `worker_threads`, reached through `process.getBuiltinModule` (Node ≥ 20.16) so that core's main entry
 * imports no Node built-in and stays browser-safe.
 */
function nodeThreads(): NodeThreads | null {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return (proc?.getBuiltinModule?.('node:worker_threads') as NodeThreads | undefined) ?? null;
}

/**
 * Whether this runtime can run js GEMM threads: shared memory, permission to block in `Atomics.wait`, and Node's
 * `worker_threads` (the helpers read new buffers synchronously with `receiveMessageOnPort`, which browsers lack).
 */
export function jsThreadsAvailable(): boolean {
  if (typeof SharedArrayBuffer !== 'function' || typeof Atomics !== 'object') return false;
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
  } catch {
    return false;
  }
  return nodeThreads() !== null;
}

const { starting: STARTING, idle: IDLE, run: RUN, claimed: CLAIMED, failed: FAILED, stop: STOP } = JS_THREAD_STATE;
const ERROR_SLOT = 1024;
/**
 * How long both sides poll before parking in `Atomics.wait`, in ms. A parked thread takes ~20–40 µs to wake under
 * KVM, but polling through the fused recurrent kernels' gate loops (a few hundred µs between per-step GEMMs) costs
 * more than it saves whenever the other core is busy: the polling helper competes with the calling thread for CPU
 * time. Measured on the S2 training steps (2 threads, loaded 2-core machine): 1 ms of polling made GRU and RNN 15–25%
 * slower than one thread; 50 µs made them 1.6–1.7× faster.
 */
const SPIN_MS = 0.05;

let workerSource: string | null = null;

/** Pools whose helpers are running, for {@link forgetSharedBuffer}. */
const livePools = new Set<JsThreadPool>();

/**
 * Tells the helpers of every running pool to drop `buffer` (a no-op for a buffer they do not know, or one that is
 * not shared): for buffers this thread is done with, so that helpers do not hold them until the garbage collector
 * reports them.
 */
export function forgetSharedBuffer(buffer: ArrayBufferLike): void {
  // typeof first: browsers without cross-origin isolation have no SharedArrayBuffer at all.
  if (typeof SharedArrayBuffer !== 'function' || !(buffer instanceof SharedArrayBuffer)) return;
  for (const pool of livePools) pool.forget(buffer);
}

/**
 * Helper threads for intra-op parallelism of the js GEMMs. Each helper runs the js GEMM kernels (from their source
 * text) over SharedArrayBuffers and parks in `Atomics.wait`; {@link JsThreadPool.parallel} posts a job to each ready
 * helper through a shared control buffer, runs the caller's own share, then blocks until every helper is done. The
 * caller blocks (Atomics.wait), so kernels stay synchronous, as the backend interface requires.
 *
 * Helpers start on first use, synchronously (no await: the js backend is created synchronously), and take jobs once
 * they have loaded; until then {@link JsThreadPool.ready} counts only those that have, and the caller does the rest.
 *
 * Failures: a job that throws in a helper fails that call with a `BackendError` carrying the helper's error. A
 * helper that dies, or does not finish in time, is fatal: the pool terminates its helpers, the next call (or the
 * current one) throws a `BackendError` saying so, and from then on {@link JsThreadPool.size} is 1, so callers run
 * on their own thread. Helpers and their ports are unref'd: they never keep a program alive.
 */
export class JsThreadPool {
  /** Threads including the caller. */
  readonly threads: number;
  private readonly timeoutMs: number;
  private readonly layout: JsControlLayout;
  private readonly control: SharedArrayBuffer;
  private readonly states: Int32Array;
  private readonly posted: Int32Array;
  private readonly args: Float64Array;
  private readonly errors: Uint8Array;
  private helpers: NodeWorker[] = [];
  private ports: NodePort[] = [];
  private started = false;
  private failure: BackendError | null = null;
  private failureReported = false;
  private disposed = false;
  /** Ids of the shared buffers the helpers know. */
  private readonly ids = new WeakMap<SharedArrayBuffer, number>();
  private nextId = 1;
  /** Tells the helpers to forget buffers this thread no longer holds (their memory is freed once both let go). */
  private readonly forgetting = new FinalizationRegistry<number>((id) => this.post({ forget: id }));

  /** A pool of `threads − 1` helpers, started on first use. */
  constructor(options: JsThreadPoolOptions) {
    const { threads } = options;
    this.threads = threads;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    const argSlot = JS_THREAD_MAX_ARGS + 1;
    const states = 0;
    const posted = threads * 4;
    const args = align8(posted + threads * 4);
    const errors = args + threads * argSlot * 8;
    this.layout = {
      threads,
      states,
      posted,
      args,
      argSlot,
      errors,
      errorSlot: ERROR_SLOT,
      spinMs: SPIN_MS,
      state: JS_THREAD_STATE,
      ops: JS_THREAD_OPS,
    };
    this.control = new SharedArrayBuffer(errors + threads * ERROR_SLOT);
    this.states = new Int32Array(this.control, states, threads);
    this.posted = new Int32Array(this.control, posted, threads);
    this.args = new Float64Array(this.control, args, threads * argSlot);
    this.errors = new Uint8Array(this.control, errors, threads * ERROR_SLOT);
  }

  /** Threads a job may use, the caller included: 1 once the pool is disposed or has lost a helper. */
  get size(): number {
    return this.disposed || this.failure ? 1 : this.threads;
  }

  /**
   * Threads that can take a job now, the caller included: starts the helpers on first call, and counts only those
   * that have loaded (0 of them for the first few milliseconds). Throws, once, the `BackendError` of a helper lost
   * since the last call (the caller then runs on its own thread from the next call on).
   */
  ready(): number {
    if (this.failure && !this.failureReported) {
      this.failureReported = true;
      throw this.failure;
    }
    if (this.size === 1) return 1;
    if (!this.started) this.start();
    let ready = 1;
    while (ready < this.threads && Atomics.load(this.states, ready) !== STARTING) ready++;
    return ready;
  }

  /**
   * Starts the helpers if they are not yet and resolves with {@link JsThreadPool.ready} once every one has loaded
   * (or after `timeoutMs`, with those that have). Rejects with the `BackendError` of a helper that failed to start.
   */
  async whenReady(timeoutMs = 30_000): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    let ready = this.ready();
    while (this.size > 1 && ready < this.threads && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 2));
      ready = this.ready();
    }
    return this.size > 1 ? ready : 1;
  }

  /**
   * The id under which the helpers know `buffer`, sending it to them first if they do not yet. Buffers are
   * forgotten by the helpers after this thread lets go of them.
   */
  idOf(buffer: SharedArrayBuffer): number {
    let id = this.ids.get(buffer);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(buffer, id);
      this.post({ id, buffer });
      this.forgetting.register(buffer, id, buffer);
    }
    return id;
  }

  /** Makes the helpers drop `buffer` now, if they know it (see {@link forgetSharedBuffer}). */
  forget(buffer: SharedArrayBuffer): void {
    const id = this.ids.get(buffer);
    if (id === undefined) return;
    this.ids.delete(buffer);
    this.forgetting.unregister(buffer);
    this.post({ forget: id });
  }

  /**
   * Runs `jobs[i]` (op index then arguments, see thread-worker.ts) on helper `i + 1` while `own` runs on the calling
   * thread, then waits until every helper has finished. A job its helper has not yet claimed when `own` returns is
   * taken back and run on the calling thread as `local[i]()` (the same block, on the caller's own arrays) instead.
   * Returns which jobs ran locally. Needs `jobs.length < ready()`. Throws a `BackendError` naming the op and the
   * helper when a helper's job throws or overruns its time.
   */
  parallel(jobs: readonly (readonly number[])[], own: () => void, local: readonly (() => void)[]): boolean[] {
    for (let i = 0; i < jobs.length; i++) {
      const thread = i + 1;
      this.args.set(jobs[i]!, thread * this.layout.argSlot);
      // The store publishes the arguments (and the operands already in shared memory) to the helper.
      Atomics.store(this.states, thread, RUN);
      Atomics.notify(this.states, thread);
    }
    const started = performance.now();
    const ranLocally = jobs.map(() => false);
    try {
      own();
      for (let i = 0; i < jobs.length; i++) {
        if (Atomics.compareExchange(this.states, i + 1, RUN, IDLE) !== RUN) continue;
        ranLocally[i] = true;
        local[i]!();
      }
    } finally {
      this.join(jobs, ranLocally, performance.now() - started);
    }
    return ranLocally;
  }

  /** Waits for the helpers of the jobs that did not run locally; see {@link JsThreadPool.parallel}. */
  private join(jobs: readonly (readonly number[])[], ranLocally: readonly boolean[], ownMs: number): void {
    const budget = this.timeoutMs + 20 * ownMs;
    const deadline = performance.now() + budget;
    let failed: string | null = null;
    for (let thread = 1; thread <= jobs.length; thread++) {
      if (ranLocally[thread - 1]) continue;
      // Still RUN only when `own` threw before the job was taken back: take it back now (it is not run).
      if (Atomics.compareExchange(this.states, thread, RUN, IDLE) === RUN) continue;
      const until = performance.now() + this.layout.spinMs;
      while (Atomics.load(this.states, thread) === CLAIMED && performance.now() < until);
      while (Atomics.load(this.states, thread) === CLAIMED) {
        const left = deadline - performance.now();
        if (left <= 0) {
          this.lost(thread, `did not finish its share within ${Math.round(budget)} ms`);
          this.failureReported = true;
          throw this.failure!;
        }
        Atomics.wait(this.states, thread, CLAIMED, left);
      }
      if (failed === null && Atomics.load(this.states, thread) === FAILED) {
        const op = Object.keys(JS_THREAD_OPS)[jobs[thread - 1]![0]!];
        failed = `js ${op}: thread ${thread} failed: ${this.errorText(thread)}`;
      }
    }
    if (failed !== null) throw new BackendError(failed);
  }

  /** Stops and terminates the helpers; the pool then has size 1. Idempotent. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    livePools.delete(this);
    for (let thread = 1; thread < this.threads; thread++) {
      Atomics.store(this.states, thread, STOP);
      Atomics.notify(this.states, thread);
    }
    for (const port of this.ports) port.close();
    await Promise.all(this.helpers.map((helper) => helper.terminate()));
  }

  /** Starts the helpers (Node workers from source text); a runtime without them leaves the pool at size 1. */
  private start(): void {
    this.started = true;
    const threads = nodeThreads();
    if (!threads) {
      this.failure = new BackendError('js threads: this runtime cannot start worker threads; GEMMs run on one thread');
      return;
    }
    workerSource ??= jsThreadWorkerSource(gemmKernelSource(), strassenKernelSource());
    livePools.add(this);
    for (let index = 1; index < this.threads; index++) {
      const { port1, port2 } = new threads.MessageChannel();
      const worker = new threads.Worker(workerSource, {
        eval: true,
        workerData: { control: this.control, index, layout: this.layout, port: port2 },
        transferList: [port2],
      });
      worker.on('error', (err) => this.lost(index, `threw ${err.stack ?? err.message}`));
      worker.on('exit', (code) => this.lost(index, `exited with code ${code}`));
      worker.unref();
      port1.unref();
      this.helpers.push(worker);
      this.ports.push(port1);
    }
  }

  /** Sends `message` to every helper, counting it in the control buffer so the helper reads it before its next job. */
  private post(message: JsThreadMessage): void {
    if (this.disposed) return;
    for (let i = 0; i < this.ports.length; i++) {
      this.ports[i]!.postMessage(message);
      Atomics.add(this.posted, i + 1, 1);
    }
  }

  private errorText(thread: number): string {
    const slot = this.errors.subarray(thread * ERROR_SLOT, (thread + 1) * ERROR_SLOT);
    const end = slot.indexOf(0);
    return new TextDecoder().decode(slot.slice(0, end < 0 ? slot.length : end));
  }

  /** A helper died or hung: record the failure and end every helper (a hung one may still write shared memory). */
  private lost(thread: number, what: string): void {
    if (this.disposed || this.failure) return;
    this.failure = new BackendError(`js threads: GEMM thread ${thread} ${what}; GEMMs now run on one thread`);
    livePools.delete(this);
    for (const helper of this.helpers) void helper.terminate();
  }
}

function align8(n: number): number {
  return (n + 7) & ~7;
}
