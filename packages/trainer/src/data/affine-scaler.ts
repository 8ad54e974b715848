import { ShapeError, Tensor, ValueError, fmtShape } from '@elman/core';

/** What a scaler accepts: a float32 tensor whose last axis holds the features (`[N]` is one feature), or numbers. */
export type ScalerInput = Tensor | Float32Array | readonly number[];

/** Per-feature minimum and maximum (or sum and sum of squares) over every axis but the last, in float64. */
export interface FeatureStats {
  /** Values per feature. */
  count: number;
  /** Minimum per feature. */
  min: Float64Array;
  /** Maximum per feature. */
  max: Float64Array;
  /** Mean per feature. */
  mean: Float64Array;
  /** Population standard deviation (ddof 0) per feature. */
  std: Float64Array;
}

/**
 * Base of the per-feature scalers: `y = x · scale + offset` on the last axis, with the exact inverse. Subclasses
 * compute `scale` and `offset` from the training data in `fit` (scikit-learn's conventions: a constant feature
 * gets scale 1 rather than a division by zero).
 */
export abstract class AffineScaler {
  /** Multiplier per feature; empty until fitted. */
  protected scale: Float64Array = new Float64Array(0);
  /** Offset per feature; empty until fitted. */
  protected offset: Float64Array = new Float64Array(0);

  /** Class name used in errors and JSON. */
  abstract get name(): string;

  /** Number of features seen by `fit` (0 before). */
  get numFeatures(): number {
    return this.scale.length;
  }

  /** Learns the per-feature statistics of `x` (last axis = features); returns this. */
  abstract fit(x: ScalerInput): this;

  /** `fit(x)` then `transform(x)`. */
  fitTransform(x: ScalerInput): Tensor {
    return this.fit(x).transform(x);
  }

  /** Scales `x` with the fitted statistics; same shape as `x`. */
  transform(x: ScalerInput): Tensor {
    const t = this.check('transform', x);
    const src = t.data as Float32Array;
    const out = new Float32Array(src.length);
    const f = this.scale.length;
    for (let i = 0; i < src.length; i++) {
      const k = i % f;
      out[i] = src[i]! * this.scale[k]! + this.offset[k]!;
    }
    return new Tensor(out, t.shape);
  }

  /** Maps scaled values back to the original units (e.g. predictions); same shape as `y`. */
  inverseTransform(y: ScalerInput): Tensor {
    const t = this.check('inverseTransform', y);
    const src = t.data as Float32Array;
    const out = new Float32Array(src.length);
    const f = this.scale.length;
    for (let i = 0; i < src.length; i++) {
      const k = i % f;
      out[i] = (src[i]! - this.offset[k]!) / this.scale[k]!;
    }
    return new Tensor(out, t.shape);
  }

  /** Sets the affine map from `fit` or `fromJSON`. */
  protected setAffine(scale: Float64Array, offset: Float64Array): void {
    this.scale = scale;
    this.offset = offset;
  }

  /** Validates a fitted scaler's input and returns it as a tensor. */
  private check(op: string, x: ScalerInput): Tensor {
    if (this.scale.length === 0) throw new ValueError(`${this.name}.${op}: call fit first`);
    const t = asTensor(`${this.name}.${op}`, x);
    const f = featuresOf(t);
    if (f !== this.scale.length) {
      throw new ShapeError(
        `${this.name}.${op}: x ${fmtShape(t.shape)} has ${f} features (last axis) but the scaler was fitted on ${this.scale.length}`,
      );
    }
    return t;
  }
}

/** Number of features of a tensor: its last axis, or 1 for a vector. */
function featuresOf(t: Tensor): number {
  return t.rank === 1 ? 1 : t.shape[t.rank - 1]!;
}

/** Converts scaler input to a float32 tensor of rank ≥ 1. */
export function asTensor(op: string, x: ScalerInput): Tensor {
  const t = x instanceof Tensor ? x : new Tensor(Float32Array.from(x), [x.length]);
  if (t.dtype !== 'float32') throw new ValueError(`${op}: x must be float32, got ${t.dtype}`);
  if (t.rank === 0) throw new ShapeError(`${op}: x must have at least one axis, got a scalar []`);
  return t;
}

/** Per-feature statistics of `x` in float64; empty or non-finite data is an error naming `op`. */
export function featureStats(op: string, x: ScalerInput): FeatureStats {
  const t = asTensor(op, x);
  const f = featuresOf(t);
  const data = t.data as Float32Array;
  const count = f === 0 ? 0 : data.length / f;
  if (count === 0) throw new ValueError(`${op}: cannot fit on an empty tensor ${fmtShape(t.shape)}`);
  const min = new Float64Array(f).fill(Infinity);
  const max = new Float64Array(f).fill(-Infinity);
  const mean = new Float64Array(f);
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!Number.isFinite(v)) throw new ValueError(`${op}: x holds a non-finite value (${v}) at flat index ${i}`);
    const k = i % f;
    if (v < min[k]!) min[k] = v;
    if (v > max[k]!) max[k] = v;
    mean[k]! += v;
  }
  for (let k = 0; k < f; k++) mean[k]! /= count;
  // Two passes (mean, then squared deviations) avoid the cancellation of E[x²] − E[x]².
  const std = new Float64Array(f);
  for (let i = 0; i < data.length; i++) {
    const k = i % f;
    const d = data[i]! - mean[k]!;
    std[k]! += d * d;
  }
  for (let k = 0; k < f; k++) std[k] = Math.sqrt(std[k]! / count);
  return { count, min, max, mean, std };
}

/** Checks a JSON number array of the expected length (deserialisation of scaler state). */
export function numberArray(op: string, name: string, v: unknown, length?: number): Float64Array {
  if (!Array.isArray(v) || !v.every((e) => typeof e === 'number' && Number.isFinite(e))) {
    throw new ValueError(`${op}: ${name} must be an array of finite numbers`);
  }
  if (length !== undefined && v.length !== length) {
    throw new ValueError(`${op}: ${name} has ${v.length} entries, expected ${length}`);
  }
  return Float64Array.from(v as number[]);
}
