/**
 * Recurrent layers, end to end through the public API: a training step (forward, full BPTT, Adam) of a single-layer
 * LSTM, GRU and tanh RNN with an MSE loss on a Linear(H, 1) head over the last hidden state, and inference over a
 * 512-step sequence. Elman runs its fused whole-sequence kernels (@elman/cells); the peer is tfjs-layers with the same
 * model (`tf.layers.lstm/gru/simpleRNN` + `dense(1)`, Adam, MSE, one `optimizer.minimize` step).
 *
 * Shapes (from the issue): S1 = (B 32, T 32, X 32, H 64), S2 = (B 64, T 64, X 128, H 256); inference
 * (B 16, T 512, X 64, H 128). tfjs takes seconds per S2 step (DESIGN.md: ~9 s LSTM on wasm, ~29 s on cpu), so S2 and
 * inference run 1 warm-up + 2 timed repetitions (1 cold one on tfjs-cpu) instead of the harness default.
 */
import * as cells from '@elman/cells';

/** Gate blocks per cell: the recurrent products are [B, X or H] · [X or H, G·H]. */
const GATES = { lstm: 4, gru: 3, rnn: 1 };
const CELLS = ['lstm', 'gru', 'rnn'];

/**
 * Matrix-product FLOPs of a case, the figure behind the effective GFLOP/s. Forward: 2·B·T·(X + H)·G·H (input and
 * recurrent products). A training step adds the weight gradients (the same count again) and ∂L/∂h_{t−1}
 * (2·B·T·H·G·H); the input gradient is not needed (x is data). Gate nonlinearities, the head and Adam are not counted.
 */
function flops({ train, b, t, x, h, gates }) {
  const gh = gates * h;
  return train ? 2 * b * t * gh * (2 * x + 3 * h) : 2 * b * t * gh * (x + h);
}

/** @param {'lstm' | 'gru' | 'rnn'} cell */
function trainCase(cell, [b, t, x, h], size) {
  return {
    shape: `${cell} train ${size} B=${b} T=${t} X=${x} H=${h}`,
    params: { cell: CELLS.indexOf(cell), train: 1, b, t, x, h, gates: GATES[cell] },
    note: `${cell.toUpperCase()} training step: forward + BPTT + Adam${cell === 'gru' ? '; tfjs GRU is reset-before, Elman reset-after (PyTorch), same FLOPs' : ''}`,
  };
}

/** @param {'lstm' | 'gru' | 'rnn'} cell */
function inferCase(cell, [b, t, x, h]) {
  return {
    shape: `${cell} infer B=${b} T=${t} X=${x} H=${h}`,
    params: { cell: CELLS.indexOf(cell), train: 0, b, t, x, h, gates: GATES[cell] },
    note: `${cell.toUpperCase()} inference: one forward pass over a ${t}-step sequence`,
  };
}

const S1 = [32, 32, 32, 64];
const S2 = [64, 64, 128, 256];
const LONG = [16, 512, 64, 128];

function makeLayer(cellName, inputSize, hiddenSize, generator) {
  const opts = { inputSize, hiddenSize, returnSequences: false, generator };
  if (cellName === 'lstm') return new cells.LSTM(opts);
  if (cellName === 'gru') return new cells.GRU(opts);
  return new cells.RNN(opts);
}

/** @type {import('./types.mjs').Suite} */
export const rnn = {
  name: 'rnn',
  // Per repetition: one training step, or one forward pass over the whole sequence.
  unit: 'ms',
  higherIsBetter: false,
  cases: [
    ...CELLS.map((c) => trainCase(c, S1, 'S1')),
    ...CELLS.map((c) => trainCase(c, S2, 'S2')),
    ...CELLS.map((c) => inferCase(c, LONG)),
  ],
  value: (_params, medianMs) => medianMs,
  extras: (p, medianMs) => ({
    sequencesPerSec: (p.b * 1000) / medianMs,
    gflops: flops(p) / (medianMs * 1e6),
  }),
  measureOptions: (p, subject) => {
    // S2 steps and the 512-step inference take seconds per repetition (tfjs-cpu up to ~30 s), so a fixed short count
    // keeps the suite within minutes: one warm-up, then 2 timed repetitions (their mean). tfjs-cpu gets one cold
    // repetition: at seconds per repetition its first-call overhead does not show.
    const long = p.b === S2[0] || !p.train;
    if (!long) return {};
    if (subject === 'tfjs-cpu') return { warmupMs: 0, minWarmupReps: 0, minTimeMs: 0, minReps: 1 };
    return { warmupMs: 0, minWarmupReps: 1, minTimeMs: 0, minReps: 2 };
  },

  elman(core, p) {
    const cell = CELLS[p.cell];
    const gen = new core.Generator(0);
    const layer = makeLayer(cell, p.x, p.h, gen);
    const x = core.randn([p.b, p.t, p.x], { generator: gen }); // [B, T, X]
    if (!p.train) {
      return () => {
        core.noGrad(() => layer.forward(x)); // output [B, H]
      };
    }
    const head = new core.Linear(p.h, 1, { generator: gen });
    const y = core.randn([p.b, 1], { generator: gen }); // [B, 1]
    const opt = new core.Adam([...layer.parameters(), ...head.parameters()], { lr: 1e-3 });
    return () => {
      opt.zeroGrad();
      const last = layer.forward(x).output; // [B, H]
      core.mseLoss(head.forward(last), y).backward();
      opt.step();
    };
  },

  tfjs(tf, p) {
    const cell = CELLS[p.cell];
    const layerOf = { lstm: tf.layers.lstm, gru: tf.layers.gru, rnn: tf.layers.simpleRNN }[cell];
    // tfjs defaults the gates to hard sigmoid; PyTorch's (and Elman's) are logistic.
    const gateActivation = cell === 'rnn' ? {} : { recurrentActivation: 'sigmoid' };
    // tfjs's default orthogonal recurrent init takes minutes on cpu at H = 256 (it is not timed, but the harness has a
    // time limit per measurement); the initial values do not change the work of a step.
    const init = { recurrentInitializer: 'glorotUniform' };
    const x = tf.randomNormal([p.b, p.t, p.x]); // [B, T, X]
    const recurrent = layerOf({ units: p.h, inputShape: [p.t, p.x], returnSequences: false, ...gateActivation, ...init });
    if (!p.train) {
      const model = tf.sequential({ layers: [recurrent] });
      return () => {
        tf.tidy(() => {
          model.predict(x); // [B, H]
        });
      };
    }
    const model = tf.sequential({ layers: [recurrent, tf.layers.dense({ units: 1 })] });
    const y = tf.randomNormal([p.b, 1]); // [B, 1]
    const opt = tf.train.adam(1e-3);
    return () => {
      tf.tidy(() => {
        opt.minimize(() => tf.losses.meanSquaredError(y, model.apply(x, { training: true })));
      });
    };
  },
};

/**
 * The S2 training steps of `rnn` on the js backend with opt-in GEMM threads (`createJsBackend({ threads })`), one and
 * two threads side by side, against tfjs-wasm in the same run (one thread: its threaded build needs browser Web
 * Workers). With two threads the input projections, weight gradients and per-step recurrent products are split
 * across both cores (bit-identical results); the gate loops and Adam stay on the calling thread.
 */
export const rnnThreads = {
  name: 'rnn-threads',
  unit: rnn.unit,
  higherIsBetter: rnn.higherIsBetter,
  backends: ['js'],
  peers: ['tfjs-wasm'],
  cases: CELLS.flatMap((cell) =>
    [1, 2].map((threads) => {
      const base = trainCase(cell, S2, 'S2');
      return {
        shape: `${base.shape} js threads=${threads}`,
        params: { ...base.params, threads },
        note: `${base.note}; js backend, ${threads} GEMM thread${threads > 1 ? 's' : ''}`,
      };
    }),
  ),
  value: rnn.value,
  extras: rnn.extras,
  measureOptions: rnn.measureOptions,
  threads: ({ threads }) => threads,

  async elman(core, params) {
    // The child process set up the default js backend; replace it with one that has the case's threads, as a user
    // would (setJsThreads before the first op does the same for the default backend).
    core.registerBackend('js', () => core.createJsBackend({ threads: params.threads }), 0);
    await core.setBackend('js');
    const backend = core.getBackend();
    // Started before timing (otherwise they load during the warm-up repetition).
    const threads = await backend.startThreads();
    if (threads !== params.threads) throw new Error(`rnn-threads: asked for ${params.threads} threads, the backend has ${threads}`);
    return rnn.elman(core, params);
  },

  tfjs: rnn.tfjs,
};
