import { type ThreadJobHelpers, threadJobHelpersSource } from '../thread-job.js';

/**
 * The program a js-backend GEMM helper thread runs, and its source text for `new Worker(…)`.
 *
 * The thread evaluates the js GEMM kernels from their own source text (gemm.ts and gemm-strassen.ts give it), so it
 * runs the very code the calling thread runs, from the built package and from TypeScript sources under a test runner
 * alike. It parks in `Atomics.wait` on its state word of the control buffer until the calling thread posts a job
 * (RUN) or asks it to stop (STOP). A job is an op index and its arguments, as float64 in the thread's argument slot;
 * arrays are named by the id of their SharedArrayBuffer plus an element offset. The calling thread sends each new
 * buffer (and each id to forget) on a MessagePort before the first job that uses it and counts the messages in the
 * control buffer; the helper, blocked in its loop, reads them with `receiveMessageOnPort` until its count matches.
 * The thread then stores DONE (or FAILED, with the error text in its error slot) and wakes the caller.
 */

/**
 * Values of a thread's state word (an int32 in the control buffer). The helper stores IDLE once it can take jobs;
 * the caller posts a job as RUN; the helper claims it (RUN → CLAIMED, compare-and-exchange) and stores DONE or
 * FAILED after it. A caller done with its own share before the helper has claimed its job takes the job back
 * (RUN → IDLE) and runs it itself, so a helper slow to wake (a busy core) never holds the caller up.
 */
export const JS_THREAD_STATE = {
  /** Still loading its program: give it no job. */
  starting: 0,
  /** Ready, no job posted. */
  idle: 1,
  /** A job is posted, not yet claimed. */
  run: 2,
  /** The thread is running the job. */
  claimed: 3,
  /** The job finished. */
  done: 4,
  /** The job threw; the error text is in the thread's error slot. */
  failed: 5,
  /** Leave the loop and end. */
  stop: 6,
} as const;

/** Jobs a helper runs, by the index stored first in its argument slot. */
export const JS_THREAD_OPS = {
  /** `gemm(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc)` of gemm.ts (arrays as id + offset). */
  gemm: 0,
  /** `packedColumns(…)` of gemm.ts: columns of a product with a packed right operand, classical path. */
  packedColumns: 1,
  /** `strassenGemmPacked(…)` of gemm-strassen.ts: columns of a product with a packed right operand, Strassen path. */
  strassen: 2,
} as const;

/** Where each thread's words live in the control buffer (byte offsets), shared by both sides. */
export interface JsControlLayout {
  /** Threads including the caller (words and slots exist for all; the caller's are unused). */
  readonly threads: number;
  /** Byte offset of the int32 state words, one per thread. */
  readonly states: number;
  /** Byte offset of the int32 message counts, one per thread: messages the caller has posted to that thread. */
  readonly posted: number;
  /** Byte offset of the float64 argument slots. */
  readonly args: number;
  /** Float64 values per argument slot: op index, then the arguments. */
  readonly argSlot: number;
  /** Byte offset of the error slots. */
  readonly errors: number;
  /** Bytes per error slot (UTF-8 text, NUL-terminated when shorter). */
  readonly errorSlot: number;
  /** How long a thread polls for the next job, in ms, before it parks in `Atomics.wait`. */
  readonly spinMs: number;
  /** The state values ({@link JS_THREAD_STATE}), passed along because the thread's program cannot import them. */
  readonly state: typeof JS_THREAD_STATE;
  /** The op indices ({@link JS_THREAD_OPS}). */
  readonly ops: typeof JS_THREAD_OPS;
}

/** A message on a helper's port: a shared buffer to know by `id`, or an id to forget. */
export type JsThreadMessage = { readonly id: number; readonly buffer: SharedArrayBuffer } | { readonly forget: number };

/** What a helper thread receives when it starts (structured-cloned; the port is transferred). */
export interface JsThreadInit {
  /** The control buffer: state words, message counts, argument slots, error slots. */
  readonly control: SharedArrayBuffer;
  /** This thread's index, 1 … threads − 1 (0 is the caller). */
  readonly index: number;
  /** Layout of {@link JsThreadInit.control}. */
  readonly layout: JsControlLayout;
  /** The receiving end of the caller's {@link JsThreadMessage}s. */
  readonly port: MessagePort;
}

/** The kernels a helper calls, as its program receives them (evaluated from their source text). */
export interface JsThreadKernels {
  /** gemm.ts's `gemm` and `packedColumns`. */
  readonly gemm: { gemm: (...args: unknown[]) => void; packedColumns: (...args: unknown[]) => void };
  /** gemm-strassen.ts's `strassenGemmPacked`. */
  readonly strassen: { strassenGemmPacked: (...args: unknown[]) => void };
}

/**
 * The helper thread's whole program. It is turned into source text (`String(jsThreadMain)`), so it must not refer to
 * anything outside its own body; `receive` is Node's `receiveMessageOnPort`, `jobs` the shared job-loop pieces.
 */
export function jsThreadMain(
  init: JsThreadInit,
  kernels: JsThreadKernels,
  receive: (port: MessagePort) => { message: JsThreadMessage } | undefined,
  jobs: ThreadJobHelpers,
): void {
  const { control, index, layout, port } = init;
  const { idle, run, claimed, done, failed, stop } = layout.state;
  const ops = layout.ops;
  const states = new Int32Array(control, layout.states, layout.threads);
  const posted = new Int32Array(control, layout.posted, layout.threads);
  const args = new Float64Array(control, layout.args + index * layout.argSlot * 8, layout.argSlot);
  const errors = new Uint8Array(control, layout.errors + index * layout.errorSlot, layout.errorSlot);
  /** Known shared buffers by id, with their float32 and float64 views made on first use. */
  const buffers = new Map<number, { buffer: SharedArrayBuffer; f32: Float32Array | null; f64: Float64Array | null }>();
  let received = 0;
  const f32 = (id: number): Float32Array => {
    const entry = buffers.get(id)!;
    entry.f32 ??= new Float32Array(entry.buffer);
    return entry.f32;
  };
  const f64 = (id: number): Float64Array => {
    const entry = buffers.get(id)!;
    entry.f64 ??= new Float64Array(entry.buffer);
    return entry.f64;
  };
  const { gemm, packedColumns } = kernels.gemm;
  const { strassenGemmPacked } = kernels.strassen;
  const a = args;
  Atomics.store(states, index, idle);
  for (;;) {
    if (jobs.awaitJob(states, index, layout.spinMs, run, stop) === stop) return;
    // The caller may have taken the job back meanwhile.
    if (Atomics.compareExchange(states, index, run, claimed) !== run) continue;
    try {
      // The messages were posted before the job: they are already in this port's queue.
      while (received < Atomics.load(posted, index)) {
        const got = receive(port);
        if (!got) continue;
        received++;
        const m = got.message;
        if ('forget' in m) buffers.delete(m.forget);
        else buffers.set(m.id, { buffer: m.buffer, f32: null, f64: null });
      }
      // Integer arguments as int32 (`| 0`): read from a Float64Array they are doubles, and indices derived from
      // doubles would keep the kernels' index arithmetic in floating point (measured 2.4× slower).
      const op = a[0];
      if (op === ops.gemm) {
        // transA, transB, M, N, K, alpha, A, aOffset, lda, B, bOffset, ldb, beta, C, cOffset, ldc
        gemm(a[1] === 1, a[2] === 1, a[3]! | 0, a[4]! | 0, a[5]! | 0, a[6], f32(a[7]!), a[8]! | 0, a[9]! | 0, f32(a[10]!), a[11]! | 0, a[12]! | 0, a[13], f32(a[14]!), a[15]! | 0, a[16]! | 0);
      } else {
        // M, N, K, alpha, A, aOffset, aRow, aCol, packed, bStart, aBase, col0, col1, C, cOffset, ldc
        const kernel = op === ops.packedColumns ? packedColumns : strassenGemmPacked;
        kernel(a[1]! | 0, a[2]! | 0, a[3]! | 0, a[4], f32(a[5]!), a[6]! | 0, a[7]! | 0, a[8]! | 0, f64(a[9]!), a[10]! | 0, a[11]! | 0, a[12]! | 0, a[13]! | 0, f32(a[14]!), a[15]! | 0, a[16]! | 0);
      }
      Atomics.store(states, index, done);
    } catch (err) {
      jobs.reportFailure(errors, states, index, failed, err);
    }
    Atomics.notify(states, index);
  }
}

/** Most arguments of a job, after the op index. */
export const JS_THREAD_MAX_ARGS = 16;

/**
 * Source text of a Node helper thread: the kernels (`gemmSource`, `strassenSource`: expressions from gemm.ts and
 * gemm-strassen.ts), {@link jsThreadMain}, and the glue that hands it its start-up data.
 */
export function jsThreadWorkerSource(gemmSource: string, strassenSource: string): string {
  // getBuiltinModule rather than require: the script must also run where the parent was started with
  // --input-type=module (node -e with ESM), which makes eval workers ES modules, without require.
  return `'use strict';
const { workerData, receiveMessageOnPort } = process.getBuiltinModule('node:worker_threads');
const kernels = { gemm: ${gemmSource}, strassen: ${strassenSource} };
(${String(jsThreadMain)})(workerData, kernels, receiveMessageOnPort, ${threadJobHelpersSource()});
`;
}
