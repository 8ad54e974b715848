import { Generator, type Tensor, ValueError, concat, randn, slice, sum } from '@elman/core';
import { assertGradcheck, testBackends, useBackend } from '@elman/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { ChildSumTreeLSTM } from './child-sum-tree-lstm.js';
import { NaryTreeLSTM } from './nary-tree-lstm.js';
import type { TreeResult } from './tree-result.js';
import type { Tree } from './tree.js';
import { TreeRNN } from './tree-rnn.js';

const X = 3;
const H = 2;

/** Random tree with `size` nodes, up to `maxKids` children per node (some null when `holes`). */
function randomTree(gen: Generator, size: number, maxKids: number, holes = false): Tree {
  const nodes: { input: Tensor; children: (Tree | null)[] }[] = [];
  for (let i = 0; i < size; i++) nodes.push({ input: randn([X], { generator: gen }), children: [] });
  for (let i = 1; i < size; i++) {
    // Attach to an earlier node that still has room; nodes form a tree rooted at 0.
    let p = gen.randint(i);
    while (nodes[p]!.children.length >= maxKids) p = (p + 1) % i;
    if (holes && nodes[p]!.children.length < maxKids - 1 && gen.uniform() < 0.3) nodes[p]!.children.push(null);
    nodes[p]!.children.push(nodes[i]!);
  }
  return nodes[0]!;
}

function inputsOf(trees: readonly Tree[]): Tensor[] {
  const out: Tensor[] = [];
  const stack: Tree[] = [...trees];
  while (stack.length > 0) {
    const t = stack.pop()!;
    out.push(t.input);
    for (const c of t.children ?? []) if (c) stack.push(c);
  }
  return out;
}

function maxAbsDiff(a: Tensor, b: Tensor): number {
  expect(a.shape).toEqual(b.shape);
  let m = 0;
  for (let i = 0; i < a.size; i++) m = Math.max(m, Math.abs(a.data[i]! - b.data[i]!));
  return m;
}

const makers = [
  ['TreeRNN tanh', (g: Generator) => new TreeRNN({ inputSize: X, hiddenSize: H, generator: g }), 3],
  ['TreeRNN relu', (g: Generator) => new TreeRNN({ inputSize: X, hiddenSize: H, nonlinearity: 'relu', generator: g }), 3],
  ['ChildSumTreeLSTM', (g: Generator) => new ChildSumTreeLSTM({ inputSize: X, hiddenSize: H, generator: g }), 3],
  ['NaryTreeLSTM', (g: Generator) => new NaryTreeLSTM({ inputSize: X, hiddenSize: H, n: 3, generator: g }), 3],
] as const;

describe.each(testBackends())('tree nets (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it.each(makers)('%s: gradcheck w.r.t. node inputs and every weight', (_, make, kids) => {
    const gen = new Generator(3);
    const net = make(gen);
    const trees = [randomTree(gen, 6, kids, true), randomTree(gen, 3, kids), randomTree(gen, 1, kids)];
    const inputs = [...inputsOf(trees), ...net.parameters()];
    assertGradcheck(() => {
      const r: TreeResult & { nodeC?: Tensor } = net.forward(trees);
      return r.nodeC ? concat([r.nodeH, r.nodeC], 1) : r.nodeH;
    }, inputs);
  });

  it.each(makers)('%s: a batch of trees equals each tree run alone', (_, make, kids) => {
    const gen = new Generator(5);
    const net = make(gen);
    const trees = [randomTree(gen, 9, kids, true), randomTree(gen, 1, kids), randomTree(gen, 14, kids, true)];
    const batch = net.forward(trees);
    expect(batch.h.shape).toEqual([3, H]);
    expect(batch.nodeH.shape).toEqual([24, H]);
    let offset = 0;
    trees.forEach((t, k) => {
      const alone = net.forward([t]);
      const n = alone.nodeH.shape[0]!;
      expect(batch.roots[k]).toBe(offset);
      const rows = batch.nodeH.data.subarray(offset * H, (offset + n) * H);
      let m = maxAbsDiff(alone.h, slice(batch.h, 0, k, k + 1));
      for (let i = 0; i < rows.length; i++) m = Math.max(m, Math.abs(rows[i]! - alone.nodeH.data[i]!));
      expect(m).toBeLessThan(1e-6);
      offset += n;
    });
  });

  it('runs a chain 2000 deep forward and backward without recursion', () => {
    const gen = new Generator(9);
    const net = new ChildSumTreeLSTM({ inputSize: X, hiddenSize: H, generator: gen });
    const leaf: Tree = { input: randn([X], { generator: gen, requiresGrad: true }) };
    let root = leaf;
    for (let d = 1; d < 2000; d++) root = { input: randn([X], { generator: gen }), children: [root] };
    const r = net.forward([root]);
    expect(r.nodeH.shape).toEqual([2000, H]);
    sum(r.h).backward();
    expect(leaf.input.grad).not.toBeNull();
    for (const v of leaf.input.grad!.data) expect(Number.isFinite(v)).toBe(true);
  });

  it('N-ary: a missing child equals an explicit zero-state position and positions matter', () => {
    const gen = new Generator(11);
    const net = new NaryTreeLSTM({ inputSize: X, hiddenSize: H, n: 2, generator: gen });
    const a: Tree = { input: randn([X], { generator: gen }) };
    const x = randn([X], { generator: gen });
    const left = net.forward([{ input: x, children: [a] }]).h;
    const leftHole = net.forward([{ input: x, children: [a, null] }]).h;
    const right = net.forward([{ input: x, children: [null, a] }]).h;
    expect(maxAbsDiff(left, leftHole)).toBe(0);
    expect(maxAbsDiff(left, right)).toBeGreaterThan(1e-4);
  });
});

describe('tree nets: bad input', () => {
  const gen = new Generator(1);
  const net = new ChildSumTreeLSTM({ inputSize: X, hiddenSize: H, generator: gen });
  const leaf = (): Tree => ({ input: randn([X], { generator: gen }) });

  it('rejects a cycle and a shared subtree, naming both paths', () => {
    const a: { input: Tensor; children: Tree[] } = { input: randn([X]), children: [leaf()] };
    a.children.push(a);
    expect(() => net.forward([a])).toThrow(ValueError);
    expect(() => net.forward([a])).toThrow(/trees\[0\]\.children\[1\] is the same node as trees\[0\]/);
    const shared = leaf();
    expect(() => net.forward([{ input: randn([X]), children: [shared] }, shared])).toThrow(
      /trees\[1\] is the same node as trees\[0\]\.children\[0\]/,
    );
  });

  it('rejects missing or mis-sized inputs, bad children and empty batches with the node path', () => {
    const noInput = { children: [] } as unknown as Tree;
    expect(() => net.forward([{ input: randn([X]), children: [leaf(), noInput] }])).toThrow(
      /ChildSumTreeLSTM: trees\[0\]\.children\[1\] has no input tensor/,
    );
    expect(() => net.forward([leaf(), { input: randn([X + 1]) }])).toThrow(/trees\[1\]\.input must be float32 \[3\], got float32 \[4\]/);
    expect(() => net.forward([{ input: randn([X]), children: 'x' as unknown as Tree[] }])).toThrow(/children is not an array/);
    expect(() => net.forward([])).toThrow(ValueError);
    const nary = new NaryTreeLSTM({ inputSize: X, hiddenSize: H, n: 2 });
    expect(() => nary.forward([{ input: randn([X]), children: [leaf(), leaf(), leaf()] }])).toThrow(
      /NaryTreeLSTM: trees\[0\] has 3 children but the net takes at most 2/,
    );
  });

  it('rejects bad constructor options', () => {
    expect(() => new TreeRNN({ inputSize: 0, hiddenSize: 2 })).toThrow(/TreeRNN: inputSize must be a positive integer/);
    expect(() => new NaryTreeLSTM({ inputSize: 2, hiddenSize: 2, n: 1.5 })).toThrow(/n must be a positive integer/);
    expect(() => new TreeRNN({ inputSize: 2, hiddenSize: 2, nonlinearity: 'gelu' as 'tanh' })).toThrow(/nonlinearity/);
  });

  it('has the documented state-dict keys and shapes', () => {
    const shapes = (m: { stateDict(): Record<string, Tensor> }) =>
      Object.fromEntries(Object.entries(m.stateDict()).map(([k, v]) => [k, v.shape]));
    expect(shapes(new NaryTreeLSTM({ inputSize: 3, hiddenSize: 4, n: 2 }))).toEqual({
      'ioux.weight': [12, 3],
      'ioux.bias': [12],
      'iouh.weight': [12, 8],
      'fx.weight': [4, 3],
      'fx.bias': [4],
      'fh.weight': [8, 8],
    });
    expect(shapes(new TreeRNN({ inputSize: 3, hiddenSize: 4 }))).toEqual({ 'wx.weight': [4, 3], 'wx.bias': [4], 'wh.weight': [4, 4] });
  });
});
