import { ValueError } from '../errors.js';
import { dropout } from '../ops/nn/dropout.js';
import type { Generator } from '../random.js';
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';

/** Options of {@link Dropout}. */
export interface DropoutModuleOptions {
  /** Random stream for the masks; default: the global generator seeded by `manualSeed`. */
  generator?: Generator;
}

/**
 * Inverted dropout with probability `p` while {@link Module.training}, the identity in eval mode
 * (Srivastava et al. 2014; PyTorch's `nn.Dropout`). No parameters.
 *
 * @example
 * ```ts run
 * import { Dropout, ones } from '@elman/core';
 *
 * const dropout = new Dropout(0.5);
 * console.log(dropout.forward(ones([8])).toArray()); // training: about half are 0, the rest 2 (scaled by 1/(1 − p))
 * dropout.eval();
 * console.log(dropout.forward(ones([8])).toArray()); // evaluation: the identity, all 1
 * ```
 */
export class Dropout extends Module {
  /** Probability of zeroing an element. */
  readonly p: number;
  readonly #generator: Generator | undefined;

  /** Creates the layer; `p` must be in [0, 1]. */
  constructor(p = 0.5, options: DropoutModuleOptions = {}) {
    super();
    if (!(p >= 0 && p <= 1)) throw new ValueError(`Dropout: p must be in [0, 1], got ${p}`);
    this.p = p;
    this.#generator = options.generator;
  }

  /** Drops elements of `x` in training mode; returns `x` itself in eval mode. */
  forward(x: Tensor): Tensor {
    return dropout(x, this.p, { training: this.training, generator: this.#generator });
  }
}
