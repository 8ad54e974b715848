import { tensor } from '@elman/core';
import { describe, expect, it } from 'vitest';
import { paddingMask, toKeyPaddingMask } from './mask.js';

describe('padding masks', () => {
  it('paddingMask marks PAD ids and gives one past the last non-PAD position as the length', () => {
    const ids = tensor([[4, 5, 0, 0], [0, 6, 7, 8], [9, 0, 3, 0]], undefined, { dtype: 'int32' });
    const { mask, lengths } = paddingMask(ids, 0);
    expect(mask.toArray()).toEqual([[0, 0, 1, 1], [1, 0, 0, 0], [0, 1, 0, 1]]);
    expect(Array.from(lengths)).toEqual([2, 4, 3]);
  });

  it('toKeyPaddingMask converts booleans and rejects ragged rows', () => {
    expect(toKeyPaddingMask('op', [[true, false], [false, false]], 2, 2).toArray()).toEqual([[1, 0], [0, 0]]);
    expect(() => toKeyPaddingMask('op', [[true, false], [false]], 2, 2)).toThrow(/op: keyPaddingMask rows must all have length 2, row 1 differs/);
  });
});
