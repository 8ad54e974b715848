import { Generator, Linear, Module, type Tensor } from '@elman/core';
import { ChildSumTreeLSTM, LISTOPS_SYMBOLS, type Tree } from '@elman/wrappers';
import { NUM_CLASSES, treeFromIds } from './data.js';

/**
 * ChildSumTreeLSTM (Tai, Socher & Manning 2015) over the gold trees, classifying the root state. It reads the same
 * padded token ids as the sequence models and rebuilds each tree from the brackets, so all three share one dataset.
 */
export class TreeClassifier extends Module {
  /** The recursive net over the parse. */
  net: ChildSumTreeLSTM;
  /** Linear read-out of the root's hidden state to the ten values. */
  head: Linear;

  /** A tree LSTM with `hiddenSize` units; weights drawn from `seed`. */
  constructor(hiddenSize: number, seed: number) {
    super();
    const generator = new Generator(seed);
    this.net = new ChildSumTreeLSTM({ inputSize: LISTOPS_SYMBOLS.length, hiddenSize, generator });
    this.head = new Linear(hiddenSize, NUM_CLASSES, { generator });
  }

  /** ids `[B, T]` (right-padded, valid `lengths`) → logits `[B, 10]`. */
  forward(ids: Tensor, options: { lengths?: Int32Array } = {}): Tensor {
    const [B = 0, T = 0] = ids.shape;
    const trees: Tree[] = [];
    for (let b = 0; b < B; b++) trees.push(treeFromIds(ids.data, b * T, options.lengths?.[b] ?? T));
    return this.head.forward(this.net.forward(trees).h); // [B, H] → [B, 10]
  }
}
