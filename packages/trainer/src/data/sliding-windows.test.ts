import { ShapeError, Tensor, ValueError, tensor } from '@elman/core';
import { describe, expect, it } from 'vitest';
import { readFixture } from '../fixtures/test-utils.js';
import { slidingWindows } from './sliding-windows.js';

/** fixtures/make-fixtures.py: the seeds' create_sequences in NumPy. */
interface WindowCase {
  series: number[] | number[][];
  shape: number[];
  window: number;
  horizon: number;
  stride: number;
  x: number[];
  xShape: number[];
  y: number[];
  yShape: number[];
}
const { windows } = readFixture<{ windows: WindowCase[] }>('./fixtures/data.json', import.meta.url);

describe('slidingWindows', () => {
  it.each(windows.map((c) => [`${c.shape.join('x')} window ${c.window} horizon ${c.horizon} stride ${c.stride}`, c] as const))(
    'matches create_sequences: %s',
    (_, c) => {
      const series = new Tensor(Float32Array.from(c.series.flat()), c.shape);
      const { inputs, targets } = slidingWindows(series, { window: c.window, horizon: c.horizon, stride: c.stride });
      expect(inputs.shape).toEqual(c.xShape);
      expect(targets.shape).toEqual(c.yShape);
      expect([...inputs.f32]).toEqual(c.x);
      expect([...targets.f32]).toEqual(c.y);
    },
  );

  it('accepts plain numbers and defaults to horizon 1, stride 1', () => {
    const { inputs, targets } = slidingWindows([1, 2, 3, 4, 5], { window: 2 });
    expect(inputs.toArray()).toEqual([[1, 2], [2, 3], [3, 4]]);
    expect(targets.toArray()).toEqual([[3], [4], [5]]);
  });

  it('rejects series that are too short, bad sizes and bad shapes', () => {
    expect(() => slidingWindows([1, 2, 3], { window: 3 })).toThrow(
      new ValueError('slidingWindows: a series of 3 steps is shorter than window + horizon = 3 + 1'),
    );
    expect(() => slidingWindows([1, 2, 3], { window: 0 })).toThrow(/window must be an integer >= 1, got 0/);
    expect(() => slidingWindows(tensor([[[1]]]), { window: 1 })).toThrow(ShapeError);
    expect(() => slidingWindows(tensor([1, 2, 3], undefined, { dtype: 'int32' }), { window: 1 })).toThrow(/must be float32/);
  });
});
