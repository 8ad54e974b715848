import { ValueError } from '@elman/core';
import { AffineScaler, type ScalerInput, featureStats, numberArray } from './affine-scaler.js';

/** Options of {@link MinMaxScaler}. */
export interface MinMaxScalerOptions {
  /** Target interval `[lo, hi]` of the scaled training data. Default `[0, 1]`. */
  featureRange?: readonly [number, number];
}

/** JSON state of a fitted {@link MinMaxScaler}. */
export interface MinMaxScalerState {
  /** Always `'MinMaxScaler'`. */
  type: 'MinMaxScaler';
  /** Target interval. */
  featureRange: [number, number];
  /** Per-feature minimum of the training data. */
  dataMin: number[];
  /** Per-feature maximum of the training data. */
  dataMax: number[];
}

/**
 * Rescales each feature (last axis) linearly so that the training data spans `featureRange`, as scikit-learn's
 * `MinMaxScaler`: `y = (x − min) / (max − min) · (hi − lo) + lo`; a constant feature maps to `lo`.
 *
 * @example
 * ```ts run
 * import { tensor } from '@elman/core';
 * import { MinMaxScaler } from '@elman/trainer';
 *
 * const train = tensor([[10, 200], [20, 400], [30, 300]]); // [N, features]
 * const scaler = new MinMaxScaler({ featureRange: [0, 1] }).fit(train); // per feature (last axis)
 * const scaled = scaler.transform(tensor([[25, 250]])); // [[0.75, 0.25]]
 * console.log(scaled.toArray(), scaler.inverseTransform(scaled).toArray()); // … [[25, 250]]
 * const saved = JSON.stringify(scaler); // MinMaxScaler.fromJSON(JSON.parse(saved)) restores it
 * ```
 */
export class MinMaxScaler extends AffineScaler {
  /** Target interval of the scaled training data. */
  readonly featureRange: readonly [number, number];
  #dataMin: Float64Array = new Float64Array(0);
  #dataMax: Float64Array = new Float64Array(0);

  /** Creates an unfitted scaler. */
  constructor(options: MinMaxScalerOptions = {}) {
    super();
    const [lo, hi] = options.featureRange ?? [0, 1];
    if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) {
      throw new ValueError(`MinMaxScaler: featureRange must be finite with lo < hi, got [${lo}, ${hi}]`);
    }
    this.featureRange = [lo, hi];
  }

  /** Class name used in errors and JSON. */
  get name(): string {
    return 'MinMaxScaler';
  }

  /** Per-feature minimum of the training data. */
  get dataMin(): Float64Array {
    return this.#dataMin.slice();
  }

  /** Per-feature maximum of the training data. */
  get dataMax(): Float64Array {
    return this.#dataMax.slice();
  }

  /** Learns the per-feature minimum and maximum of `x`; returns this. */
  fit(x: ScalerInput): this {
    const { min, max } = featureStats('MinMaxScaler.fit', x);
    this.#setRange(min, max);
    return this;
  }

  /** The fitted state as JSON-safe numbers. */
  toJSON(): MinMaxScalerState {
    if (this.numFeatures === 0) throw new ValueError('MinMaxScaler.toJSON: call fit first');
    return {
      type: 'MinMaxScaler',
      featureRange: [...this.featureRange],
      dataMin: [...this.#dataMin],
      dataMax: [...this.#dataMax],
    };
  }

  /** Rebuilds a fitted scaler from {@link MinMaxScaler.toJSON}. */
  static fromJSON(state: MinMaxScalerState): MinMaxScaler {
    const op = 'MinMaxScaler.fromJSON';
    if (state?.type !== 'MinMaxScaler') throw new ValueError(`${op}: not a MinMaxScaler state (type ${String(state?.type)})`);
    const range = numberArray(op, 'featureRange', state.featureRange, 2);
    const scaler = new MinMaxScaler({ featureRange: [range[0]!, range[1]!] });
    const min = numberArray(op, 'dataMin', state.dataMin);
    scaler.#setRange(min, numberArray(op, 'dataMax', state.dataMax, min.length));
    return scaler;
  }

  #setRange(min: Float64Array, max: Float64Array): void {
    const [lo, hi] = this.featureRange;
    const scale = new Float64Array(min.length);
    const offset = new Float64Array(min.length);
    for (let k = 0; k < min.length; k++) {
      const span = max[k]! - min[k]!;
      scale[k] = (hi - lo) / (span === 0 ? 1 : span);
      offset[k] = lo - min[k]! * scale[k]!;
    }
    this.#dataMin = min;
    this.#dataMax = max;
    this.setAffine(scale, offset);
  }
}
