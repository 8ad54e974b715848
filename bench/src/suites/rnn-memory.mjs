/**
 * Peak memory of a long training run (issue 3): 200 training steps of the S2 LSTM (B 64, T 64, X 128, H 256;
 * forward, full BPTT, Adam, MSE on a Linear(H, 1) head of the last hidden state, exactly rnn.mjs's step) in one
 * process, sampling the resident set size after every step and reading the kernel's high-water mark at the end. The figure is the peak RSS in MB; the extras set it
 * against what the run must hold: parameters + gradients + Adam's two moments (4 copies of the parameters) plus the
 * activations one step keeps for its backward pass (x, and per (b, t) the LSTM's 4H gates, h_{t−1}, c_{t−1} and
 * tanh(c_t); the layer runs with `returnSequences: false`, so no `[B, T, H]` outputs are written or kept).
 * `baselineMb` is the process before the model exists (Node and the library loaded), so
 * `growthRatio` = (peak − baseline) / needed isolates what training adds. No peer: tfjs needs ~4–9 s per S2 step.
 */
import * as cells from '@elman/cells';

const STEPS = 200;
const MB = 2 ** 20;

/** Filled by the repetition, read by `value`/`extras` in the same measurement process. */
const observed = { baseline: 0, peak: 0, needed: 0, stepMs: 0 };

function rss() {
  return process.memoryUsage.rss();
}

/** The kernel's high-water mark of this process's RSS in bytes: catches peaks inside a step, between samples. */
function maxRss() {
  return process.resourceUsage().maxRSS * 1024;
}

/** @type {import('./types.mjs').Suite} */
export const rnnMemory = {
  name: 'rnn-memory',
  unit: 'MB',
  higherIsBetter: false,
  cases: [
    {
      shape: `lstm train S2 B=64 T=64 X=128 H=256 x${STEPS} steps`,
      params: { b: 64, t: 64, x: 128, h: 256, steps: STEPS },
      note:
        `peak RSS of ${STEPS} LSTM training steps (forward + BPTT + Adam) in one process; growthRatio = (peak RSS − ` +
        'baseline RSS before the model exists) / needed, needed = 4 B × (parameters × 4 [weights, grads, Adam m, v] + ' +
        'one step’s activations [x, and per (b, t) 4H gates + h_{t−1}, c_{t−1}, tanh(c_t); returnSequences false keeps no outputs])',
    },
  ],
  // The fused kernels' memory is the question; 200 S2 steps on the js reference would take ~10 minutes.
  backends: ['wasm'],
  // One repetition is the whole 200-step run (tens of seconds on a loaded machine).
  timeoutMs: 900_000,
  measureOptions: () => ({ warmupMs: 0, minWarmupReps: 0, minTimeMs: 0, minReps: 1, maxReps: 1 }),
  value: () => observed.peak / MB,
  extras: () => ({
    baselineMb: observed.baseline / MB,
    neededMb: observed.needed / MB,
    peakRatio: observed.peak / observed.needed,
    growthRatio: (observed.peak - observed.baseline) / observed.needed,
    stepMs: observed.stepMs,
  }),

  elman(core, p) {
    return () => {
      globalThis.gc?.();
      observed.baseline = rss();
      const gen = new core.Generator(0);
      const layer = new cells.LSTM({ inputSize: p.x, hiddenSize: p.h, returnSequences: false, generator: gen });
      const head = new core.Linear(p.h, 1, { generator: gen });
      const x = core.randn([p.b, p.t, p.x], { generator: gen }); // [B, T, X]
      const y = core.randn([p.b, 1], { generator: gen }); // [B, 1]
      const params = [...layer.parameters(), ...head.parameters()];
      const opt = new core.Adam(params, { lr: 1e-3 });
      const paramFloats = params.reduce((n, t) => n + t.size, 0);
      // x, then per (b, t): 4H gates + h_{t−1}, c_{t−1}, tanh(c_t): 7H floats (no outputs: returnSequences false).
      const activationFloats = p.b * p.t * (p.x + 7 * p.h);
      observed.needed = 4 * (4 * paramFloats + activationFloats);
      let peak = rss();
      const started = performance.now();
      for (let s = 0; s < p.steps; s++) {
        opt.zeroGrad();
        const last = layer.forward(x).output; // [B, H]
        core.mseLoss(head.forward(last), y).backward();
        opt.step();
        peak = Math.max(peak, rss());
      }
      observed.stepMs = (performance.now() - started) / p.steps;
      observed.peak = Math.max(peak, maxRss());
    };
  },
};
