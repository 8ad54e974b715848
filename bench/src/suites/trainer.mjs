/**
 * Data-parallel training with @elman/trainer (`new Trainer({workers: new WorkerPool(...)})`), through the public API.
 *
 * `trainer`: training steps per second (forward, BPTT, gradient reduction, Adam) of the issue's LSTM-S2 model,
 * the fused LSTM of @elman/cells (X 128 → H 256) with a per-step Linear(256, 1) read-out and an MSE loss on per-step
 * targets, on batches of B 256 sequences of T 64 steps, with the batch split across 0 (the calling thread), 1 and
 * 2 worker threads. The goal is ≥ 1.7× from 0 to 2 workers on a 2-core machine. What runs serially on the main
 * thread each step: copying the 8 MB batch into shared memory, summing the shard gradients (395 k parameters) and
 * Adam. There is no tfjs line here: tfjs has no data-parallel training under Node, and its single-threaded LSTM
 * step on these shapes (≈ 16 s on tfjs-wasm, ≈ 40 s on tfjs-cpu, 4× the `rnn` suite's B 64 figures) is compared in
 * the `rnn` suite.
 *
 * `trainer-sync`: the per-step synchronisation cost in µs: a training step of a trivial model (Linear(4, 1), B 8),
 * so that the time is almost all dispatch to the workers, waiting, and reduction. `workers: 0` is the same step on
 * the calling thread; the difference is the overhead of the pool.
 *
 * This module is also the workers' model factory (`benchModel`): every worker imports it and builds its replica.
 */
import { LSTM } from '@elman/cells';
import { Linear, Module, Sequential, mseLoss } from '@elman/core';

const S2 = { b: 256, t: 64, x: 128, h: 256 };
const SMALL = { b: 8, t: 1, x: 4, h: 0 };

/** LSTM(X → H) with a per-step Linear(H, 1) read-out: forward(x [B, T, X]) → [B, T, 1]. */
class LstmRegressor extends Module {
  /** @param {{x: number, h: number}} sizes */
  constructor({ x, h }) {
    super();
    this.lstm = new LSTM({ inputSize: x, hiddenSize: h });
    this.head = new Linear(h, 1);
  }

  /** @param {import('@elman/core').Tensor} input */
  forward(input) {
    return this.head.forward(this.lstm.forward(input).output); // [B, T, H] → [B, T, 1]
  }
}

/**
 * The model factory of both suites (run on the main thread and in every worker): the LSTM regressor, or a single
 * Linear(x, 1) when `h` is 0.
 * @param {{x: number, h: number}} options
 */
export function benchModel({ x, h }) {
  const model = h === 0 ? new Sequential(new Linear(x, 1)) : new LstmRegressor({ x, h });
  return { model, loss: mseLoss };
}

/** FLOPs of one training step's matrix products: LSTM forward 2·B·T·(X + H)·4H, backward twice that; the head is negligible. */
function flops({ b, t, x, h }) {
  return 6 * b * t * (x + h) * 4 * h;
}

/**
 * Builds a trainer with `workers` threads and returns one training step (with workers, each step copies the batch
 * into shared memory, as in real training).
 * @param {typeof import('@elman/core')} core
 */
async function stepper(core, { workers, b, t, x, h }) {
  const { Trainer } = await import('@elman/trainer');
  const { WorkerPool } = await import('@elman/trainer/node');
  core.manualSeed(0);
  const { model, loss } = benchModel({ x, h });
  const pool =
    workers > 0
      ? new WorkerPool({ size: workers, factory: { module: new URL(import.meta.url), export: 'benchModel', options: { x, h } } })
      : undefined;
  const trainer = new Trainer({ model, loss, optimizer: new core.Adam(model.parameters(), { lr: 1e-3 }), workers: pool, progress: false });
  const shape = t > 1 ? [b, t] : [b];
  const input = core.randn([...shape, x]); // [B, T, X] (or [B, X])
  const target = core.randn([...shape, 1]); // [B, T, 1] (or [B, 1])
  await trainer.trainOnBatch({ input, target }); // starts the workers
  return async () => {
    await trainer.trainOnBatch({ input, target });
  };
}

/** @param {number} workers */
function s2Case(workers) {
  return {
    shape: `LSTM B=${S2.b} T=${S2.t} X=${S2.x} H=${S2.h} workers=${workers}`,
    params: { workers, ...S2 },
    note: `LSTM-S2 training step (forward + BPTT + Adam), ${workers === 0 ? 'calling thread' : `batch split across ${workers} worker thread${workers > 1 ? 's' : ''}`}`,
  };
}

/** @type {import('./types.mjs').Suite} */
export const trainer = {
  name: 'trainer',
  unit: 'steps/s',
  higherIsBetter: true,
  async: true,
  cases: [s2Case(0), s2Case(1), s2Case(2)],
  value: (_p, medianMs) => 1000 / medianMs,
  extras: (p, medianMs) => ({ msPerStep: medianMs, sequencesPerSec: p.b / (medianMs / 1000), gflops: flops(p) / (medianMs * 1e6) }),
  threads: (p) => Math.max(1, p.workers),
  // A step takes ~0.6–1.3 s on wasm and ~3–6 s on js: 2 warm-up and 5 timed steps on wasm (the speed-up is a
  // ratio of two medians, so they need a few samples), 1 + 3 on js, to keep the suite within a few minutes.
  measureOptions: (_p, subject) => {
    const js = subject === 'elman:js';
    return { warmupMs: 0, minWarmupReps: js ? 1 : 2, minTimeMs: 0, minReps: js ? 3 : 5, maxReps: js ? 3 : 5 };
  },
  // Four js steps of ~6 s each, plus starting the workers, can pass the default limit on a busy machine.
  timeoutMs: 600_000,
  elman: stepper,
};

/** @param {number} workers */
function syncCase(workers) {
  return {
    shape: `Linear(${SMALL.x}, 1) B=${SMALL.b} workers=${workers}`,
    params: { workers, ...SMALL },
    note:
      workers === 0
        ? 'trivial training step on the calling thread (baseline)'
        : `trivial training step through ${workers} worker thread${workers > 1 ? 's' : ''}: minus the baseline = synchronisation overhead`,
  };
}

/** @type {import('./types.mjs').Suite} */
export const trainerSync = {
  name: 'trainer-sync',
  unit: 'µs/step',
  higherIsBetter: false,
  async: true,
  cases: [syncCase(0), syncCase(1), syncCase(2)],
  value: (_p, medianMs) => medianMs * 1000,
  threads: (p) => Math.max(1, p.workers),
  elman: stepper,
};
