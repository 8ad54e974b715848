import { Linear, Module, Tensor, add, indexSelect, mul, sigmoid, slice, split, stack, tanh } from '@elman/core';
import { checkSizes } from './check-sizes.js';
import { collectStates, gatherChildren } from './level-states.js';
import { segmentSum } from './segment-sum.js';
import type { TreeLstmResult, TreeNetOptions } from './tree-result.js';
import { type Tree, scheduleTrees } from './tree.js';

/**
 * Child-Sum Tree-LSTM (Tai, Socher & Manning 2015, eqs. 2–8) over trees of any arity and order:
 * h̃ = Σ_k h_k; i, o, u = σ, σ, tanh(W x + U h̃ + b); f_k = σ(W_f x + U_f h_k + b_f) per child;
 * c = i⊙u + Σ_k f_k⊙c_k; h = o⊙tanh(c). Leaves see h̃ = 0 and no forget terms.
 *
 * Parameters (the layout of the widely used PyTorch port): `ioux` (`[3H, X]` + bias, gates i, o, u), `iouh`
 * (`[3H, H]`, no bias), `fx` (`[H, X]` + bias), `fh` (`[H, H]`, no bias) — one bias per gate, as in the paper.
 * All nodes of one height are computed together: one input projection for every node of the batch, then per level
 * one gather of the children's states, one linear over them and segment sums into the parents.
 *
 * @example
 * ```ts run
 * import { Linear, Tensor, crossEntropy, tensor } from '@elman/core';
 * import { ChildSumTreeLSTM, LISTOPS_SYMBOLS, generateListOps, listOpsTree } from '@elman/wrappers';
 *
 * const oneHot = (symbol: string): Tensor => {
 *   const v = new Float32Array(LISTOPS_SYMBOLS.length);
 *   v[LISTOPS_SYMBOLS.indexOf(symbol)] = 1;
 *   return new Tensor(v, [LISTOPS_SYMBOLS.length]);
 * };
 * const examples = generateListOps({ count: 8, maxDepth: 3, seed: 1 }); // e.g. [MAX 2 [MIN 4 7 ] 0 ] = 4
 * const net = new ChildSumTreeLSTM({ inputSize: LISTOPS_SYMBOLS.length, hiddenSize: 16 });
 * const head = new Linear(16, 10);
 * const { h } = net.forward(examples.map((e) => listOpsTree(e.expr, oneHot))); // [8, 16], one row per root
 * const loss = crossEntropy(head.forward(h), tensor(examples.map((e) => e.value), [8], { dtype: 'int32' }));
 * loss.backward();
 * ```
 */
export class ChildSumTreeLSTM extends Module {
  /** Size of each node's input X. */
  readonly inputSize: number;
  /** Hidden size H. */
  readonly hiddenSize: number;
  /** Input projection of the i, o, u gates: weight `[3H, X]`, bias `[3H]`. */
  ioux: Linear;
  /** Recurrent projection of the summed child state for i, o, u: weight `[3H, H]`. */
  iouh: Linear;
  /** Input projection of the forget gates: weight `[H, X]`, bias `[H]`. */
  fx: Linear;
  /** Recurrent projection of each child's state for its own forget gate: weight `[H, H]`. */
  fh: Linear;

  /** Creates the net with PyTorch's `nn.Linear` initialisation. */
  constructor(options: TreeNetOptions) {
    super();
    const { inputSize, hiddenSize, generator } = options;
    checkSizes('ChildSumTreeLSTM', { inputSize, hiddenSize });
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.ioux = new Linear(inputSize, 3 * hiddenSize, { generator });
    this.iouh = new Linear(hiddenSize, 3 * hiddenSize, { bias: false, generator });
    this.fx = new Linear(inputSize, hiddenSize, { generator });
    this.fh = new Linear(hiddenSize, hiddenSize, { bias: false, generator });
  }

  /** Runs the trees bottom-up; returns root and per-node `h` and `c`. */
  forward(trees: readonly Tree[]): TreeLstmResult {
    const H = this.hiddenSize;
    const s = scheduleTrees(trees, { op: 'ChildSumTreeLSTM', inputSize: this.inputSize });
    const x = stack(s.inputs, 0); // [numNodes, X], level order
    const xiou = this.ioux.forward(x); // [numNodes, 3H]
    const xf = this.fx.forward(x); // [numNodes, H]
    const hs: Tensor[] = [];
    const cs: Tensor[] = [];
    s.levels.forEach((plan, k) => {
      const a = s.levelStart[k]!;
      const b = s.levelStart[k + 1]!;
      let iou = slice(xiou, 0, a, b); // [n, 3H]
      let fc: Tensor | null = null;
      const childH = gatherChildren(hs, plan); // [M, H]
      if (childH) {
        const childC = gatherChildren(cs, plan)!; // [M, H]
        iou = add(iou, this.iouh.forward(segmentSum(childH, plan.parent, plan.size))); // [n, 3H]
        const parentRows = new Tensor(plan.parent, [plan.parent.length]);
        const f = sigmoid(add(indexSelect(slice(xf, 0, a, b), 0, parentRows), this.fh.forward(childH))); // [M, H]
        fc = segmentSum(mul(f, childC), plan.parent, plan.size); // [n, H]
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
