import { ValueError } from '../errors.js';
import { kaimingUniform_ } from '../init/kaiming.js';
import { uniform_ } from '../init/fill.js';
import { linear } from '../ops/nn/linear.js';
import type { Generator } from '../random.js';
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

/** Options of {@link Linear}. */
export interface LinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** Random stream for the initial weights; default: the global generator seeded by `manualSeed`. */
  generator?: Generator;
}

/**
 * Fully connected layer y = x·Wᵀ + b on `[..., inFeatures]` inputs (PyTorch's `nn.Linear`): state dict
 * `weight [out, in]`, `bias [out]`, initialised like PyTorch, both U(−1/√in, 1/√in).
 *
 * @example
 * ```ts run
 * import { Linear, randn } from '@elman/core';
 *
 * const fc = new Linear(16, 4); // weight [4, 16], bias [4]
 * const y = fc.forward(randn([8, 10, 16])); // [8, 10, 4]: applies to the last axis
 * console.log(y.shape, fc.weight.shape);
 * ```
 */
export class Linear extends Module {
  /** Size of each input's last axis. */
  readonly inFeatures: number;
  /** Size of each output's last axis. */
  readonly outFeatures: number;
  /** `[outFeatures, inFeatures]`. */
  weight: Parameter;
  /** `[outFeatures]`, or null without bias. */
  bias: Parameter | null;

  /** Creates the layer with PyTorch's default initialisation. */
  constructor(inFeatures: number, outFeatures: number, options: LinearOptions = {}) {
    super();
    for (const [name, v] of [['inFeatures', inFeatures], ['outFeatures', outFeatures]] as const) {
      if (!(Number.isInteger(v) && v >= 0)) throw new ValueError(`Linear: ${name} must be a non-negative integer, got ${v}`);
    }
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.weight = new Parameter(new Float32Array(outFeatures * inFeatures), [outFeatures, inFeatures]);
    this.bias = (options.bias ?? true) ? new Parameter(new Float32Array(outFeatures), [outFeatures]) : null;
    this.resetParameters(options.generator);
  }

  /**
   * Re-draws the weights as PyTorch does: `kaiming_uniform_(W, a=√5)`, which is U(−1/√in, 1/√in), and the same
   * range for the bias.
   */
  resetParameters(generator?: Generator): void {
    kaimingUniform_(this.weight, { a: Math.sqrt(5), generator });
    if (this.bias) {
      const bound = this.inFeatures > 0 ? 1 / Math.sqrt(this.inFeatures) : 0;
      uniform_(this.bias, -bound, bound, { generator });
    }
  }

  /** `x [..., inFeatures]` → `[..., outFeatures]`. */
  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }
}
