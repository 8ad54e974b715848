import type { Tensor } from '../tensor.js';
import { Module } from './module.js';

/** A module mapping one tensor to one tensor, as {@link Sequential} chains them. */
export type UnaryModule = Module & {
  /** Maps the input tensor to the output tensor. */
  forward(x: Tensor): Tensor;
};

/**
 * Applies modules in order (PyTorch's `nn.Sequential`). The modules are the properties `0`, `1`, …, so the state
 * dict of `new Sequential(new Linear(4, 8), new Tanh(), new Linear(8, 2))` is `0.weight, 0.bias, 2.weight, 2.bias`.
 */
export class Sequential extends Module {
  readonly #layers: UnaryModule[];

  /** Chains `modules` (each taking the previous one's output). */
  constructor(...modules: UnaryModule[]) {
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
  at(i: number): UnaryModule | undefined {
    return this.#layers.at(i);
  }

  /** Runs `x` through every module in order. */
  forward(x: Tensor): Tensor {
    let y = x;
    for (const m of this.#layers) y = m.forward(y);
    return y;
  }
}
