import { GRU, type HiddenState, LSTM, type LstmState, RNN, type SequenceLayer } from '@elman/cells';
import { Generator, ShapeError, type Tensor, ValueError, add, concat, mul, randn, reshape, tensor } from '@elman/core';
import { assertGradcheck, testBackends, useBackend } from '@elman/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { Bidirectional } from './bidirectional.js';
import type { MergeMode } from './merge.js';

function maxAbsDiff(a: Tensor, b: Tensor): number {
  expect(a.shape).toEqual(b.shape);
  let m = 0;
  for (let i = 0; i < a.size; i++) m = Math.max(m, Math.abs(a.data[i]! - b.data[i]!));
  return m;
}

/** `x [B, T, X]` with the first `lengths[b]` steps of every sequence reversed (the padding stays in place). */
function reverseValid(x: Tensor, lengths: readonly number[]): Tensor {
  const [B, T, X] = x.shape as [number, number, number];
  const out = new Float32Array(x.size);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const src = t < lengths[b]! ? lengths[b]! - 1 - t : t;
      for (let i = 0; i < X; i++) out[(b * T + t) * X + i] = x.data[(b * T + src) * X + i]!;
    }
  }
  return tensor(out, [B, T, X]);
}

describe.each(testBackends())('Bidirectional (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it('the backward half copies the layer config with reverse and the _reverse suffix', () => {
    const gen = new Generator(1);
    const gruBi = new Bidirectional(new GRU({ inputSize: 3, hiddenSize: 2, resetBefore: true, suffix: '_l1', generator: gen }));
    const back = gruBi.backwardLayer as GRU;
    expect(back).toBeInstanceOf(GRU);
    expect([back.reverse, back.suffix, back.resetBefore, back.inputSize, back.hiddenSize]).toEqual([true, '_l1_reverse', true, 3, 2]);
    expect(Object.keys(gruBi.stateDict())).toEqual([
      'weight_ih_l1', 'weight_hh_l1', 'bias_ih_l1', 'bias_hh_l1',
      'weight_ih_l1_reverse', 'weight_hh_l1_reverse', 'bias_ih_l1_reverse', 'bias_hh_l1_reverse',
    ]);
    const relu = new Bidirectional(new RNN({ inputSize: 2, hiddenSize: 2, nonlinearity: 'relu', bias: false }));
    const rb = relu.backwardLayer as RNN;
    expect([rb.nonlinearity, rb.bias]).toEqual(['relu', false]);
    const lb = new Bidirectional(new LSTM({ inputSize: 2, hiddenSize: 2, forgetBias: 1 })).backwardLayer as LSTM;
    expect(lb.forgetBias).toBe(1);
    expect(Array.from(lb.biasIh!.data.slice(2, 4))).toEqual([1, 1]);
  });

  const merges: [MergeMode, (f: Tensor, b: Tensor) => Tensor, number][] = [
    ['concat', (f, b) => concat([f, b], 2), 8],
    ['sum', (f, b) => add(f, b), 4],
    ['mul', (f, b) => mul(f, b), 4],
    ['ave', (f, b) => mul(add(f, b), 0.5), 4],
  ];
  for (const [merge, combine, features] of merges) {
    it(`merge '${merge}' combines the forward pass and the backward pass over each valid part`, () => {
      const gen = new Generator(2);
      const bi = new Bidirectional(new LSTM({ inputSize: 3, hiddenSize: 4, generator: gen }), { merge });
      expect(bi.outputSize).toBe(features);
      const x = randn([3, 5, 3], { generator: gen });
      const lengths = [5, 2, 4];
      const { output, state } = bi.forward(x, { lengths });
      expect(output.shape).toEqual([3, 5, features]);

      // Independent composition: the backward layer's weights in a plain forward LSTM run on each sequence with its
      // valid part reversed, then its outputs put back in time order.
      const f = bi.forwardLayer.forward(x, { lengths });
      const plain = new LSTM({ inputSize: 3, hiddenSize: 4 });
      const dict: Record<string, Tensor> = {};
      for (const [k, t] of Object.entries(bi.backwardLayer.stateDict())) dict[k.replace('_reverse', '')] = t;
      plain.loadStateDict(dict);
      const r = plain.forward(reverseValid(x, lengths), { lengths });
      const backward = reverseValid(r.output, lengths);
      expect(maxAbsDiff(output, combine(f.output, backward))).toBeLessThan(1e-6);
      expect(maxAbsDiff(state.backward.h, r.state.h)).toBeLessThan(1e-6);
      expect(maxAbsDiff((state.backward as LstmState).c, (r.state as LstmState).c)).toBeLessThan(1e-6);
      expect(maxAbsDiff(state.forward.h, f.state.h)).toBe(0);
    });
  }

  it('gradcheck (concat and mul) w.r.t. input, both initial states and every weight, with lengths', () => {
    for (const merge of ['concat', 'mul'] as const) {
      const gen = new Generator(4);
      const bi = new Bidirectional(new GRU({ inputSize: 2, hiddenSize: 2, generator: gen }), { merge });
      const x = randn([2, 3, 2], { generator: gen });
      const hf = randn([2, 2], { generator: gen });
      const hb = randn([2, 2], { generator: gen });
      assertGradcheck(
        (x, hf, hb) => {
          const r = bi.forward(x!, { state: { forward: { h: hf! }, backward: { h: hb! } }, lengths: [2, 3] });
          return concat([reshape(r.output, [r.output.size]), reshape(r.state.forward.h, [4]), reshape(r.state.backward.h, [4])]);
        },
        [x, hf, hb, ...bi.parameters()],
      );
    }
  });

  it('without returnSequences it merges the two final outputs (Keras Bidirectional)', () => {
    const gen = new Generator(7);
    const bi = new Bidirectional(new RNN({ inputSize: 2, hiddenSize: 3, returnSequences: false, generator: gen }));
    const x = randn([2, 4, 2], { generator: gen });
    const r = bi.forward(x, { lengths: [4, 2] });
    expect(r.output.shape).toEqual([2, 6]);
    expect(maxAbsDiff(r.output, concat([r.state.forward.h, r.state.backward.h], 1))).toBe(0);
  });

  it('bad input gets typed errors', () => {
    const bi = new Bidirectional(new LSTM({ inputSize: 3, hiddenSize: 4 }) as SequenceLayer<HiddenState>);
    const x = randn([2, 5, 3]);
    expect(() => new Bidirectional(new LSTM({ inputSize: 3, hiddenSize: 4 }), { merge: 'max' as never })).toThrow(
      "Bidirectional: merge must be one of 'concat', 'sum', 'mul', 'ave', got 'max'",
    );
    expect(() => new Bidirectional({} as never)).toThrow(ValueError);
    expect(() => bi.forward(x, { state: { h: randn([2, 4]) } as never })).toThrow(/state must be an object \{forward, backward\}/);
    expect(() => bi.forward(x, { lengths: [1] })).toThrow(ShapeError);
    expect(() => bi.forward(randn([2, 5, 2]))).toThrow(ShapeError);
  });
});
