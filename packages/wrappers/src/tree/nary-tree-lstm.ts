import { Linear, Module, type Tensor, add, mul, reshape, sigmoid, slice, split, stack, sum, tanh, unsqueeze } from '@elman/core';
import { checkSizes } from './check-sizes.js';
import { collectStates, gatherChildren } from './level-states.js';
import { segmentSum } from './segment-sum.js';
import type { TreeLstmResult, TreeNetOptions } from './tree-result.js';
import { type Tree, scheduleTrees } from './tree.js';

/** Options of {@link NaryTreeLSTM}. */
export interface NaryTreeLSTMOptions extends TreeNetOptions {
  /** Branching factor N: children are positional, at most N per node. */
  n: number;
}

/**
 * N-ary Tree-LSTM (Tai, Socher & Manning 2015, eqs. 9–14): children are ordered positions 0…N−1, each with its own
 * recurrent matrices; a missing child (fewer than N, or `null`) has the zero state. With `hcat = [h_0; …; h_{N−1}]`:
 * i, o, u = σ, σ, tanh(W x + U hcat + b); f_k = σ(W_f x + Σ_l U_f_kl h_l + b_f) per position k;
 * c = i⊙u + Σ_k f_k⊙c_k; h = o⊙tanh(c).
 *
 * Parameters: `ioux` (`[3H, X]` + bias, gates i, o, u), `iouh` (`[3H, N·H]`, no bias), `fx` (`[H, X]` + bias,
 * shared by all positions as in the paper), `fh` (`[N·H, N·H]`, no bias: block (k, l) is U_f_kl).
 *
 * @example
 * ```ts run
 * import { randn } from '@elman/core';
 * import { NaryTreeLSTM, type Tree } from '@elman/wrappers';
 *
 * // Binary constituency-style trees: children are positional (left = 0, right = 1); null is a missing child.
 * const word = (): Tree => ({ input: randn([6]) });
 * const tree: Tree = { input: randn([6]), children: [{ input: randn([6]), children: [word(), word()] }, null] };
 * const net = new NaryTreeLSTM({ inputSize: 6, hiddenSize: 10, n: 2 });
 * const { h, c } = net.forward([tree, word()]); // roots: h and c [2, 10]
 * console.log(h.shape, c.shape);
 * ```
 */
export class NaryTreeLSTM extends Module {
  /** Size of each node's input X. */
  readonly inputSize: number;
  /** Hidden size H. */
  readonly hiddenSize: number;
  /** Branching factor N. */
  readonly n: number;
  /** Input projection of the i, o, u gates: weight `[3H, X]`, bias `[3H]`. */
  ioux: Linear;
  /** Recurrent projection of the concatenated children for i, o, u: weight `[3H, N·H]`. */
  iouh: Linear;
  /** Input projection of the forget gates: weight `[H, X]`, bias `[H]`. */
  fx: Linear;
  /** Recurrent projection for the N forget gates: weight `[N·H, N·H]`. */
  fh: Linear;

  /** Creates the net with PyTorch's `nn.Linear` initialisation. */
  constructor(options: NaryTreeLSTMOptions) {
    super();
    const { inputSize, hiddenSize, n, generator } = options;
    checkSizes('NaryTreeLSTM', { inputSize, hiddenSize, n });
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.n = n;
    this.ioux = new Linear(inputSize, 3 * hiddenSize, { generator });
    this.iouh = new Linear(n * hiddenSize, 3 * hiddenSize, { bias: false, generator });
    this.fx = new Linear(inputSize, hiddenSize, { generator });
    this.fh = new Linear(n * hiddenSize, n * hiddenSize, { bias: false, generator });
  }

  /** Runs the trees bottom-up; returns root and per-node `h` and `c`. */
  forward(trees: readonly Tree[]): TreeLstmResult {
    const H = this.hiddenSize;
    const N = this.n;
    const s = scheduleTrees(trees, { op: 'NaryTreeLSTM', inputSize: this.inputSize, maxChildren: N });
    const x = stack(s.inputs, 0); // [numNodes, X], level order
    const xiou = this.ioux.forward(x); // [numNodes, 3H]
    const xf = this.fx.forward(x); // [numNodes, H]
    const hs: Tensor[] = [];
    const cs: Tensor[] = [];
    s.levels.forEach((plan, k) => {
      const a = s.levelStart[k]!;
      const b = s.levelStart[k + 1]!;
      const n = plan.size;
      let iou = slice(xiou, 0, a, b); // [n, 3H]
      let fc: Tensor | null = null;
      const childH = gatherChildren(hs, plan); // [M, H]
      if (childH) {
        const childC = gatherChildren(cs, plan)!; // [M, H]
        // Place each child in its parent's slot; empty slots stay zero (the missing-child state).
        const cell = new Int32Array(plan.parent.length);
        for (let e = 0; e < cell.length; e++) cell[e] = plan.parent[e]! * N + plan.slot[e]!;
        const hcat = reshape(segmentSum(childH, cell, n * N), [n, N * H]); // [n, N·H]
        const ccat = reshape(segmentSum(childC, cell, n * N), [n, N, H]); // [n, N, H]
        iou = add(iou, this.iouh.forward(hcat)); // [n, 3H]
        const fpre = add(reshape(this.fh.forward(hcat), [n, N, H]), unsqueeze(slice(xf, 0, a, b), 1)); // [n, N, H]
        fc = sum(mul(sigmoid(fpre), ccat), 1); // [n, H]
      }
      const [i, o, u] = split(iou, H, 1) as [Tensor, Tensor, Tensor]; // 3 × [n, H]
      const iu = mul(sigmoid(i), tanh(u)); // [n, H]
      const c = fc ? add(iu, fc) : iu; // [n, H]
      cs.push(c);
      hs.push(mul(sigmoid(o), tanh(c))); // [n, H]
    });
    const h = collectStates(hs, s);
    const c = collectStates(cs, s);
    return { h: h.roots, nodeH: h.nodes, c: c.roots, nodeC: c.nodes, roots: s.roots };
  }
}
