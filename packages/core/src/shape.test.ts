import { describe, expect, it } from 'vitest';
import { ShapeError, ValueError } from './errors.js';
import { broadcastShapes, broadcastStrides, checkShape, normAxis, sameShape, sizeOf, splitAt, stridesOf } from './shape.js';

describe('shape helpers', () => {
  it('computes sizes and row-major strides', () => {
    expect(sizeOf([])).toBe(1);
    expect(sizeOf([2, 0, 3])).toBe(0);
    expect(stridesOf([2, 3, 4])).toEqual([12, 4, 1]);
    expect(stridesOf([])).toEqual([]);
  });

  it('broadcasts like NumPy and names the op and both shapes on failure', () => {
    expect(broadcastShapes('op', [2, 1, 3], [4, 1])).toEqual([2, 4, 3]);
    expect(broadcastShapes('op', [], [2, 3])).toEqual([2, 3]);
    expect(broadcastShapes('op', [0, 1], [1, 5])).toEqual([0, 5]);
    expect(() => broadcastShapes('add', [2, 3], [4])).toThrow(ShapeError);
    expect(() => broadcastShapes('add', [2, 3], [4])).toThrow('add: shapes [2, 3] and [4] cannot be broadcast together');
    expect(broadcastStrides([3, 1], [2, 3, 4])).toEqual([0, 1, 0]);
  });

  it('normalises axes and names the op and shape when out of range', () => {
    expect(normAxis('op', -1, 3)).toBe(2);
    expect(normAxis('op', 0, 0)).toBe(0);
    expect(normAxis('op', -1, 0)).toBe(0);
    expect(() => normAxis('softmax', 3, 3, [2, 3, 4])).toThrow(ValueError);
    expect(() => normAxis('softmax', 3, 3, [2, 3, 4])).toThrow('softmax: axis 3 is out of range for input [2, 3, 4] (valid: -3..2)');
    expect(() => normAxis('op', -4, 3)).toThrow('op: axis -4 is out of range for a tensor of rank 3');
    expect(() => normAxis('op', 0.5, 3)).toThrow(ValueError);
  });

  it('splits shapes around an axis and validates dimensions', () => {
    expect(splitAt([2, 3, 4, 5], 1)).toEqual([2, 3, 20]);
    expect(splitAt([7], 0)).toEqual([1, 7, 1]);
    expect(sameShape([1, 2], [1, 2])).toBe(true);
    expect(sameShape([1, 2], [2, 1])).toBe(false);
    expect(sameShape([1], [1, 1])).toBe(false);
    expect(() => checkShape('zeros', [2, -1])).toThrow('zeros: shape must hold non-negative integers, got [2, -1]');
  });
});
