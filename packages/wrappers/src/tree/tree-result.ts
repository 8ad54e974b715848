import type { Generator, Tensor } from '@elman/core';

/** Output of {@link TreeRNN}: hidden states of the roots and of every node. */
export interface TreeResult {
  /** Root hidden states, one row per input tree: `[N, H]`. */
  h: Tensor;
  /** Hidden state of every node in pre-order, tree after tree: `[numNodes, H]`. */
  nodeH: Tensor;
  /** Row in `nodeH` of each tree's root. */
  roots: Int32Array;
}

/** Output of the tree LSTMs: {@link TreeResult} plus the memory cells. */
export interface TreeLstmResult extends TreeResult {
  /** Root memory cells: `[N, H]`. */
  c: Tensor;
  /** Memory cell of every node in pre-order: `[numNodes, H]`. */
  nodeC: Tensor;
}

/** Options shared by the tree nets' constructors. */
export interface TreeNetOptions {
  /** Size of each node's input vector X. */
  inputSize: number;
  /** Size of the hidden state H. */
  hiddenSize: number;
  /** Random stream for the initial weights; default: the global generator. */
  generator?: Generator;
}
