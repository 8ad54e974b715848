import { describe, expect, it } from 'vitest';
import { textTable } from './text-table.js';

describe('textTable', () => {
  it('aligns the first column left and the others right, with a rule under the header', () => {
    const text = textTable({ header: ['model', 'RMSE'], rows: [['LSTM', 1.23456], ['seasonal naive', 10]], digits: 2 });
    expect(text.split('\n')).toEqual([
      'model            RMSE',
      '--------------  -----',
      'LSTM             1.23',
      'seasonal naive  10.00',
    ]);
  });

  it('prints a non-finite number as a dash', () => {
    expect(textTable({ header: ['a', 'b'], rows: [['x', Number.NaN]] }).split('\n')[2]).toBe('x  –');
  });
});
