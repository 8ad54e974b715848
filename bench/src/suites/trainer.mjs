/**
 * Data-parallel training with @elman/trainer (`new Trainer({workers: new WorkerPool(...)})`), through the public API.
 *
 * `trainer`: training steps per second (forward, backward, gradient reduction, Adam) with the batch split across
 * 0 (the calling thread), 1 and 2 worker threads. The goal is ≥ 1.7× from 0 to 2 workers on a 2-core machine. The
 * model has the LSTM-S2 shapes (B 256, T 64, X 128, H 256) but is a position-wise MLP built from core ops,
 * Linear(128, 256) → tanh → Linear(256, 256) → tanh → Linear(256, 1) at every time step with an MSE loss on per-step
 * targets, a stand-in until the LSTM of @elman/cells is wired into this suite: like the LSTM, it reuses each weight
 * at all B·T positions, so the per-step work that parallelises (≈ 9.7 GFLOP) dwarfs the serial part on the main
 * thread (Adam over 99 k parameters, summing the shard gradients, copying the batch into shared memory). The peer is
 * the same model and step in tfjs (single-threaded), on the same shapes.
 *
 * `trainer-sync`: the per-step synchronisation cost in µs: a training step of a trivial model (Linear(4, 1), B 8),
 * so that the time is almost all dispatch to the workers, waiting, and reduction. `workers: 0` is the same step on
 * the calling thread; the difference is the overhead of the pool.
 *
 * This module is also the workers' model factory (`benchModel`): every worker imports it and builds its replica.
 */
import { Linear, Sequential, Tanh, mseLoss } from '@elman/core';

const S2 = { b: 256, t: 64, x: 128, h: 256 };
const SMALL = { b: 8, t: 1, x: 4, h: 0 };

/**
 * The model factory of both suites (run on the main thread and in every worker): the position-wise MLP, or a single
 * Linear(x, 1) when `h` is 0.
 * @param {{x: number, h: number}} options
 */
export function benchModel({ x, h }) {
  const model =
    h === 0
      ? new Sequential(new Linear(x, 1))
      : new Sequential(new Linear(x, h), new Tanh(), new Linear(h, h), new Tanh(), new Linear(h, 1));
  return { model, loss: mseLoss };
}

/** FLOPs of one training step's matrix products: forward 2·B·T·Σ(in·out), backward twice that. */
function flops({ b, t, x, h }) {
  return 6 * b * t * (x * h + h * h + h);
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
    shape: `B=${S2.b} T=${S2.t} X=${S2.x} H=${S2.h} workers=${workers}`,
    params: { workers, ...S2 },
    note: `position-wise MLP on LSTM-S2 shapes (stand-in for the LSTM), ${workers === 0 ? 'calling thread' : `batch split across ${workers} worker thread${workers > 1 ? 's' : ''}`}`,
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
  extras: (p, medianMs) => ({ msPerStep: medianMs, gflops: flops(p) / (medianMs * 1e6) }),
  threads: (p) => Math.max(1, p.workers),
  // A step takes from ~0.1 s (wasm, 2 workers) to several seconds (tfjs-cpu): 2 warm-up and 7 timed steps on Elman
  // (the speed-up is a ratio of two medians, so they need a few samples), 1 + 3 on tfjs-wasm, 1 + 1 on tfjs-cpu, to
  // keep the suite within minutes.
  measureOptions: (_p, subject) => {
    const elman = subject.startsWith('elman:');
    return { warmupMs: 0, minWarmupReps: elman ? 2 : 1, minTimeMs: 0, minReps: elman ? 7 : subject === 'tfjs-cpu' ? 1 : 3 };
  },
  elman: stepper,

  tfjs(tf, p) {
    const init = (rows, cols) => tf.variable(tf.randomUniform([rows, cols], -1 / Math.sqrt(rows), 1 / Math.sqrt(rows)));
    const w1 = init(p.x, p.h);
    const b1 = tf.variable(tf.zeros([p.h]));
    const w2 = init(p.h, p.h);
    const b2 = tf.variable(tf.zeros([p.h]));
    const w3 = init(p.h, 1);
    const b3 = tf.variable(tf.zeros([1]));
    const x = tf.randomNormal([p.b * p.t, p.x]); // [B·T, X]: position-wise, so the time axis folds into the rows
    const y = tf.randomNormal([p.b * p.t, 1]); // [B·T, 1]
    const opt = tf.train.adam(1e-3);
    return () => {
      tf.tidy(() => {
        opt.minimize(() => {
          const h1 = tf.tanh(tf.add(tf.matMul(x, w1), b1)); // [B·T, H]
          const h2 = tf.tanh(tf.add(tf.matMul(h1, w2), b2)); // [B·T, H]
          return tf.losses.meanSquaredError(y, tf.add(tf.matMul(h2, w3), b3));
        });
      });
    };
  },
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
