import { GRU, type HiddenState, LSTM, RNN } from '@elman/cells';
import { Generator, ShapeError, type Tensor, ValueError, add, concat, randn, reshape, zeros } from '@elman/core';
import { assertGradcheck, testBackends, useBackend } from '@elman/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { Bidirectional, type BidirectionalState } from './bidirectional.js';
import { Stacked } from './stacked.js';

function maxAbsDiff(a: Tensor, b: Tensor): number {
  expect(a.shape).toEqual(b.shape);
  let m = 0;
  for (let i = 0; i < a.size; i++) m = Math.max(m, Math.abs(a.data[i]! - b.data[i]!));
  return m;
}

describe.each(testBackends())('Stacked (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it('feeds each layer the previous output and returns every layer state', () => {
    const gen = new Generator(1);
    const l0 = new Bidirectional(new LSTM({ inputSize: 3, hiddenSize: 2, generator: gen }));
    const l1 = new GRU({ inputSize: 4, hiddenSize: 5, generator: gen });
    const net = new Stacked([l0, l1]);
    expect(net.outputSize).toBe(5);
    expect(Object.keys(net.stateDict())).toContain('layers.1.weight_ih_l0');
    expect(Object.keys(net.stateDict())).toContain('layers.0.weight_hh_l0_reverse');
    const x = randn([2, 4, 3], { generator: gen });
    const r = net.forward(x, { lengths: [4, 3] });
    const a = l0.forward(x, { lengths: [4, 3] });
    const b = l1.forward(a.output, { lengths: [4, 3] });
    expect(maxAbsDiff(r.output, b.output)).toBe(0);
    expect(maxAbsDiff((r.state[0] as BidirectionalState).backward.h, a.state.backward.h)).toBe(0);
    expect(maxAbsDiff((r.state[1] as HiddenState).h, b.state.h)).toBe(0);
  });

  it('residual adds each layer input where shapes match, keeping padded outputs 0', () => {
    const gen = new Generator(2);
    const layers = [0, 1, 2].map((i) => new RNN({ inputSize: i === 0 ? 2 : 3, hiddenSize: 3, generator: gen }));
    const net = new Stacked(layers, { residual: true });
    const x = randn([2, 4, 2], { generator: gen });
    const lengths = [4, 2];
    const y0 = layers[0]!.forward(x, { lengths }).output; // no residual: [2, 4, 2] ≠ [2, 4, 3]
    const y1 = add(layers[1]!.forward(y0, { lengths }).output, y0);
    const y2 = add(layers[2]!.forward(y1, { lengths }).output, y1);
    const out = net.forward(x, { lengths }).output;
    expect(maxAbsDiff(out, y2)).toBeLessThan(1e-6);
    for (let t = 2; t < 4; t++) for (let i = 0; i < 3; i++) expect(out.data[(4 + t) * 3 + i]).toBe(0);
  });

  it('dropout hits all but the last layer output in training and nothing in eval', () => {
    const gen = new Generator(3);
    const l0 = new GRU({ inputSize: 2, hiddenSize: 3, generator: gen });
    const l1 = new GRU({ inputSize: 3, hiddenSize: 3, generator: gen });
    const x = randn([2, 3, 2], { generator: gen });
    const all = new Stacked([l0, l1], { dropout: 1 });
    expect(maxAbsDiff(all.forward(x).output, l1.forward(zeros([2, 3, 3])).output)).toBe(0);
    const half = new Stacked([l0, l1], { dropout: 0.5, generator: gen });
    const clean = l1.forward(l0.forward(x).output).output;
    expect(maxAbsDiff(half.forward(x).output, clean)).toBeGreaterThan(1e-3);
    half.eval();
    expect(maxAbsDiff(half.forward(x).output, clean)).toBe(0);
  });

  it('gradcheck with residuals and initial states (dropout is core\'s op, checked there)', () => {
    const gen = new Generator(4);
    const layers = [
      new LSTM({ inputSize: 2, hiddenSize: 2, generator: gen }),
      new Bidirectional(new RNN({ inputSize: 2, hiddenSize: 2, generator: gen }), { merge: 'sum' }),
    ];
    const net = new Stacked(layers, { residual: true });
    const x = randn([2, 3, 2], { generator: gen });
    const h0 = randn([2, 2], { generator: gen });
    const c0 = randn([2, 2], { generator: gen });
    const g = randn([2, 2], { generator: gen });
    assertGradcheck(
      (x, h, c, g) => {
        const r = net.forward(x!, { state: [{ h: h!, c: c! } as HiddenState, { forward: { h: g! }, backward: { h: g! } }] });
        return concat([reshape(r.output, [r.output.size]), reshape((r.state[0] as HiddenState).h, [4])]);
      },
      [x, h0, c0, g, ...net.parameters()],
    );
  });

  it('bad input gets typed errors', () => {
    const a = new LSTM({ inputSize: 3, hiddenSize: 4 });
    expect(() => new Stacked([])).toThrow('Stacked: layers must be a non-empty array');
    expect(() => new Stacked([a, new GRU({ inputSize: 3, hiddenSize: 2 })])).toThrow(ShapeError);
    expect(() => new Stacked([a, new GRU({ inputSize: 3, hiddenSize: 2 })])).toThrow(
      'Stacked: layers[1].inputSize is 3 but layers[0] outputs 4 features',
    );
    expect(() => new Stacked([new LSTM({ inputSize: 3, hiddenSize: 4, returnSequences: false }), new GRU({ inputSize: 4, hiddenSize: 2 })])).toThrow(
      /layers\[0\] must return sequences/,
    );
    expect(() => new Stacked([a], { dropout: -1 })).toThrow(ValueError);
    expect(() => new Stacked([{} as never])).toThrow(/layers\[0\] must be/);
    expect(() => new Stacked([a]).forward(randn([2, 5, 3]), { state: [] })).toThrow('Stacked: state must be an array of 1 layer states, got an array of 0');
  });
});
