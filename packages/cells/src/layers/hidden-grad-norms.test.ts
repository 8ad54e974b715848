import { Generator, Linear, type Tensor, ValueError, mseLoss, mul, randn, select, stack, sum } from '@elman/core';
import { testBackends, useBackend } from '@elman/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { LSTMCell } from '../cells/lstm-cell.js';
import { addingProblem } from '../data/adding-problem.js';
import type { LstmState } from '../state.js';
import { LSTM } from './lstm.js';
import { RNN } from './rnn.js';

describe.each(testBackends())('hidden-state gradient norms ‖∂L/∂h_t‖ (%s)', (backend) => {
  beforeAll(() => useBackend(backend));
  const B = 3;
  const T = 6;
  const X = 2;
  const H = 4;

  it('equal the norms of the retained gradients of every h_t of the unrolled cell', () => {
    const gen = new Generator(4);
    const lstm = new LSTM({ inputSize: X, hiddenSize: H, generator: gen });
    const cell = new LSTMCell({ inputSize: X, hiddenSize: H });
    cell.loadStateDict(Object.fromEntries(Object.entries(lstm.stateDict()).map(([k, t]) => [k.replace(/_l0$/, ''), t])));
    const x = randn([B, T, X], { generator: gen });
    const wy = randn([B, T, H], { generator: gen });
    const wh = randn([B, H], { generator: gen });

    const r = lstm.forward(x, { trackHiddenGrads: true });
    sum(mul(r.output, wy)).add(sum(mul(r.state.h, wh))).backward();

    const hs: Tensor[] = [];
    let s: LstmState | undefined;
    for (let t = 0; t < T; t++) {
      s = cell.forward(select(x, 1, t), s);
      hs.push(s.h.retainGrad());
    }
    sum(mul(stack(hs, 1), wy)).add(sum(mul(s!.h, wh))).backward();

    const norms = r.hiddenGradNorms();
    const perSeq = r.hiddenGradNormsPerSequence();
    expect(norms.length).toBe(T);
    expect(perSeq.length).toBe(B * T);
    for (let t = 0; t < T; t++) {
      const g = hs[t]!.grad!.data;
      let total = 0;
      for (let b = 0; b < B; b++) {
        let sq = 0;
        for (let j = 0; j < H; j++) sq += g[b * H + j]! ** 2;
        expect(perSeq[b * T + t]).toBeCloseTo(Math.sqrt(sq), 5);
        total += sq;
      }
      expect(norms[t]).toBeCloseTo(Math.sqrt(total), 5);
    }
  });

  it('are 0 at padded steps and count each sequence at its own time positions (reverse, lengths)', () => {
    const gen = new Generator(5);
    const rnn = new RNN({ inputSize: X, hiddenSize: H, reverse: true, generator: gen });
    const x = randn([B, T, X], { generator: gen });
    const lengths = [6, 2, 4];
    const r = rnn.forward(x, { lengths, trackHiddenGrads: true });
    sum(r.state.h).backward(); // only the final state: the gradient enters at t = 0 and flows towards t = len − 1
    const perSeq = r.hiddenGradNormsPerSequence();
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) {
        if (t < lengths[b]!) expect(perSeq[b * T + t]).toBeGreaterThan(0);
        else expect(perSeq[b * T + t]).toBe(0);
      }
      expect(perSeq[b * T]).toBeCloseTo(Math.sqrt(H), 5); // ∂(Σ h_n)/∂h_0 = 1 for every unit
    }
  });

  it('need trackHiddenGrads and a backward pass first', () => {
    const rnn = new RNN({ inputSize: X, hiddenSize: H });
    const x = randn([B, T, X]);
    expect(() => rnn.forward(x).hiddenGradNorms()).toThrow(ValueError);
    expect(() => rnn.forward(x).hiddenGradNorms()).toThrow('RNN: hidden-state gradient norms need forward(x, {trackHiddenGrads: true})');
    const r = rnn.forward(x, { trackHiddenGrads: true });
    expect(() => r.hiddenGradNormsPerSequence()).toThrow(
      'RNN: hidden-state gradient norms are available after backward() through this forward pass',
    );
  });

  it('at initialisation vanish over 50 steps in a tanh RNN, thousands of times faster than in an LSTM with forget bias 1', () => {
    // Untrained, PyTorch-initialised, on the adding problem: the gradient of the last-step loss reaching h_0.
    const T50 = 50;
    const decay = (layer: RNN | LSTM, gen: Generator): number => {
      const head = new Linear(32, 1, { generator: gen });
      const { inputs, targets } = addingProblem({ batchSize: 16, length: T50, generator: gen });
      const r = layer.forward(inputs, { trackHiddenGrads: true });
      mseLoss(head.forward(r.state.h), targets).backward();
      const n = r.hiddenGradNorms();
      return n[0]! / n[T50 - 1]!;
    };
    const gen = new Generator(1);
    const rnn = decay(new RNN({ inputSize: 2, hiddenSize: 32, generator: gen }), gen);
    const lstm = decay(new LSTM({ inputSize: 2, hiddenSize: 32, forgetBias: 1, generator: gen }), gen);
    // Measured: tanh RNN ≈ 1e-13 to 1e-10, LSTM ≈ 1e-5 to 1e-4 (seeds 1–3).
    expect(rnn).toBeLessThan(1e-8);
    expect(lstm / rnn).toBeGreaterThan(1000);
  });
});
