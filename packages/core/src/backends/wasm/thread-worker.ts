import { type ThreadJobHelpers, threadJobHelpersSource } from '../thread-job.js';

/**
 * The program a GEMM helper thread runs, and its source text for `new Worker(…)`.
 *
 * The thread instantiates the posted kernel module over the shared memory, then parks in `Atomics.wait` on its state
 * word of the control buffer until the calling thread posts a job (RUN) or asks it to stop (STOP). A job is a kernel
 * export's index and its arguments, as float64 in the thread's argument slot; the thread calls the export, then
 * stores DONE (or FAILED, with the error text in its error slot) and wakes the caller. Nothing crosses the message
 * channel after start-up: a blocked caller could not read it.
 */

/**
 * Values of a thread's state word (an int32 in the control buffer). The caller stores RUN or STOP; the thread
 * stores DONE or FAILED.
 */
export const THREAD_STATE = {
  /** Started, no job yet. */
  idle: 0,
  /** A job is posted; the thread is running it. */
  run: 1,
  /** The job finished. */
  done: 2,
  /** The job threw; the error text is in the thread's error slot. */
  failed: 3,
  /** Leave the loop and end. */
  stop: 4,
} as const;

/** Where each thread's words live in the control buffer (byte offsets), shared by both sides. */
export interface ControlLayout {
  /** Threads including the caller (state words and slots exist for all; the caller's are unused). */
  readonly threads: number;
  /** Byte offset of the int32 state words, one per thread. */
  readonly states: number;
  /** Byte offset of the float64 argument slots. */
  readonly args: number;
  /** Float64 values per argument slot: export index, argument count, then the arguments. */
  readonly argSlot: number;
  /** Byte offset of the error slots. */
  readonly errors: number;
  /** Bytes per error slot (UTF-8 text, NUL-terminated when shorter). */
  readonly errorSlot: number;
  /** Names of the kernel exports a job may call, by index. */
  readonly ops: readonly string[];
  /** How long a thread polls for the next job, in ms, before it parks in `Atomics.wait`. */
  readonly spinMs: number;
  /** The state values ({@link THREAD_STATE}), passed along because the thread's program cannot import them. */
  readonly state: typeof THREAD_STATE;
}

/** What a helper thread receives when it starts (structured-cloned: the module and the shared buffers are shared). */
export interface ThreadInit {
  /** The compiled kernel module (the shared-memory build). */
  readonly module: WebAssembly.Module;
  /** The one shared linear memory every thread's instance imports. */
  readonly memory: WebAssembly.Memory;
  /** The control buffer: state words, argument slots, error slots. */
  readonly control: SharedArrayBuffer;
  /** This thread's index, 1 … threads − 1 (0 is the caller). */
  readonly index: number;
  /** Layout of {@link ThreadInit.control}. */
  readonly layout: ControlLayout;
}

/** The one message a helper thread sends: ready, or why it could not start. */
export interface ThreadReply {
  /** Set once the instance exists and the thread is about to park. */
  readonly ready?: true;
  /** Set when instantiation failed. */
  readonly error?: string;
}

/**
 * The helper thread's whole program. It is turned into source text (`String(threadMain)`), so it must not refer to
 * anything outside its own body (the state values come in `init.layout.state`, the shared job-loop pieces in `jobs`).
 */
export function threadMain(init: ThreadInit, reply: (message: ThreadReply) => void, jobs: ThreadJobHelpers): void {
  const { module, memory, control, index, layout } = init;
  const { run, done, failed, stop } = layout.state;
  const states = new Int32Array(control, layout.states, layout.threads);
  const args = new Float64Array(control, layout.args + index * layout.argSlot * 8, layout.argSlot);
  const errors = new Uint8Array(control, layout.errors + index * layout.errorSlot, layout.errorSlot);
  WebAssembly.instantiate(module, { env: { memory } })
    .then((instance) => {
      const exports = instance.exports as Record<string, (...a: number[]) => void>;
      // Each instance has its own globals: this points its GEMM edge-tile staging at this thread's own tile.
      exports.setThreadIndex!(index);
      const ops = layout.ops.map((name) => exports[name]!);
      reply({ ready: true });
      for (;;) {
        if (jobs.awaitJob(states, index, layout.spinMs, run, stop) === stop) return;
        try {
          ops[args[0]!]!(...args.subarray(2, 2 + args[1]!));
          Atomics.store(states, index, done);
        } catch (err) {
          jobs.reportFailure(errors, states, index, failed, err);
        }
        Atomics.notify(states, index);
      }
    })
    .catch((err: unknown) => reply({ error: String(err) }));
}

/**
 * Source text of a helper thread: {@link threadMain} plus the glue that hands it its start-up data. Node workers run
 * it as an `eval` script (a CommonJS script or an ES module, as the parent's flags say) with the data in
 * `workerData`; browser workers (from a Blob URL) get it as their first message.
 */
export function threadWorkerSource(platform: 'node' | 'browser'): string {
  const main = String(threadMain);
  const jobs = threadJobHelpersSource();
  if (platform === 'node') {
    // getBuiltinModule rather than require: the script must also run where the parent was started with
    // --input-type=module (node -e with ESM), which makes eval workers ES modules, without require.
    return `'use strict';
const { parentPort, workerData } = process.getBuiltinModule('node:worker_threads');
(${main})(workerData, (message) => parentPort.postMessage(message), ${jobs});
`;
  }
  return `'use strict';
self.onmessage = (event) => {
  self.onmessage = null;
  (${main})(event.data, (message) => self.postMessage(message), ${jobs});
};
`;
}
