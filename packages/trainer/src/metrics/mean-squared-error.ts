import type { Tensor } from '@elman/core';
import { MeanMetric, type Metric, checkSameShape } from './metric.js';

class SquaredError extends MeanMetric {
  constructor(
    private readonly op: string,
    finish?: (mean: number) => number,
  ) {
    super(finish);
  }

  update(output: Tensor, target: Tensor): void {
    checkSameShape(this.op, output, target);
    const a = output.data;
    const b = target.data;
    let s = 0;
    for (let i = 0; i < a.length; i++) {
      const d = a[i]! - b[i]!;
      s += d * d;
    }
    this.add(s, a.length);
  }
}

/** Mean squared error over every element: `mean (output − target)²`. */
export function meanSquaredError(): Metric {
  return new SquaredError('meanSquaredError');
}

/** Root of the mean squared error over everything seen (not a mean of per-batch roots). */
export function rootMeanSquaredError(): Metric {
  return new SquaredError('rootMeanSquaredError', Math.sqrt);
}
