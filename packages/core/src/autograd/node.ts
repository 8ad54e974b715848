import type { Tensor } from '../tensor.js';

/** Gradient of each input, in order; null where the input needs none. */
export type Grads = ReadonlyArray<Tensor | null | undefined>;

/**
 * One recorded operation on the tape. Ids grow in forward order, so visiting the reachable nodes in decreasing
 * id order is a valid reverse topological order, without recursion (unrolled RNNs and deep trees are long).
 */
export interface Node {
  readonly id: number;
  /** Op name, used in error messages. */
  readonly op: string;
  /** Inputs of the op (all of them, also those that need no gradient). */
  readonly inputs: readonly Tensor[];
  /** Number of outputs; most ops have one, fused sequence kernels have several. */
  readonly numOutputs: number;
  /** Computes the input gradients from the output gradients (null for an output that received none). */
  backward: ((grads: ReadonlyArray<Tensor | null>) => Grads) | null;
  /** Accumulated gradient of each output while backward runs. */
  outGrads: (Tensor | null)[];
  /** Output tensors whose `.grad` should be kept (`retainGrad`), indexed by output. */
  retained: (Tensor | null)[] | null;
}

let nextId = 0;

/** Allocates the next tape position. */
export function nextNodeId(): number {
  return nextId++;
}
