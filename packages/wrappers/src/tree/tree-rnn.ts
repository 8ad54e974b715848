import { Linear, Module, type Tensor, ValueError, add, relu, slice, stack, tanh } from '@elman/core';
import { checkSizes } from './check-sizes.js';
import { collectStates, gatherChildren } from './level-states.js';
import { segmentSum } from './segment-sum.js';
import type { TreeNetOptions, TreeResult } from './tree-result.js';
import { type Tree, scheduleTrees } from './tree.js';

/** Options of {@link TreeRNN}. */
export interface TreeRNNOptions extends TreeNetOptions {
  /** Activation: `'tanh'` (default, as in Socher et al.) or `'relu'`. */
  nonlinearity?: 'tanh' | 'relu';
}

/**
 * Recursive neural network over trees (Socher, Lin, Ng & Manning 2011, "Parsing Natural Scenes and Natural
 * Language with Recursive Neural Networks"), in the arity-free child-sum form
 * h = act(W_x x + W_h Σ_children h_child + b): for a binary tree this is Socher's p = act(W[c_1; c_2] + b) with the
 * two child blocks of W tied, which lets one net read trees of any branching factor. Leaves get h = act(W_x x + b).
 *
 * Parameters: `wx` (`[H, X]` + bias `[H]`) and `wh` (`[H, H]`, no bias).
 *
 * @example
 * ```ts run
 * import { randn } from '@elman/core';
 * import { type Tree, TreeRNN } from '@elman/wrappers';
 *
 * const leaf = (): Tree => ({ input: randn([4]) }); // X = 4
 * // ((a b) c) and (d e f): any arity; all nodes of one height are computed together.
 * const trees: Tree[] = [
 *   { input: randn([4]), children: [{ input: randn([4]), children: [leaf(), leaf()] }, leaf()] },
 *   { input: randn([4]), children: [leaf(), leaf(), leaf()] },
 * ];
 * const net = new TreeRNN({ inputSize: 4, hiddenSize: 8 });
 * const { h, nodeH } = net.forward(trees); // roots [2, 8], every node [9, 8] (pre-order)
 * console.log(h.shape, nodeH.shape);
 * ```
 */
export class TreeRNN extends Module {
  /** Size of each node's input X. */
  readonly inputSize: number;
  /** Hidden size H. */
  readonly hiddenSize: number;
  /** The activation applied at every node. */
  readonly nonlinearity: 'tanh' | 'relu';
  /** Input projection: weight `[H, X]`, bias `[H]`. */
  wx: Linear;
  /** Composition of the summed children: weight `[H, H]`. */
  wh: Linear;

  /** Creates the net with PyTorch's `nn.Linear` initialisation. */
  constructor(options: TreeRNNOptions) {
    super();
    const { inputSize, hiddenSize, generator } = options;
    checkSizes('TreeRNN', { inputSize, hiddenSize });
    const nonlinearity = options.nonlinearity ?? 'tanh';
    if (nonlinearity !== 'tanh' && nonlinearity !== 'relu') {
      throw new ValueError(`TreeRNN: nonlinearity must be 'tanh' or 'relu', got '${String(nonlinearity)}'`);
    }
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.nonlinearity = nonlinearity;
    this.wx = new Linear(inputSize, hiddenSize, { generator });
    this.wh = new Linear(hiddenSize, hiddenSize, { bias: false, generator });
  }

  /** Runs the trees bottom-up; returns root and per-node hidden states. */
  forward(trees: readonly Tree[]): TreeResult {
    const s = scheduleTrees(trees, { op: 'TreeRNN', inputSize: this.inputSize });
    const act = this.nonlinearity === 'tanh' ? tanh : relu;
    const xh = this.wx.forward(stack(s.inputs, 0)); // [numNodes, H], level order
    const hs: Tensor[] = [];
    s.levels.forEach((plan, k) => {
      let pre = slice(xh, 0, s.levelStart[k]!, s.levelStart[k + 1]!); // [n, H]
      const childH = gatherChildren(hs, plan); // [M, H]
      if (childH) pre = add(pre, this.wh.forward(segmentSum(childH, plan.parent, plan.size))); // [n, H]
      hs.push(act(pre));
    });
    const h = collectStates(hs, s);
    return { h: h.roots, nodeH: h.nodes, roots: s.roots };
  }
}
