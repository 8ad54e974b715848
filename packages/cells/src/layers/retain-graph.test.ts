import { Generator, type Tensor, getBackend, randn, sum } from '@elman/core';
import { testBackends, useBackend } from '@elman/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { GRU } from './gru.js';
import { LSTM } from './lstm.js';
import { RNN } from './rnn.js';

const MAKERS = {
  lstm: (g: Generator) => new LSTM({ inputSize: 5, hiddenSize: 6, generator: g }),
  'gru (reset before)': (g: Generator) => new GRU({ inputSize: 5, hiddenSize: 6, resetBefore: true, generator: g }),
  gru: (g: Generator) => new GRU({ inputSize: 5, hiddenSize: 6, generator: g }),
  rnn: (g: Generator) => new RNN({ inputSize: 5, hiddenSize: 6, generator: g }),
};

// The fused kernels may overwrite their saved activations with gradients during a final backward pass; with
// retainGraph they must keep them, so a second pass gives the same gradients (and a third, final one too).
describe.each(testBackends())('fused sequence layers under retainGraph (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it.each(Object.entries(MAKERS))('%s: repeated backward passes give identical gradients', (_name, make) => {
    expect(getBackend().name).toBe(backend);
    const gen = new Generator(4);
    const layer = make(gen);
    const x = randn([3, 4, 5], { generator: gen, requiresGrad: true }); // [B, T, X]
    const { output } = layer.forward(x, { lengths: [4, 2, 3] }); // [B, T, H]
    const loss = sum(output.mul(output));
    const grads = (): Float32Array[] => [x, ...layer.parameters()].map((p: Tensor) => (p.grad!.data as Float32Array).slice());
    loss.backward(undefined, { retainGraph: true });
    const first = grads();
    for (const p of [x, ...layer.parameters()]) p.grad = null;
    loss.backward(undefined, { retainGraph: true });
    expect(grads()).toEqual(first);
    for (const p of [x, ...layer.parameters()]) p.grad = null;
    loss.backward();
    expect(grads()).toEqual(first);
    expect(() => loss.backward()).toThrow(/already freed/);
  });
});
