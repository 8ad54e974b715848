import { describe, expect, it } from 'vitest';
import { CharTable } from './char-table.js';

describe('CharTable', () => {
  it('numbers symbols after the four specials, round-trips, maps unknowns to UNK', () => {
    const t = new CharTable(['abc', 'cab']);
    expect(t.size).toBe(7);
    expect(t.encode('cab')).toEqual([6, 4, 5]);
    expect(t.encode('z')).toEqual([CharTable.UNK]);
    expect(t.decode([CharTable.START, 4, 5, CharTable.END, 6]).join('')).toBe('ab');
    expect(() => t.decode([99])).toThrow(/CharTable.decode: id 99 is not in \[0, 7\)/);
  });

  it('takes token arrays (phonemes) as symbols and pads batches with START/END on request', () => {
    const t = new CharTable([['K', 'AE1', 'T']]);
    const batch = t.encodeBatch([['K', 'AE1', 'T'], ['T']], { start: true, end: true });
    expect(batch.shape).toEqual([2, 5]);
    expect(Array.from(batch.data)).toEqual([1, 4, 5, 6, 2, 1, 6, 2, 0, 0]);
    expect(() => t.encodeBatch([])).toThrow(/no sequences/);
    expect(() => t.encodeBatch([''])).toThrow(/every sequence is empty/);
  });
});
