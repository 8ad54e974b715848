import type { Tensor } from '@elman/core';
import { MeanMetric, type Metric, checkSameShape } from './metric.js';

/** Mean absolute error over every element: `mean |output − target|`. */
export function meanAbsoluteError(): Metric {
  return new (class extends MeanMetric {
    update(output: Tensor, target: Tensor): void {
      checkSameShape('meanAbsoluteError', output, target);
      const a = output.data;
      const b = target.data;
      let s = 0;
      for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! - b[i]!);
      this.add(s, a.length);
    }
  })();
}
