import { readFileSync } from 'node:fs';
import { type Tensor, add, mul, sum, tensor } from '@elman/core';
import { testBackends, useBackend } from '@elman/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { gru, lstm, rnn } from './factories.js';
import type { NetworkState, RecurrentNetwork } from './recurrent-network.js';

/** One case of fixtures/wrappers-fixtures.json (written by fixtures/make-fixtures.py). */
interface NetworkCase {
  name: string;
  kind: 'rnn' | 'lstm' | 'gru';
  batch: number;
  steps: number;
  inputSize: number;
  hiddenSize: number;
  numLayers: number;
  bidirectional: boolean;
  bias: boolean;
  lengths: number[] | null;
  x: number[];
  h0: number[] | null;
  c0: number[] | null;
  params: Record<string, { shape: number[]; data: number[] }>;
  wY: number[];
  wH: number[];
  wC: number[] | null;
  output: number[];
  h: number[];
  c: number[] | null;
  grads: Record<string, number[]>;
}

const fixtures = JSON.parse(readFileSync(new URL('../fixtures/wrappers-fixtures.json', import.meta.url), 'utf8')) as {
  cases: NetworkCase[];
};
/** The bar for parity with the float64 reference. */
const TOL = 1e-5;

function maxAbsDiff(actual: ArrayLike<number>, expected: readonly number[]): number {
  expect(actual.length).toBe(expected.length);
  let m = 0;
  for (let i = 0; i < expected.length; i++) m = Math.max(m, Math.abs(actual[i]! - expected[i]!));
  return m;
}

function makeNetwork(c: NetworkCase): RecurrentNetwork {
  const o = {
    inputSize: c.inputSize,
    hiddenSize: c.hiddenSize,
    numLayers: c.numLayers,
    bidirectional: c.bidirectional,
    bias: c.bias,
  };
  if (c.kind === 'lstm') return lstm(o);
  if (c.kind === 'gru') return gru(o);
  return rnn({ ...o, nonlinearity: 'tanh' });
}

describe.each(testBackends())('lstm()/gru()/rnn() match the NumPy reference of torch.nn.LSTM/GRU/RNN (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it.each(fixtures.cases.map((c) => [c.name, c] as const))('%s: output, h_n, c_n and every gradient', (_, c) => {
    const { batch: B, steps: T, inputSize: X, hiddenSize: H } = c;
    const LD = c.numLayers * (c.bidirectional ? 2 : 1);
    const D = c.bidirectional ? 2 : 1;
    const net = makeNetwork(c);
    const dict: Record<string, Tensor> = {};
    for (const [k, v] of Object.entries(c.params)) dict[k] = tensor(v.data, v.shape);
    net.loadStateDict(dict); // strict: the reference's torch-named keys and shapes must be exactly ours

    const x = tensor(c.x, [B, T, X], { requiresGrad: true });
    const h0 = c.h0 ? tensor(c.h0, [LD, B, H], { requiresGrad: true }) : null;
    const c0 = c.c0 ? tensor(c.c0, [LD, B, H], { requiresGrad: true }) : null;
    const state: NetworkState | undefined = h0 ? (c0 ? { h: h0, c: c0 } : { h: h0 }) : undefined;
    const { output, state: final } = net.forward(x, { state, lengths: c.lengths ?? undefined });

    expect(output.shape).toEqual([B, T, D * H]);
    expect(final.h.shape).toEqual([LD, B, H]);
    expect(maxAbsDiff(output.data, c.output), 'output').toBeLessThanOrEqual(TOL);
    expect(maxAbsDiff(final.h.data, c.h), 'h_n').toBeLessThanOrEqual(TOL);
    if (c.c) expect(maxAbsDiff(final.c!.data, c.c), 'c_n').toBeLessThanOrEqual(TOL);

    let loss = add(sum(mul(output, tensor(c.wY, [B, T, D * H]))), sum(mul(final.h, tensor(c.wH, [LD, B, H]))));
    if (c.wC) loss = add(loss, sum(mul(final.c!, tensor(c.wC, [LD, B, H]))));
    loss.backward();

    const got: Record<string, Tensor | null> = { x: x.grad, h0: h0?.grad ?? null, c0: c0?.grad ?? null };
    for (const [name, p] of net.namedParameters()) got[name] = p.grad;
    expect(Object.keys(c.grads).length).toBe(1 + (h0 ? 1 : 0) + (c0 ? 1 : 0) + Object.keys(c.params).length);
    for (const [k, expected] of Object.entries(c.grads)) {
      const g = got[k];
      expect(g, `gradient of ${k}`).toBeTruthy();
      expect(maxAbsDiff(g!.data, expected), `gradient of ${k}`).toBeLessThanOrEqual(TOL);
    }
  });
});
