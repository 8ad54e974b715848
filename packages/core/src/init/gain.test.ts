import { describe, expect, it } from 'vitest';
import { ValueError } from '../errors.js';
import { type Nonlinearity, calculateGain, fanInAndFanOut } from './gain.js';

describe('calculateGain and fanInAndFanOut', () => {
  it('returns PyTorch’s gains', () => {
    expect(calculateGain('linear')).toBe(1);
    expect(calculateGain('identity')).toBe(1);
    expect(calculateGain('sigmoid')).toBe(1);
    expect(calculateGain('tanh')).toBeCloseTo(5 / 3, 12);
    expect(calculateGain('relu')).toBeCloseTo(Math.sqrt(2), 12);
    expect(calculateGain('leakyRelu')).toBeCloseTo(Math.sqrt(2 / (1 + 0.01 ** 2)), 12);
    expect(calculateGain('leakyRelu', Math.sqrt(5))).toBeCloseTo(Math.sqrt(1 / 3), 12);
    expect(calculateGain('selu')).toBe(0.75);
    expect(() => calculateGain('swish' as Nonlinearity)).toThrow("calculateGain: unknown nonlinearity 'swish'");
  });

  it('computes fans of [out, in, ...receptive field] weights', () => {
    expect(fanInAndFanOut([8, 4])).toEqual({ fanIn: 4, fanOut: 8 });
    expect(fanInAndFanOut([8, 4, 3, 2])).toEqual({ fanIn: 24, fanOut: 48 });
    expect(() => fanInAndFanOut([5])).toThrow(ValueError);
    expect(() => fanInAndFanOut([5])).toThrow('got [5]');
  });
});
