import { Adam, Generator, Linear, Module, type Tensor, mseLoss, noGrad } from '@elman/core';
import { testBackends, useBackend } from '@elman/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { addingProblem } from '../data/adding-problem.js';
import type { HiddenState } from '../state.js';
import { GRU } from './gru.js';
import { LSTM } from './lstm.js';
import { RNN } from './rnn.js';
import type { SequenceLayer } from './sequence-layer.js';

/** Many-to-one regressor: the last hidden state of a recurrent layer through Linear(H, 1). */
class Regressor extends Module {
  constructor(
    readonly rnn: SequenceLayer<HiddenState>,
    readonly head: Linear,
  ) {
    super();
  }

  forward(x: Tensor): Tensor {
    return this.head.forward(this.rnn.forward(x).state.h); // [B, 1]
  }
}

// The short version of the T = 100 experiment: at T = 25 the first marker is 12 to 24 steps from the end.
const T = 25;
const H = 16;
const STEPS = 600;
/** Always predicting 1 scores Var(U₁ + U₂) = 1/6. */
const BASELINE = 1 / 6;

type Kind = 'lstm' | 'gru' | 'rnn';

interface Outcome {
  /** MSE on 512 held-out sequences. */
  mse: number;
  /** ‖∂L/∂h_0‖ / ‖∂L/∂h_{T−1}‖ of the held-out loss: how much gradient reaches the start. */
  decay: number;
}

function make(kind: Kind, gen: Generator): SequenceLayer<HiddenState> {
  if (kind === 'lstm') return new LSTM({ inputSize: 2, hiddenSize: H, forgetBias: 1, generator: gen });
  if (kind === 'gru') return new GRU({ inputSize: 2, hiddenSize: H, generator: gen });
  return new RNN({ inputSize: 2, hiddenSize: H, generator: gen });
}

/** Trains with Adam (lr 0.01) on fresh batches of 32, then scores and probes the gradient flow on held-out data. */
function train(kind: Kind): Outcome {
  const gen = new Generator(7);
  const model = new Regressor(make(kind, gen), new Linear(H, 1, { generator: gen }));
  const opt = new Adam(model.parameters(), { lr: 0.01 });
  for (let step = 0; step < STEPS; step++) {
    const { inputs, targets } = addingProblem({ batchSize: 32, length: T, generator: gen }); // [32, T, 2], [32, 1]
    opt.zeroGrad();
    mseLoss(model.forward(inputs), targets).backward();
    opt.step();
  }
  const held = addingProblem({ batchSize: 512, length: T, generator: new Generator(99) });
  const mse = noGrad(() => mseLoss(model.forward(held.inputs), held.targets).item());
  const run = model.rnn.forward(held.inputs, { trackHiddenGrads: true });
  mseLoss(model.head.forward(run.state.h), held.targets).backward();
  const norms = run.hiddenGradNorms(); // [T]
  return { mse, decay: norms[0]! / norms[T - 1]! };
}

describe.each(testBackends())('adding problem at T = 25, 600 Adam steps (%s)', (backend) => {
  beforeAll(() => useBackend(backend));
  const outcomes = new Map<Kind, Outcome>();
  const trained = (kind: Kind): Outcome => {
    if (!outcomes.has(kind)) outcomes.set(kind, train(kind));
    return outcomes.get(kind)!;
  };

  it('an LSTM (forget bias 1) gets far below the 0.167 baseline', () => {
    expect(trained('lstm').mse).toBeLessThan(0.01);
  });

  it('a GRU gets far below the baseline', () => {
    expect(trained('gru').mse).toBeLessThan(0.01);
  });

  it('a tanh RNN with the same budget stays near the baseline', () => {
    expect(trained('rnn').mse).toBeGreaterThan(0.6 * BASELINE);
  });

  it('‖∂L/∂h_t‖ vanishes with distance in the tanh RNN but not in the trained LSTM and GRU', () => {
    // Measured: LSTM ≈ 0.2, GRU ≈ 0.4, tanh RNN ≈ 1e-5 over 24 steps.
    expect(trained('rnn').decay).toBeLessThan(1e-3);
    expect(trained('lstm').decay).toBeGreaterThan(0.05);
    expect(trained('gru').decay).toBeGreaterThan(0.05);
    expect(trained('lstm').decay / trained('rnn').decay).toBeGreaterThan(1000);
  });
});
