import { ShapeError, ValueError, tensor } from '@elman/core';
import { describe, expect, it } from 'vitest';
import { padSequences } from './pad-sequences.js';

describe('padSequences', () => {
  it('right-pads to the longest sequence with lengths and a mask (1 = padding)', () => {
    const { padded, lengths, mask } = padSequences([tensor([[1, 1], [2, 2]]), tensor([[3, 3]]), tensor([[4, 4], [5, 5], [6, 6]])], {
      value: -1,
    });
    expect(padded.shape).toEqual([3, 3, 2]);
    expect(padded.toArray()).toEqual([
      [[1, 1], [2, 2], [-1, -1]],
      [[3, 3], [-1, -1], [-1, -1]],
      [[4, 4], [5, 5], [6, 6]],
    ]);
    expect([...lengths]).toEqual([2, 1, 3]);
    expect(mask.dtype).toBe('int32');
    expect(mask.toArray()).toEqual([
      [0, 0, 1],
      [0, 1, 1],
      [0, 0, 0],
    ]);
  });

  it('truncates to maxLength, keeps int32 token ids, and takes plain arrays', () => {
    const ids = padSequences([tensor([7, 8, 9], undefined, { dtype: 'int32' }), tensor([1], undefined, { dtype: 'int32' })], {
      maxLength: 2,
    });
    expect(ids.padded.dtype).toBe('int32');
    expect(ids.padded.toArray()).toEqual([[7, 8], [1, 0]]);
    expect([...ids.lengths]).toEqual([2, 1]);
    expect(padSequences([[1, 2], [3]]).padded.toArray()).toEqual([[1, 2], [3, 0]]);
  });

  it('rejects empty input, mixed shapes or dtypes, and bad options', () => {
    expect(() => padSequences([])).toThrow(new ValueError('padSequences: needs at least one sequence'));
    expect(() => padSequences([tensor([[1, 2]]), tensor([[1, 2, 3]])])).toThrow(
      new ShapeError(
        'padSequences: sequence 1 is float32 [1, 3] but sequence 0 is float32 [1, 2]; only the first (time) axis may differ',
      ),
    );
    expect(() => padSequences([tensor([1], undefined, { dtype: 'int32' })], { value: 0.5 })).toThrow(/integer padding value/);
    expect(() => padSequences([[1]], { maxLength: -1 })).toThrow(/maxLength must be an integer >= 0/);
  });
});
