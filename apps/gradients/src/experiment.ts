import { Adam, Generator, Linear, type Parameter, clipGradNorm, mseLoss } from '@elman/core';
import { GRU, LSTM, RNN, type SequenceLayer, addingProblem } from '@elman/cells';
import type { HiddenState } from '@elman/cells';

/** The four recurrent models the explorer compares. */
export type ModelKind = 'tanh RNN' | 'IRNN' | 'LSTM' | 'GRU';

/** Every model, in the order of the table and the legend. */
export const MODEL_KINDS: readonly ModelKind[] = ['tanh RNN', 'IRNN', 'LSTM', 'GRU'];

/** Predicting the mean target 1 scores Var(U₁ + U₂) = 1/6: the MSE a model must beat to have learned anything. */
export const BASELINE_MSE = 1 / 6;

/** Options of {@link runExperiment}. */
export interface ExperimentOptions {
  /** Sequence length T of the adding problem. Default 100. */
  length?: number;
  /** Optimizer steps per training run. Default 600. */
  steps?: number;
  /** Hidden units H of every model. Default 32. */
  hiddenSize?: number;
  /** Sequences per training batch. Default 32. */
  batchSize?: number;
  /** Adam learning rate. Default 3e-3. */
  lr?: number;
  /** Global gradient-norm bound of the clipped runs (Pascanu et al. 2013). Default 1. */
  maxNorm?: number;
  /** Models to run. Default all of {@link MODEL_KINDS}. */
  models?: readonly ModelKind[];
  /** Seed of weights and data; the same seed gives every model the same weights stream and batches. Default 1. */
  seed?: number;
  /** Called with a one-line progress message (for printing). */
  onProgress?: (line: string) => void;
}

/** One training run of one model, with or without clipping. */
export interface TrainingRun {
  /** Whether gradients were clipped to `maxNorm` before every step. */
  clipped: boolean;
  /** Training-batch MSE of every step (NaN once the run diverged). */
  losses: Float32Array;
  /** Global gradient norm of every step before clipping. */
  gradNorms: Float32Array;
  /** ‖∂L/∂h_t‖ for t = 0 … T−1 on the held-out batch after training. */
  hiddenGradNorms: Float32Array;
  /** Held-out MSE after training. */
  finalMse: number;
}

/** Everything measured for one model. */
export interface ModelReport {
  /** Which model. */
  kind: ModelKind;
  /** ‖∂L/∂h_t‖ for t = 0 … T−1 on the held-out batch at initialisation. */
  initialHiddenGradNorms: Float32Array;
  /** Held-out MSE at initialisation. */
  initialMse: number;
  /** Training without clipping, then with clipping (same initial weights, same batches). */
  runs: readonly [TrainingRun, TrainingRun];
}

/** What {@link runExperiment} returns. */
export interface ExperimentResult {
  /** Sequence length T. */
  length: number;
  /** Optimizer steps per run. */
  steps: number;
  /** The bound of the clipped runs. */
  maxNorm: number;
  /** One report per model, in the order asked. */
  models: ModelReport[];
}

/** How much gradient reaches the first step relative to the last: ‖∂L/∂h_0‖ / ‖∂L/∂h_{T−1}‖. */
export function gradientRatio(norms: Float32Array): number {
  return norms[0]! / norms[norms.length - 1]!;
}

function makeLayer(kind: ModelKind, hiddenSize: number, generator: Generator): SequenceLayer<HiddenState> {
  const sizes = { inputSize: 2, hiddenSize, generator };
  switch (kind) {
    case 'tanh RNN':
      return new RNN(sizes);
    case 'IRNN':
      // ReLU with identity recurrence (Le, Jaitly & Hinton 2015): gradients pass unchanged through W_hh = I at init.
      return RNN.irnn(sizes);
    case 'LSTM':
      // Forget bias 1 keeps the cell's memory open at the start (Gers et al. 2000; Jozefowicz et al. 2015).
      return new LSTM({ ...sizes, forgetBias: 1 });
    case 'GRU':
      return new GRU(sizes);
  }
}

/**
 * The vanishing/exploding-gradient experiment on the adding problem (Hochreiter & Schmidhuber 1997): for each model,
 * a single recurrent layer + Linear(H, 1) reading the final state, it measures ‖∂L/∂h_t‖ for every t on a held-out
 * batch at initialisation, then trains twice from the same weights on the same batches (without and with
 * `clipGradNorm`) and measures again.
 */
export function runExperiment(options: ExperimentOptions = {}): ExperimentResult {
  const T = options.length ?? 100;
  const steps = options.steps ?? 600;
  const H = options.hiddenSize ?? 32;
  const batchSize = options.batchSize ?? 32;
  const lr = options.lr ?? 3e-3;
  const maxNorm = options.maxNorm ?? 1;
  const seed = options.seed ?? 1;
  const say = options.onProgress ?? (() => {});
  const held = addingProblem({ batchSize: 256, length: T, generator: new Generator(seed + 1000) }); // [256, T, 2]
  const models: ModelReport[] = [];

  for (const kind of options.models ?? MODEL_KINDS) {
    const build = () => {
      const gen = new Generator(seed);
      const layer = makeLayer(kind, H, gen);
      const head = new Linear(H, 1, { generator: gen });
      return { layer, head, params: [...layer.parameters(), ...head.parameters()] as Parameter[] };
    };
    // ‖∂L/∂h_t‖ and the MSE on the held-out batch; leaves the parameters' .grad set (nothing steps after a probe).
    const probe = (m: ReturnType<typeof build>): { norms: Float32Array; mse: number } => {
      for (const p of m.params) p.grad = null;
      const run = m.layer.forward(held.inputs, { trackHiddenGrads: true });
      const loss = mseLoss(m.head.forward(run.state.h), held.targets); // [256, 1] vs [256, 1]
      loss.backward();
      return { norms: run.hiddenGradNorms(), mse: loss.item() };
    };

    const initial = probe(build());
    say(`${kind}: at init ‖∂L/∂h_0‖/‖∂L/∂h_${T - 1}‖ = ${gradientRatio(initial.norms).toExponential(2)}`);
    const runs: TrainingRun[] = [];
    for (const clipped of [false, true]) {
      const m = build();
      const opt = new Adam(m.params, { lr });
      const data = new Generator(seed + 1);
      const losses = new Float32Array(steps);
      const gradNorms = new Float32Array(steps);
      const started = performance.now();
      // Progress about four times per run and at its end.
      for (let step = 0; step < steps; step++) {
        const batch = addingProblem({ batchSize, length: T, generator: data }); // [B, T, 2], [B, 1]
        opt.zeroGrad();
        const loss = mseLoss(m.head.forward(m.layer.forward(batch.inputs).state.h), batch.targets);
        loss.backward();
        losses[step] = loss.item();
        // maxNorm = Infinity only measures, so both runs record the same statistic.
        gradNorms[step] = clipGradNorm(m.params, clipped ? maxNorm : Infinity, 2, { errorIfNonfinite: false });
        if (!Number.isFinite(losses[step]!) || !Number.isFinite(gradNorms[step]!)) {
          // A diverged run stays diverged; its remaining steps are NaN rather than wasted time.
          losses.fill(Number.NaN, step);
          gradNorms.fill(Number.NaN, step);
          say(`${kind}${clipped ? ' clipped' : ''}: diverged at step ${step}`);
          break;
        }
        opt.step();
        if ((step + 1) % Math.max(1, Math.floor(steps / 4)) === 0 || step + 1 === steps) {
          say(
            `${kind}${clipped ? ' clipped' : ''}: step ${step + 1}/${steps} loss ${losses[step]!.toFixed(4)} ` +
              `‖g‖ ${gradNorms[step]!.toExponential(2)} (${((performance.now() - started) / 1000).toFixed(1)} s)`,
          );
        }
      }
      const after = probe(m);
      runs.push({ clipped, losses, gradNorms, hiddenGradNorms: after.norms, finalMse: after.mse });
    }
    models.push({
      kind,
      initialHiddenGradNorms: initial.norms,
      initialMse: initial.mse,
      runs: [runs[0]!, runs[1]!],
    });
  }
  return { length: T, steps, maxNorm, models };
}
