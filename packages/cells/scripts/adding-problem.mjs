/**
 * The adding-problem experiment at full length (Hochreiter & Schmidhuber 1997; setup of Le et al. 2015): a single-layer
 * LSTM, GRU and tanh RNN, each followed by Linear(H, 1), trained with Adam on fresh batches; reports the held-out MSE
 * (baseline: always predicting 1 scores 1/6 ≈ 0.167) and how much gradient reaches the first step,
 * ‖∂L/∂h_0‖ / ‖∂L/∂h_{T−1}‖, from the fused kernels' diagnostics. The unit tests run a short version (T = 25).
 *
 * Runs the built package: `pnpm --filter @elman/cells build`, then
 * `node packages/cells/scripts/adding-problem.mjs [T=100] [steps=3000] [cells=lstm,gru,rnn] [backend]`
 * (default backend: the fastest that initialises). Progress goes to stderr; one JSON line per model to stdout.
 */
import { Adam, Generator, Linear, clipGradNorm, getBackend, mseLoss, noGrad, ready, setBackend } from '@elman/core';
import { GRU, LSTM, RNN, addingProblem } from '@elman/cells';

const T = Number(process.argv[2] ?? 100);
const STEPS = Number(process.argv[3] ?? 3000);
const KINDS = (process.argv[4] ?? 'lstm,gru,rnn').split(',');
if (process.argv[5]) await setBackend(process.argv[5]);
else await ready();
const H = 64;
const BATCH = 32;
const LR = 3e-3;

function makeLayer(kind, generator) {
  if (kind === 'lstm') return new LSTM({ inputSize: 2, hiddenSize: H, forgetBias: 1, generator });
  if (kind === 'gru') return new GRU({ inputSize: 2, hiddenSize: H, generator });
  if (kind === 'rnn') return new RNN({ inputSize: 2, hiddenSize: H, generator });
  throw new Error(`adding-problem: unknown cell '${kind}' (lstm, gru, rnn)`);
}

for (const kind of KINDS) {
  const gen = new Generator(1);
  const layer = makeLayer(kind, gen);
  const head = new Linear(H, 1, { generator: gen });
  const params = [...layer.parameters(), ...head.parameters()];
  const opt = new Adam(params, { lr: LR });
  const held = addingProblem({ batchSize: 1000, length: T, generator: new Generator(99) });
  const evaluate = () => noGrad(() => mseLoss(head.forward(layer.forward(held.inputs).state.h), held.targets).item());
  const started = performance.now();
  let solvedAt = null;
  for (let step = 1; step <= STEPS; step++) {
    const { inputs, targets } = addingProblem({ batchSize: BATCH, length: T, generator: gen }); // [32, T, 2], [32, 1]
    opt.zeroGrad();
    mseLoss(head.forward(layer.forward(inputs).state.h), targets).backward();
    // Exploding gradients are the other half of the lesson: clip so one bad batch cannot derail the run.
    clipGradNorm(params, 1);
    opt.step();
    if (step % 250 === 0) {
      const mse = evaluate();
      if (solvedAt === null && mse < 0.01) solvedAt = step;
      process.stderr.write(`${kind} T=${T} step ${step}: held-out MSE ${mse.toFixed(4)} (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
    }
  }
  const run = layer.forward(held.inputs, { trackHiddenGrads: true });
  mseLoss(head.forward(run.state.h), held.targets).backward();
  const norms = run.hiddenGradNorms(); // [T]
  const result = {
    experiment: 'adding-problem',
    cell: kind,
    backend: getBackend().name,
    T,
    hiddenSize: H,
    batchSize: BATCH,
    steps: STEPS,
    lr: LR,
    heldOutMse: Number(evaluate().toPrecision(4)),
    baselineMse: 1 / 6,
    firstStepBelow001: solvedAt,
    gradReachingStart: Number((norms[0] / norms[T - 1]).toPrecision(3)),
    seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
