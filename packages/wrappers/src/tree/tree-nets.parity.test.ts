import { readFileSync } from 'node:fs';
import { type Module, type Tensor, add, mul, sum, tensor } from '@elman/core';
import { testBackends, useBackend } from '@elman/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { ChildSumTreeLSTM } from './child-sum-tree-lstm.js';
import { NaryTreeLSTM } from './nary-tree-lstm.js';
import type { TreeResult } from './tree-result.js';
import type { Tree } from './tree.js';
import { TreeRNN } from './tree-rnn.js';

/** A fixture tree: `x` is the node's pre-order index and input row; null is a missing child. */
interface FixtureTree {
  x: number;
  c: (FixtureTree | null)[];
}

/** One net's case in fixtures/tree-fixtures.json (written by fixtures/make-tree-fixtures.py). */
interface FixtureCase {
  inputs: number[][];
  weights: Record<string, number[] | number[][]>;
  wh: number[][];
  wc?: number[][];
  h: number[][];
  c?: number[][];
  grad_inputs: number[][];
  grad_weights: Record<string, number[] | number[][]>;
}

const fixtures = JSON.parse(readFileSync(new URL('../../fixtures/tree-fixtures.json', import.meta.url), 'utf8')) as {
  X: number;
  H: number;
  N: number;
  trees: FixtureTree[];
  tree_rnn: FixtureCase;
  child_sum: FixtureCase;
  nary: FixtureCase;
};

function build(t: FixtureTree, xs: readonly Tensor[]): Tree {
  return { input: xs[t.x]!, children: t.c.map((k) => (k ? build(k, xs) : null)) };
}

function expectClose(actual: Tensor, expected: number[] | number[][], tol = 1e-5): void {
  const flat = (expected as number[]).flat();
  expect(actual.size).toBe(flat.length);
  let worst = 0;
  for (let i = 0; i < flat.length; i++) worst = Math.max(worst, Math.abs(actual.data[i]! - flat[i]!));
  expect(worst).toBeLessThanOrEqual(tol);
}

const { X, H, N } = fixtures;
const nets: Array<[string, () => Module & { forward(trees: Tree[]): TreeResult & { nodeC?: Tensor } }, FixtureCase]> = [
  ['TreeRNN', () => new TreeRNN({ inputSize: X, hiddenSize: H }), fixtures.tree_rnn],
  ['ChildSumTreeLSTM', () => new ChildSumTreeLSTM({ inputSize: X, hiddenSize: H }), fixtures.child_sum],
  ['NaryTreeLSTM', () => new NaryTreeLSTM({ inputSize: X, hiddenSize: H, n: N }), fixtures.nary],
];

describe.each(testBackends())('tree nets vs the NumPy reference (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it.each(nets)('%s: h and c at every node, gradients w.r.t. inputs and every weight', (_, make, fx) => {
    const net = make();
    const dict: Record<string, Tensor> = {};
    for (const [k, v] of Object.entries(fx.weights)) {
      dict[k] = tensor(v, Array.isArray(v[0]) ? [v.length, (v[0] as number[]).length] : [v.length]);
    }
    net.loadStateDict(dict);
    const xs = fx.inputs.map((row) => tensor(row, [X], { requiresGrad: true }));
    const r = net.forward(fixtures.trees.map((t) => build(t, xs)));
    expectClose(r.nodeH, fx.h);
    expect(Array.from(r.roots)).toEqual([0, 5, 8]);
    expectClose(r.h, [fx.h[0]!, fx.h[5]!, fx.h[8]!]);
    let loss = sum(mul(r.nodeH, tensor(fx.wh)));
    if (fx.c && fx.wc && r.nodeC) {
      expectClose(r.nodeC, fx.c);
      loss = add(loss, sum(mul(r.nodeC, tensor(fx.wc))));
    }
    loss.backward();
    for (const [i, x] of xs.entries()) expectClose(x.grad!, fx.grad_inputs[i]!);
    const named = Object.fromEntries(net.namedParameters());
    expect(Object.keys(named).sort()).toEqual(Object.keys(fx.grad_weights).sort());
    for (const [k, g] of Object.entries(fx.grad_weights)) expectClose(named[k]!.grad!, g);
  });
});
