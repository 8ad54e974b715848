import { DTypeError, ShapeError, type Tensor, fmtShape } from '@elman/core';
import { MeanMetric, type Metric } from './metric.js';

/** Options of {@link accuracy}. */
export interface AccuracyOptions {
  /** Targets equal to this class are not counted (padding), like the loss's `ignoreIndex`. */
  ignoreIndex?: number;
}

/**
 * Fraction of correct class predictions: the output's last axis holds class scores (`[..., C]` logits or
 * probabilities), the int32 target (`[...]`) the class index; a prediction is the arg-max (first on ties).
 *
 * @example
 * ```ts run
 * import { tensor } from '@elman/core';
 * import { accuracy } from '@elman/trainer';
 *
 * const metric = accuracy({ ignoreIndex: -100 }); // Trainer({metrics: {acc: accuracy()}}) logs it per epoch
 * metric.update(tensor([[2, 0.1], [0.3, 1], [5, 1]]), tensor([0, 0, -100], [3], { dtype: 'int32' })); // logits [N, C]
 * console.log(metric.compute()); // 0.5: one of the two counted rows is right
 * ```
 */
export function accuracy(options: AccuracyOptions = {}): Metric {
  const ignore = options.ignoreIndex;
  return new (class extends MeanMetric {
    update(output: Tensor, target: Tensor): void {
      if (target.dtype !== 'int32') throw new DTypeError(`accuracy: target must be int32 class indices, got ${target.dtype}`);
      const c = output.shape[output.rank - 1] ?? 0;
      if (output.rank !== target.rank + 1 || target.shape.some((d, k) => d !== output.shape[k]) || c === 0) {
        throw new ShapeError(
          `accuracy: output ${fmtShape(output.shape)} must be the target's shape ${fmtShape(target.shape)} plus a class axis`,
        );
      }
      const scores = output.data;
      const labels = target.data;
      let hits = 0;
      let seen = 0;
      for (let i = 0; i < labels.length; i++) {
        const label = labels[i]!;
        if (label === ignore) continue;
        let best = 0;
        for (let k = 1; k < c; k++) if (scores[i * c + k]! > scores[i * c + best]!) best = k;
        if (best === label) hits++;
        seen++;
      }
      this.add(hits, seen);
    }
  })();
}
