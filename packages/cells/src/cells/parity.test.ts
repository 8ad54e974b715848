import { readFileSync } from 'node:fs';
import { type Module, type Tensor, add, mul, sum, tensor } from '@elman/core';
import { testBackends, useBackend } from '@elman/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HiddenState, LstmState } from '../state.js';
import { GRUCell } from './gru-cell.js';
import { LSTMCell } from './lstm-cell.js';
import { RNNCell } from './rnn-cell.js';

/** One cell case of fixtures/cells-fixtures.json (written by fixtures/make-fixtures.py). */
interface CellCase {
  name: string;
  kind: 'rnn' | 'lstm' | 'gru';
  inputSize: number;
  hiddenSize: number;
  batch: number;
  bias: boolean;
  nonlinearity: 'tanh' | 'relu';
  resetBefore: boolean;
  x: number[];
  h0: number[] | null;
  c0: number[] | null;
  params: Record<string, number[]>;
  wH: number[];
  wC: number[] | null;
  h: number[];
  c: number[] | null;
  grads: Record<string, number[]>;
}

type AnyCell = Module & { forward(x: Tensor, state?: HiddenState): HiddenState };

const fixtures = JSON.parse(readFileSync(new URL('../../fixtures/cells-fixtures.json', import.meta.url), 'utf8')) as {
  cells: CellCase[];
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

function makeCell(c: CellCase): AnyCell {
  const common = { inputSize: c.inputSize, hiddenSize: c.hiddenSize, bias: c.bias };
  if (c.kind === 'rnn') return new RNNCell({ ...common, nonlinearity: c.nonlinearity });
  if (c.kind === 'lstm') return new LSTMCell(common) as unknown as AnyCell;
  return new GRUCell({ ...common, resetBefore: c.resetBefore });
}

describe.each(testBackends())('cells match the NumPy reference of PyTorch’s equations (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it.each(fixtures.cells.map((c) => [c.name, c] as const))('%s: next state and every gradient', (_, c) => {
    const { batch: B, inputSize: X, hiddenSize: H } = c;
    const GH = GATES[c.kind] * H;
    const cell = makeCell(c);
    const shapes: Record<string, number[]> = { weight_ih: [GH, X], weight_hh: [GH, H], bias_ih: [GH], bias_hh: [GH] };
    const dict: Record<string, Tensor> = {};
    for (const [k, v] of Object.entries(c.params)) dict[k] = tensor(v, shapes[k]);
    cell.loadStateDict(dict);

    const x = tensor(c.x, [B, X], { requiresGrad: true });
    const h0 = c.h0 ? tensor(c.h0, [B, H], { requiresGrad: true }) : null;
    const c0 = c.c0 ? tensor(c.c0, [B, H], { requiresGrad: true }) : null;
    const state = h0 ? ((c0 ? { h: h0, c: c0 } : { h: h0 }) as HiddenState) : undefined;
    const next = cell.forward(x, state);

    expect(maxAbsDiff(next.h.data, c.h), 'h').toBeLessThanOrEqual(TOL);
    if (c.c) expect(maxAbsDiff((next as LstmState).c.data, c.c), 'c').toBeLessThanOrEqual(TOL);

    let loss = sum(mul(next.h, tensor(c.wH, [B, H])));
    if (c.wC) loss = add(loss, sum(mul((next as LstmState).c, tensor(c.wC, [B, H]))));
    loss.backward();

    const got: Record<string, Tensor | null> = { x: x.grad, h0: h0?.grad ?? null, c0: c0?.grad ?? null };
    for (const [name, p] of cell.namedParameters()) got[name] = p.grad;
    for (const [k, expected] of Object.entries(c.grads)) {
      const g = got[k];
      expect(g, `gradient of ${k}`).toBeTruthy();
      expect(maxAbsDiff(g!.data, expected), `gradient of ${k}`).toBeLessThanOrEqual(TOL);
    }
  });
});
