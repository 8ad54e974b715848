import { readFileSync } from 'node:fs';
import { type Tensor, add, mul, sum, tensor } from '@elman/core';
import { testBackends, useBackend } from '@elman/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { GRU } from './gru.js';
import { LSTM } from './lstm.js';
import { RNN } from './rnn.js';
import type { SequenceLayer } from './sequence-layer.js';
import type { HiddenState, LstmState } from '../state.js';

/** One case of fixtures/cells-fixtures.json (written by fixtures/make-fixtures.py). */
interface LayerCase {
  name: string;
  kind: 'rnn' | 'lstm' | 'gru';
  inputSize: number;
  hiddenSize: number;
  batch: number;
  steps: number;
  bias: boolean;
  nonlinearity: 'tanh' | 'relu';
  resetBefore: boolean;
  lengths: number[] | null;
  reverse: boolean;
  x: number[];
  h0: number[] | null;
  c0: number[] | null;
  params: Record<string, number[]>;
  wY: number[];
  wH: number[];
  wC: number[] | null;
  output: number[];
  h: number[];
  c: number[] | null;
  grads: Record<string, number[]>;
}

const fixtures = JSON.parse(readFileSync(new URL('../../fixtures/cells-fixtures.json', import.meta.url), 'utf8')) as {
  layers: LayerCase[];
};
const GATES = { rnn: 1, lstm: 4, gru: 3 } as const;
/** The bar for parity with the float64 reference. */
const TOL = 1e-5;

function maxAbsDiff(actual: ArrayLike<number>, expected: readonly number[]): number {
  expect(actual.length).toBe(expected.length);
  let m = 0;
  for (let i = 0; i < expected.length; i++) m = Math.max(m, Math.abs(actual[i]! - expected[i]!));
  return m;
}

function makeLayer(c: LayerCase): SequenceLayer<HiddenState> {
  const common = { inputSize: c.inputSize, hiddenSize: c.hiddenSize, bias: c.bias, reverse: c.reverse };
  if (c.kind === 'rnn') return new RNN({ ...common, nonlinearity: c.nonlinearity });
  if (c.kind === 'lstm') return new LSTM(common);
  return new GRU({ ...common, resetBefore: c.resetBefore });
}

describe.each(testBackends())('sequence layers match the NumPy reference of PyTorch’s equations (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it.each(fixtures.layers.map((c) => [c.name, c] as const))('%s: outputs, final state and every gradient', (_, c) => {
    const { batch: B, steps: T, inputSize: X, hiddenSize: H } = c;
    const GH = GATES[c.kind] * H;
    const layer = makeLayer(c);
    const shapes: Record<string, number[]> = { weight_ih: [GH, X], weight_hh: [GH, H], bias_ih: [GH], bias_hh: [GH] };
    const dict: Record<string, Tensor> = {};
    for (const [k, v] of Object.entries(c.params)) dict[`${k}_l0`] = tensor(v, shapes[k]);
    layer.loadStateDict(dict);

    const x = tensor(c.x, [B, T, X], { requiresGrad: true });
    const h0 = c.h0 ? tensor(c.h0, [B, H], { requiresGrad: true }) : null;
    const c0 = c.c0 ? tensor(c.c0, [B, H], { requiresGrad: true }) : null;
    const state = h0 ? ((c0 ? { h: h0, c: c0 } : { h: h0 }) as HiddenState) : undefined;
    const { output, state: final } = layer.forward(x, { state, lengths: c.lengths ?? undefined });

    expect(output.shape).toEqual([B, T, H]);
    expect(maxAbsDiff(output.data, c.output), 'output').toBeLessThanOrEqual(TOL);
    expect(maxAbsDiff(final.h.data, c.h), 'h_n').toBeLessThanOrEqual(TOL);
    if (c.c) expect(maxAbsDiff((final as LstmState).c.data, c.c), 'c_n').toBeLessThanOrEqual(TOL);

    let loss = add(sum(mul(output, tensor(c.wY, [B, T, H]))), sum(mul(final.h, tensor(c.wH, [B, H]))));
    if (c.wC) loss = add(loss, sum(mul((final as LstmState).c, tensor(c.wC, [B, H]))));
    loss.backward();

    const got: Record<string, Tensor | null> = { x: x.grad, h0: h0?.grad ?? null, c0: c0?.grad ?? null };
    for (const [name, p] of layer.namedParameters()) got[name.replace(/_l0$/, '')] = p.grad;
    expect(Object.keys(c.grads).length).toBeGreaterThanOrEqual(3);
    for (const [k, expected] of Object.entries(c.grads)) {
      const g = got[k];
      expect(g, `gradient of ${k}`).toBeTruthy();
      expect(maxAbsDiff(g!.data, expected), `gradient of ${k}`).toBeLessThanOrEqual(TOL);
    }
  });
});
