/**
 * The job loop pieces both GEMM helper-thread programs share (wasm/thread-worker.ts and js/thread-worker.ts). The
 * helpers run from source text, where an import cannot reach, so these functions are self-contained and handed to
 * each program as values (their own source text goes into the worker's script next to the program's).
 */

/** What a helper program receives to wait for jobs and report failures. */
export interface ThreadJobHelpers {
  /** {@link awaitJob}. */
  awaitJob: typeof awaitJob;
  /** {@link reportFailure}. */
  reportFailure: typeof reportFailure;
}

/**
 * Waits until thread `index`'s state word holds `run` or `stop` and returns it: polls for `spinMs` first (GEMMs come
 * in runs, one per time step, and a parked thread takes tens of µs to wake under KVM), then parks in `Atomics.wait`.
 */
export function awaitJob(states: Int32Array, index: number, spinMs: number, run: number, stop: number): number {
  let state = Atomics.load(states, index);
  const until = performance.now() + spinMs;
  while (state !== run && state !== stop && performance.now() < until) state = Atomics.load(states, index);
  while (state !== run && state !== stop) {
    Atomics.wait(states, index, state);
    state = Atomics.load(states, index);
  }
  return state;
}

/** Writes the text of `err` (its stack where it has one) into the thread's error slot and stores `failed`. */
export function reportFailure(errors: Uint8Array, states: Int32Array, index: number, failed: number, err: unknown): void {
  const text = new TextEncoder().encode(String((err as Error | undefined)?.stack ?? err));
  errors.fill(0);
  errors.set(text.subarray(0, errors.length));
  Atomics.store(states, index, failed);
}

/** Source text of a {@link ThreadJobHelpers} object, for a helper thread's script. */
export function threadJobHelpersSource(): string {
  return `{ awaitJob: ${String(awaitJob)}, reportFailure: ${String(reportFailure)} }`;
}
