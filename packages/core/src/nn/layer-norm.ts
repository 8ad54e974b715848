import { ValueError, fmtShape } from '../errors.js';
import { layerNorm } from '../ops/nn/layer-norm.js';
import { sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

/** Options of {@link LayerNorm}. */
export interface LayerNormOptions {
  /** Added to the variance for stability. Default 1e-5. */
  eps?: number;
  /** Learn a per-element scale `weight` (and `bias`). Default true. */
  elementwiseAffine?: boolean;
  /** With `elementwiseAffine`, also learn the `bias` (default true). */
  bias?: boolean;
}

/**
 * Layer normalisation over the trailing `normalizedShape` axes (Ba et al. 2016; PyTorch's `nn.LayerNorm`, biased
 * variance). State dict `weight` (ones) and `bias` (zeros), both of `normalizedShape`.
 *
 * @example
 * ```ts run
 * import { LayerNorm, randn } from '@elman/core';
 *
 * const norm = new LayerNorm(16); // over the last axis; weight and bias [16]
 * const y = norm.forward(randn([2, 5, 16], { requiresGrad: true })); // [2, 5, 16]: each row mean 0, variance 1
 * y.sum().backward();
 * console.log(y.shape, norm.weight?.grad?.shape); // [2, 5, 16] [16]
 * ```
 */
export class LayerNorm extends Module {
  /** The normalised trailing axes. */
  readonly normalizedShape: readonly number[];
  /** Variance epsilon. */
  readonly eps: number;
  /** Scale γ, or null without affine. */
  weight: Parameter | null;
  /** Shift β, or null. */
  bias: Parameter | null;

  /** Creates the layer; `normalizedShape` is the size of the last axis or the sizes of the last few. */
  constructor(normalizedShape: number | readonly number[], options: LayerNormOptions = {}) {
    super();
    const shape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    if (shape.length === 0 || shape.some((d) => !(Number.isInteger(d) && d > 0))) {
      throw new ValueError(`LayerNorm: normalizedShape must hold positive integers, got ${fmtShape(shape)}`);
    }
    const eps = options.eps ?? 1e-5;
    if (!(eps >= 0)) throw new ValueError(`LayerNorm: eps must be non-negative, got ${eps}`);
    this.normalizedShape = Object.freeze(shape);
    this.eps = eps;
    const affine = options.elementwiseAffine ?? true;
    const n = sizeOf(shape);
    this.weight = affine ? new Parameter(new Float32Array(n).fill(1), shape) : null;
    this.bias = affine && (options.bias ?? true) ? new Parameter(new Float32Array(n), shape) : null;
  }

  /** `x [..., ...normalizedShape]` → same shape. */
  forward(x: Tensor): Tensor {
    return layerNorm(x, this.normalizedShape, this.weight, this.bias, this.eps);
  }
}
