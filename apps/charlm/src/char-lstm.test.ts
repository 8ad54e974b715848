import { Tensor, slice } from '@elman/core';
import { testBackends, useBackend } from '@elman/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { CharLstm } from './char-lstm.js';

describe.each(testBackends())('CharLstm (%s)', (backend) => {
  beforeAll(() => useBackend(backend));
  const ids = new Tensor(Int32Array.from({ length: 2 * 9 }, (_, i) => (i * 7) % 11), [2, 9]); // [B, T]

  it('gives logits [B, T, V], and carrying the state over a split equals one pass (what TBPTT relies on)', () => {
    const m = new CharLstm({ vocabSize: 11, embedSize: 4, hiddenSize: 8, seed: 3 });
    const whole = m.forward(ids);
    expect(whole.output.shape).toEqual([2, 9, 11]);
    expect(whole.state.h.shape).toEqual([2, 8]);
    const first = m.forward(slice(ids, 1, 0, 4));
    const rest = m.forward(slice(ids, 1, 4, 9), { state: first.state });
    const tail = slice(whole.output, 1, 4, 9).data;
    for (let i = 0; i < tail.length; i++) expect(rest.output.data[i]).toBeCloseTo(tail[i]!, 5);
    for (let i = 0; i < 16; i++) expect(rest.state.c.data[i]).toBeCloseTo(whole.state.c.data[i]!, 5);
  });

  it('samples reproducibly: same seed same text, greedy at temperature 0 follows the arg-max', () => {
    const m = new CharLstm({ vocabSize: 11, embedSize: 4, hiddenSize: 8, seed: 3 });
    const a = m.sample([1, 2, 3], 12, 1, 5);
    expect(a).toHaveLength(12);
    expect(Array.from(m.sample([1, 2, 3], 12, 1, 5))).toEqual(Array.from(a));
    expect(a.every((v) => v >= 0 && v < 11)).toBe(true);
    const greedy = m.sample([1, 2, 3], 1, 0, 9);
    const logits = m.forward(new Tensor(Int32Array.of(1, 2, 3), [1, 3])).output.data.subarray(2 * 11); // last step
    expect(greedy[0]).toBe(logits.indexOf(Math.max(...logits)));
    expect(m.training).toBe(true); // sampling restores training mode
  });
});
