import { ValueError } from '../errors.js';
import { Tensor } from '../tensor.js';
import { Module } from './module.js';

/** A module mapping one tensor to one tensor, as {@link Sequential} chains them. */
export type UnaryModule = Module & {
  /** Maps the input tensor to the output tensor. */
  forward(x: Tensor): Tensor;
};

/**
 * A module whose forward returns a result object with an `output` tensor, like the recurrent layers' and networks'
 * `{output, state}`: inside a {@link Sequential} its `output` is passed on and the rest (the final state) dropped,
 * as a Keras `Sequential` does with an LSTM layer.
 */
export type OutputModule = Module & {
  /** Maps the input tensor to a result holding the tensor passed on. */
  forward(x: Tensor): {
    /** The tensor the next module receives. */
    readonly output: Tensor;
  };
};

/** What a {@link Sequential} chains: tensor-to-tensor modules and modules returning `{output, …}`. */
export type SequentialMember = UnaryModule | OutputModule;

/**
 * Applies modules in order (PyTorch's `nn.Sequential`). The modules are the properties `0`, `1`, …, so the state
 * dict of `new Sequential(new Linear(4, 8), new Tanh(), new Linear(8, 2))` is `0.weight, 0.bias, 2.weight, 2.bias`.
 *
 * @example
 * ```ts run
 * import { Dropout, Linear, ReLU, Sequential, randn } from '@elman/core';
 *
 * const mlp = new Sequential(new Linear(8, 32), new ReLU(), new Dropout(0.1), new Linear(32, 2));
 * const logits = mlp.forward(randn([4, 8])); // [4, 2]
 * console.log(logits.shape, Object.keys(mlp.stateDict())); // [4, 2] ['0.weight', '0.bias', '3.weight', '3.bias']
 * ```
 */
export class Sequential extends Module {
  readonly #layers: SequentialMember[];

  /** Chains `modules` (each taking the previous one's output, or its result's `output`). */
  constructor(...modules: SequentialMember[]) {
    super();
    this.#layers = modules;
    modules.forEach((m, i) => {
      this.registerModule(String(i), m);
    });
  }

  /** Number of modules. */
  get length(): number {
    return this.#layers.length;
  }

  /** The module at position `i` (negative counts from the end), or undefined. */
  at(i: number): SequentialMember | undefined {
    return this.#layers.at(i);
  }

  /**
   * Runs `x` through every module in order. A module returning `{output, …}` (a recurrent layer) passes on its
   * `output`: `[B, T, H]` for a layer returning sequences, its last step `[B, H]` with `returnSequences: false`.
   */
  forward(x: Tensor): Tensor {
    let y = x;
    for (const [i, m] of this.#layers.entries()) {
      const r: unknown = m.forward(y);
      if (r instanceof Tensor) y = r;
      else if (typeof r === 'object' && r !== null && (r as { output?: unknown }).output instanceof Tensor) y = (r as { output: Tensor }).output;
      else throw new ValueError(`Sequential: module ${i} (${m.constructor.name}) returned neither a tensor nor an object with an output tensor`);
    }
    return y;
  }
}
