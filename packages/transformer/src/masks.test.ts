import { ShapeError, tensor } from '@elman/core';
import { describe, expect, it } from 'vitest';
import { causalMask, checkMaskShape, generateSquareSubsequentMask, maskBias, maskTensor } from './masks.js';

describe('masks', () => {
  it('generateSquareSubsequentMask masks exactly the future (1 above the diagonal)', () => {
    const m = generateSquareSubsequentMask(3);
    expect(m.dtype).toBe('int32');
    expect(m.toArray()).toEqual([
      [0, 1, 1],
      [0, 0, 1],
      [0, 0, 0],
    ]);
    // Rectangular: top-left aligned like PyTorch's is_causal.
    expect(causalMask(2, 4).toArray()).toEqual([
      [0, 1, 1, 1],
      [0, 0, 1, 1],
    ]);
  });

  it('turns nested booleans into int32 (true = masked out) and keeps tensors', () => {
    const m = maskTensor('op', 'mask', [
      [true, false],
      [false, false],
    ]);
    expect(m.dtype).toBe('int32');
    expect(m.shape).toEqual([2, 2]);
    expect(Array.from(m.data)).toEqual([1, 0, 0, 0]);
    const t = tensor([0, 1], undefined, { dtype: 'int32' });
    expect(maskTensor('op', 'mask', t)).toBe(t);
  });

  it('rejects ragged or non-boolean nested masks with a ShapeError naming the op and argument', () => {
    expect(() => maskTensor('MultiheadAttention', 'attnMask', [[true], [true, false]])).toThrow(ShapeError);
    expect(() => maskTensor('MultiheadAttention', 'attnMask', [[true], [true, false]])).toThrow(/^MultiheadAttention: attnMask is ragged/);
    expect(() => maskTensor('op', 'keyPaddingMask', [[1, 0]] as unknown as boolean[][])).toThrow(/keyPaddingMask must hold booleans/);
  });

  it('maskBias gives -Infinity where masked and 0 elsewhere; float masks pass through', () => {
    const b = maskBias(tensor([1, 0, 2], undefined, { dtype: 'int32' }));
    expect(Array.from(b.data)).toEqual([Number.NEGATIVE_INFINITY, 0, Number.NEGATIVE_INFINITY]);
    const f = tensor([0.5, -1]);
    expect(maskBias(f)).toBe(f);
  });

  it('checkMaskShape lists the accepted shapes', () => {
    const m = tensor([0, 0, 0], undefined, { dtype: 'int32' });
    expect(() => checkMaskShape('MultiheadAttention', 'attnMask', m, [[2, 3], [4, 2, 3]])).toThrow(
      'MultiheadAttention: attnMask must be [2, 3] or [4, 2, 3], got [3]',
    );
    expect(() => checkMaskShape('op', 'attnMask', m, [[3]])).not.toThrow();
  });
});
