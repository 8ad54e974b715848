import { ShapeError, type Tensor, fmtShape } from '@elman/core';

/**
 * A streaming metric: `reset` at the start of an epoch (or evaluation), `update` with every batch's outputs and
 * targets, `compute` for the value over everything seen since the reset. Values must not depend on how the data
 * was cut into batches (e.g. accuracy counts hits and examples, not a mean of batch means).
 */
export interface Metric {
  /** Forgets everything seen. */
  reset(): void;
  /** Accumulates one batch. */
  update(output: Tensor, target: Tensor): void;
  /** The metric over all batches since the last reset (NaN when nothing was seen). */
  compute(): number;
}

/** A per-batch metric function; the trainer averages it over batches weighted by batch size. */
export type MetricFn = (output: Tensor, target: Tensor) => number;

/**
 * Accumulates a sum and a count; `compute` is `finish(sum / count)`. Base of the built-in metrics, whose
 * `update` adds per-element (or per-example) values with {@link MeanMetric.add}.
 */
export abstract class MeanMetric implements Metric {
  #sum = 0;
  #count = 0;

  /** @param finish Maps the mean to the reported value (default identity; `Math.sqrt` for an RMSE). */
  constructor(private readonly finish: (mean: number) => number = (m) => m) {}

  /** Forgets everything seen. */
  reset(): void {
    this.#sum = 0;
    this.#count = 0;
  }

  /** Accumulates one batch (via {@link MeanMetric.add}). */
  abstract update(output: Tensor, target: Tensor): void;

  /** Adds `sum` over `count` items. */
  protected add(sum: number, count: number): void {
    this.#sum += sum;
    this.#count += count;
  }

  /** `finish(sum / count)`, NaN before any data. */
  compute(): number {
    return this.#count === 0 ? Number.NaN : this.finish(this.#sum / this.#count);
  }
}

/** Wraps a {@link MetricFn} as a {@link Metric} averaged over examples (batch-size-weighted mean). */
export function metricFromFunction(fn: MetricFn): Metric {
  return new (class extends MeanMetric {
    update(output: Tensor, target: Tensor): void {
      const b = output.shape[0] ?? 1;
      this.add(fn(output, target) * b, b);
    }
  })();
}

/** Checks that output and target have the same shape (regression metrics). */
export function checkSameShape(op: string, output: Tensor, target: Tensor): void {
  if (output.rank !== target.rank || output.shape.some((d, k) => d !== target.shape[k])) {
    throw new ShapeError(`${op}: output is ${fmtShape(output.shape)} but target is ${fmtShape(target.shape)}`);
  }
}
