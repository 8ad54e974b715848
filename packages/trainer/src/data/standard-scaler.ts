import { ValueError } from '@elman/core';
import { AffineScaler, type ScalerInput, featureStats, numberArray } from './affine-scaler.js';

/** JSON state of a fitted {@link StandardScaler}. */
export interface StandardScalerState {
  /** Always `'StandardScaler'`. */
  type: 'StandardScaler';
  /** Per-feature mean of the training data. */
  mean: number[];
  /** Per-feature population standard deviation (ddof 0) of the training data. */
  std: number[];
}

/**
 * Standardises each feature (last axis) to zero mean and unit variance on the training data, as scikit-learn's
 * `StandardScaler`: `y = (x − mean) / std` with the population standard deviation; a constant feature is only
 * centred.
 *
 * @example
 * ```ts run
 * import { StandardScaler, slidingWindows } from '@elman/trainer';
 *
 * const births = [7800, 8200, 9100, 8800, 7600, 7900, 8300, 9000]; // a daily series
 * const scaler = new StandardScaler();
 * const scaled = scaler.fitTransform(births); // [8], mean 0 and std 1 over the training data
 * const { inputs, targets } = slidingWindows(scaled, { window: 3 }); // [5, 3] → [5, 1]
 * console.log(inputs.shape, scaler.inverseTransform(targets).toArray()); // targets back in births per day
 * ```
 */
export class StandardScaler extends AffineScaler {
  #mean: Float64Array = new Float64Array(0);
  #std: Float64Array = new Float64Array(0);

  /** Class name used in errors and JSON. */
  get name(): string {
    return 'StandardScaler';
  }

  /** Per-feature mean of the training data. */
  get mean(): Float64Array {
    return this.#mean.slice();
  }

  /** Per-feature population standard deviation of the training data. */
  get std(): Float64Array {
    return this.#std.slice();
  }

  /** Learns the per-feature mean and standard deviation of `x`; returns this. */
  fit(x: ScalerInput): this {
    const { mean, std } = featureStats('StandardScaler.fit', x);
    this.#setMoments(mean, std);
    return this;
  }

  /** The fitted state as JSON-safe numbers. */
  toJSON(): StandardScalerState {
    if (this.numFeatures === 0) throw new ValueError('StandardScaler.toJSON: call fit first');
    return { type: 'StandardScaler', mean: [...this.#mean], std: [...this.#std] };
  }

  /** Rebuilds a fitted scaler from {@link StandardScaler.toJSON}. */
  static fromJSON(state: StandardScalerState): StandardScaler {
    const op = 'StandardScaler.fromJSON';
    if (state?.type !== 'StandardScaler') throw new ValueError(`${op}: not a StandardScaler state (type ${String(state?.type)})`);
    const mean = numberArray(op, 'mean', state.mean);
    const scaler = new StandardScaler();
    scaler.#setMoments(mean, numberArray(op, 'std', state.std, mean.length));
    return scaler;
  }

  #setMoments(mean: Float64Array, std: Float64Array): void {
    const scale = new Float64Array(mean.length);
    const offset = new Float64Array(mean.length);
    for (let k = 0; k < mean.length; k++) {
      scale[k] = 1 / (std[k] === 0 ? 1 : std[k]!);
      offset[k] = -mean[k]! * scale[k]!;
    }
    this.#mean = mean;
    this.#std = std;
    this.setAffine(scale, offset);
  }
}
