import { Adam, Generator, Tensor, crossEntropy, manualSeed } from '@elman/core';
import { testBackends, useBackend } from '@elman/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { CausalLM } from './causal-lm.js';

const V = 8;
const PERIOD = 4;
const T = 16;

/** A batch of sequences whose first PERIOD tokens are random and which then repeat them (a copy task). */
function batch(gen: Generator, B: number): { ids: Tensor; inputs: Tensor; targets: Tensor } {
  const ids = new Int32Array(B * T);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) ids[b * T + t] = t < PERIOD ? gen.randint(V) : ids[b * T + t - PERIOD]!;
  }
  const inputs = new Int32Array(B * (T - 1));
  const targets = new Int32Array(B * (T - 1));
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T - 1; t++) {
      inputs[b * (T - 1) + t] = ids[b * T + t]!;
      // The first PERIOD−1 next tokens are random: nothing to learn there, so they are ignored.
      targets[b * (T - 1) + t] = t + 1 < PERIOD ? -100 : ids[b * T + t + 1]!;
    }
  }
  return { ids: new Tensor(ids, [B, T]), inputs: new Tensor(inputs, [B, T - 1]), targets: new Tensor(targets, [B, T - 1]) };
}

describe.each(testBackends())('CausalLM learning (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it('learns to continue a repeated random pattern (loss near zero) and generate() reproduces it', () => {
    manualSeed(1);
    const gen = new Generator(2);
    const lm = new CausalLM({ vocabSize: V, dModel: 32, nhead: 4, numLayers: 2, maxLength: T, dropout: 0, generator: new Generator(3) });
    const opt = new Adam(lm.parameters(), { lr: 5e-3 });
    let loss = Number.POSITIVE_INFINITY;
    let steps = 0;
    for (; steps < 400 && loss > 0.01; steps++) {
      const { inputs, targets } = batch(gen, 16);
      const l = crossEntropy(lm.forward(inputs), targets, { axis: -1 });
      opt.zeroGrad();
      l.backward();
      opt.step();
      loss = l.item();
    }
    expect(loss).toBeLessThan(0.01);
    const { ids } = batch(new Generator(99), 8);
    const prompts = Array.from({ length: 8 }, (_, b) => Array.from(ids.data.subarray(b * T, b * T + PERIOD + 1)));
    const out = lm.generate(prompts, { maxNewTokens: T - PERIOD - 1, temperature: 0 });
    expect(Array.from(out.data)).toEqual(Array.from(ids.data));
  });
});
