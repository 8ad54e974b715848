import { Generator, ShapeError, type Tensor, ValueError, concat, randn, reshape, tensor, zeros } from '@elman/core';
import { assertGradcheck, testBackends, useBackend } from '@elman/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { gru, lstm, rnn } from './factories.js';
import type { NetworkResult, RecurrentNetwork } from './recurrent-network.js';

/** The state-dict keys and shapes of a torch module, as listed by `{k: list(v.shape) for k, v in m.state_dict().items()}`. */
type KeyShapes = [string, number[]][];

function keyShapes(net: RecurrentNetwork): KeyShapes {
  return Object.entries(net.stateDict()).map(([k, t]) => [k, [...t.shape]]);
}

function maxAbsDiff(a: Tensor, b: Tensor): number {
  expect(a.shape).toEqual(b.shape);
  let m = 0;
  for (let i = 0; i < a.size; i++) m = Math.max(m, Math.abs(a.data[i]! - b.data[i]!));
  return m;
}

/** Every output of a forward pass as one flat tensor (so one gradcheck covers output, h_n and c_n). */
function flatResult(r: NetworkResult): Tensor {
  const parts = [r.output, r.state.h, ...(r.state.c ? [r.state.c] : [])];
  return concat(parts.map((t) => reshape(t, [t.size])));
}

describe('factories have torch.nn.LSTM/GRU/RNN state-dict keys and shapes', () => {
  it('torch.nn.LSTM(3, 4, num_layers=2, bidirectional=True)', () => {
    const expected: KeyShapes = [
      ['weight_ih_l0', [16, 3]],
      ['weight_hh_l0', [16, 4]],
      ['bias_ih_l0', [16]],
      ['bias_hh_l0', [16]],
      ['weight_ih_l0_reverse', [16, 3]],
      ['weight_hh_l0_reverse', [16, 4]],
      ['bias_ih_l0_reverse', [16]],
      ['bias_hh_l0_reverse', [16]],
      ['weight_ih_l1', [16, 8]],
      ['weight_hh_l1', [16, 4]],
      ['bias_ih_l1', [16]],
      ['bias_hh_l1', [16]],
      ['weight_ih_l1_reverse', [16, 8]],
      ['weight_hh_l1_reverse', [16, 4]],
      ['bias_ih_l1_reverse', [16]],
      ['bias_hh_l1_reverse', [16]],
    ];
    const net = lstm({ inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true });
    expect(keyShapes(net)).toEqual(expected);
    expect(net.namedParameters().map(([k]) => k)).toEqual(expected.map(([k]) => k));
  });

  it('torch.nn.GRU(5, 3, num_layers=3, bias=False)', () => {
    const expected: KeyShapes = [
      ['weight_ih_l0', [9, 5]],
      ['weight_hh_l0', [9, 3]],
      ['weight_ih_l1', [9, 3]],
      ['weight_hh_l1', [9, 3]],
      ['weight_ih_l2', [9, 3]],
      ['weight_hh_l2', [9, 3]],
    ];
    expect(keyShapes(gru({ inputSize: 5, hiddenSize: 3, numLayers: 3, bias: false }))).toEqual(expected);
  });

  it("torch.nn.RNN(2, 6, nonlinearity='relu', bidirectional=True)", () => {
    const expected: KeyShapes = [
      ['weight_ih_l0', [6, 2]],
      ['weight_hh_l0', [6, 6]],
      ['bias_ih_l0', [6]],
      ['bias_hh_l0', [6]],
      ['weight_ih_l0_reverse', [6, 2]],
      ['weight_hh_l0_reverse', [6, 6]],
      ['bias_ih_l0_reverse', [6]],
      ['bias_hh_l0_reverse', [6]],
    ];
    const net = rnn({ inputSize: 2, hiddenSize: 6, nonlinearity: 'relu', bidirectional: true });
    expect(keyShapes(net)).toEqual(expected);
    expect(net.numParameters()).toBe(2 * (12 + 36 + 12));
  });
});

describe.each(testBackends())('lstm()/gru()/rnn() (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  const factories = { lstm, gru, rnn } as const;
  for (const [mode, make] of Object.entries(factories)) {
    it(`${mode}: 2-layer bidirectional gradcheck w.r.t. input, initial state and every weight, with lengths`, () => {
      const gen = new Generator(11);
      const net = make({ inputSize: 2, hiddenSize: 2, numLayers: 2, bidirectional: true, generator: gen });
      const x = randn([2, 3, 2], { generator: gen });
      const h0 = randn([4, 2, 2], { generator: gen });
      const c0 = randn([4, 2, 2], { generator: gen });
      const isLstm = mode === 'lstm';
      assertGradcheck(
        (x, h, ...rest) => flatResult(net.forward(x!, { state: isLstm ? { h: h!, c: rest[0]! } : { h: h! }, lengths: [3, 2] })),
        [x, h0, ...(isLstm ? [c0] : []), ...net.parameters()],
      );
    });
  }

  it('a state dict round trip reproduces the outputs exactly', () => {
    const gen = new Generator(3);
    const a = lstm({ inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, generator: gen });
    const b = lstm({ inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, generator: gen });
    const x = randn([2, 5, 3], { generator: gen });
    expect(maxAbsDiff(a.forward(x).output, b.forward(x).output)).toBeGreaterThan(1e-3);
    b.loadStateDict(a.stateDict());
    expect(maxAbsDiff(a.forward(x).output, b.forward(x).output)).toBe(0);
  });

  it('dropout acts between layers in training mode only, never on the last layer', () => {
    const gen = new Generator(5);
    const x = randn([3, 4, 2], { generator: gen });
    const plain = gru({ inputSize: 2, hiddenSize: 3, numLayers: 2, generator: gen });
    const dropped = gru({ inputSize: 2, hiddenSize: 3, numLayers: 2, dropout: 0.5, generator: gen });
    dropped.loadStateDict(plain.stateDict());
    const reference = plain.forward(x).output;
    expect(maxAbsDiff(dropped.forward(x).output, reference)).toBeGreaterThan(1e-3);
    dropped.eval();
    expect(maxAbsDiff(dropped.forward(x).output, reference)).toBe(0);

    // One layer: torch applies no dropout at all (there is no layer after it).
    const single = gru({ inputSize: 2, hiddenSize: 3, dropout: 0.9, generator: gen });
    const trained = single.train().forward(x).output;
    expect(maxAbsDiff(trained, single.eval().forward(x).output)).toBe(0);
  });

  it('dropout 1 feeds zeros to the second layer', () => {
    const gen = new Generator(6);
    const x = randn([2, 3, 2], { generator: gen });
    const net = rnn({ inputSize: 2, hiddenSize: 3, numLayers: 2, bidirectional: true, dropout: 1, generator: gen });
    const top = rnn({ inputSize: 6, hiddenSize: 3, bidirectional: true, generator: gen });
    const dict: Record<string, Tensor> = {};
    for (const [k, t] of Object.entries(net.stateDict())) if (k.includes('_l1')) dict[k.replace('_l1', '_l0')] = t;
    top.loadStateDict(dict);
    const expected = top.forward(zeros([2, 3, 6])).output;
    expect(maxAbsDiff(net.forward(x).output, expected)).toBe(0);
  });

  it('the same generator seed gives the same dropout masks', () => {
    const run = (): Tensor => {
      const gen = new Generator(9);
      const net = lstm({ inputSize: 2, hiddenSize: 3, numLayers: 3, dropout: 0.3, generator: gen });
      return net.forward(randn([2, 4, 2], { generator: gen })).output;
    };
    expect(maxAbsDiff(run(), run())).toBe(0);
  });
});

describe('bad input to the factories', () => {
  const net = lstm({ inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true });
  const x = randn([2, 5, 3]);

  it('state of the wrong shape names the argument and the expected [L·D, B, H]', () => {
    expect(() => net.forward(x, { state: { h: zeros([2, 2, 4]), c: zeros([4, 2, 4]) } })).toThrow(ShapeError);
    expect(() => net.forward(x, { state: { h: zeros([2, 2, 4]), c: zeros([4, 2, 4]) } })).toThrow(
      'lstm: state.h must be [L·D, B, H] = [4, 2, 4], got [2, 2, 4]',
    );
    expect(() => net.forward(x, { state: { h: zeros([4, 2, 4]), c: zeros([4, 3, 4]) } })).toThrow(/state\.c must be/);
    expect(() => net.forward(x, { state: { h: zeros([4, 2, 4]) } })).toThrow(ValueError);
    expect(() => gru({ inputSize: 3, hiddenSize: 4 }).forward(x, { state: { h: zeros([1, 2, 4]), c: zeros([1, 2, 4]) } })).toThrow(
      'gru: state.c is only for lstm()',
    );
  });

  it('lengths not matching the batch or out of range', () => {
    expect(() => net.forward(x, { lengths: [5, 5, 5] })).toThrow(ShapeError);
    expect(() => net.forward(x, { lengths: [5, 5, 5] })).toThrow(/lengths has 3 entries but the input has 2 sequences/);
    expect(() => net.forward(x, { lengths: [6, 1] })).toThrow(/lengths\[0\] = 6 is out of range/);
  });

  it('input of the wrong rank or size', () => {
    expect(() => net.forward(randn([5, 3]))).toThrow('lstm: input must be [B, T, X] with X = inputSize 3, got [5, 3]');
    expect(() => net.forward(randn([2, 5, 4]))).toThrow(ShapeError);
  });

  it('invalid options', () => {
    expect(() => lstm({ inputSize: 3, hiddenSize: 4, numLayers: 0 })).toThrow('lstm: numLayers must be a positive integer, got 0');
    expect(() => lstm({ inputSize: 3, hiddenSize: 4, dropout: 2 })).toThrow(/dropout must be in \[0, 1\]/);
    expect(() => gru({ inputSize: 3, hiddenSize: 4, batchFirst: false as never })).toThrow(/only batchFirst: true/);
    expect(() => lstm({ inputSize: 3, hiddenSize: 4, nonlinearity: 'relu' } as never)).toThrow(ValueError);
    expect(() => rnn({ inputSize: 3, hiddenSize: 4, nonlinearity: 'sigmoid' as never })).toThrow(/nonlinearity/);
    expect(() => lstm({ inputSize: 0, hiddenSize: 4 })).toThrow(/inputSize must be a positive integer/);
    expect(() => net.forward(tensor([1, 2, 3], [1, 1, 3]), { state: null as never })).toThrow(ValueError);
  });
});

describe('factories are reproducible from an explicit generator', () => {
  it('same seed → identical weights in both directions, whatever the global generator did in between', () => {
    const a = lstm({ inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, generator: new Generator(7) });
    randn([100]); // advances the global generator; must not influence the second network
    const b = lstm({ inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, generator: new Generator(7) });
    const sa = a.stateDict();
    const sb = b.stateDict();
    expect(Object.keys(sa)).toContain('weight_hh_l1_reverse');
    for (const [key, t] of Object.entries(sa)) expect(maxAbsDiff(t, sb[key]!), key).toBe(0);
  });
});
