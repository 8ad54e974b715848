import { DTypeError, Generator, ShapeError, type Tensor, ValueError, add, concat, linear, randn, tensor, zeros } from '@elman/core';
import { assertGradcheck, testBackends, useBackend } from '@elman/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { GRUCell } from './gru-cell.js';
import { LSTMCell } from './lstm-cell.js';
import { RNNCell } from './rnn-cell.js';

const shapesOf = (m: { stateDict(): Record<string, Tensor> }) =>
  Object.fromEntries(Object.entries(m.stateDict()).map(([k, t]) => [k, t.shape]));

describe('cell parameters', () => {
  it('have PyTorch’s names and shapes (gate blocks stacked on the first axis)', () => {
    const X = 3;
    const H = 5;
    expect(shapesOf(new RNNCell({ inputSize: X, hiddenSize: H }))).toEqual({
      weight_ih: [H, X],
      weight_hh: [H, H],
      bias_ih: [H],
      bias_hh: [H],
    });
    expect(shapesOf(new LSTMCell({ inputSize: X, hiddenSize: H }))).toEqual({
      weight_ih: [4 * H, X],
      weight_hh: [4 * H, H],
      bias_ih: [4 * H],
      bias_hh: [4 * H],
    });
    expect(shapesOf(new GRUCell({ inputSize: X, hiddenSize: H, bias: false }))).toEqual({
      weight_ih: [3 * H, X],
      weight_hh: [3 * H, H],
    });
  });

  it('start as PyTorch’s U(−1/√H, 1/√H), reproducible from a generator', () => {
    const H = 16;
    const a = new LSTMCell({ inputSize: 8, hiddenSize: H, generator: new Generator(3) });
    const b = new LSTMCell({ inputSize: 8, hiddenSize: H, generator: new Generator(3) });
    for (const [name, p] of a.namedParameters()) {
      const d = p.data as Float32Array;
      expect(Math.max(...d.map(Math.abs)), name).toBeLessThanOrEqual(1 / Math.sqrt(H));
      // A uniform draw of this size spreads over most of the range.
      expect(Math.max(...d.map(Math.abs)), name).toBeGreaterThan(0.8 / Math.sqrt(H));
      expect([...d]).toEqual([...(b.stateDict()[name]!.data as Float32Array)]);
    }
  });

  it('IRNN preset: ReLU, identity recurrent weights, zero biases, small input weights (Le et al. 2015)', () => {
    const cell = RNNCell.irnn({ inputSize: 4, hiddenSize: 3, generator: new Generator(1) });
    expect(cell.nonlinearity).toBe('relu');
    expect(cell.weight_hh.toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect([...cell.bias_ih!.data, ...cell.bias_hh!.data]).toEqual(new Array(6).fill(0));
    const wi = cell.weight_ih.data as Float32Array;
    expect(Math.max(...wi.map(Math.abs))).toBeLessThan(0.01);
    expect(Math.max(...wi.map(Math.abs))).toBeGreaterThan(0);
    // With zero input the identity map carries a non-negative state unchanged.
    const h = tensor([[0.5, 0, 2]]);
    expect(cell.forward(zeros([1, 4]), { h }).h.toArray()).toEqual([[0.5, 0, 2]]);
  });

  it('forgetBias sets the f block of bias_ih and zeroes that of bias_hh, leaving the other gates random', () => {
    const H = 4;
    const cell = new LSTMCell({ inputSize: 2, hiddenSize: H, forgetBias: 1 });
    const bi = [...cell.bias_ih!.data];
    const bh = [...cell.bias_hh!.data];
    expect(bi.slice(H, 2 * H)).toEqual([1, 1, 1, 1]);
    expect(bh.slice(H, 2 * H)).toEqual([0, 0, 0, 0]);
    expect(bi.slice(0, H).every((v) => v !== 0 && Math.abs(v) <= 0.5)).toBe(true);
    expect(bh.slice(2 * H).every((v) => v !== 0)).toBe(true);
  });
});

describe.each(testBackends())('cell gradients (%s)', (backend) => {
  beforeAll(() => useBackend(backend));
  const gen = new Generator(11);
  const B = 2;
  const X = 3;
  const H = 4;

  for (const nonlinearity of ['tanh', 'relu'] as const) {
    it(`RNNCell (${nonlinearity}) passes gradcheck for x, h and every weight`, () => {
      const cell = new RNNCell({ inputSize: X, hiddenSize: H, nonlinearity, generator: gen });
      const x = randn([B, X], { generator: gen });
      const h = randn([B, H], { generator: gen });
      // Central differences straddling the ReLU kink would be wrong: the pre-activations must stay clear of 0 by ε.
      const pre = add(linear(x, cell.weight_ih, cell.bias_ih), linear(h, cell.weight_hh, cell.bias_hh));
      expect(Math.min(...[...pre.data].map(Math.abs))).toBeGreaterThan(1e-3);
      assertGradcheck((x, h) => cell.forward(x!, { h: h! }).h, [x, h, ...cell.parameters()], { eps: 1e-3 });
    });
  }

  it('LSTMCell passes gradcheck for x, h, c and every weight', () => {
    const cell = new LSTMCell({ inputSize: X, hiddenSize: H, generator: gen });
    const inputs = [randn([B, X], { generator: gen }), randn([B, H], { generator: gen }), randn([B, H], { generator: gen })];
    assertGradcheck((x, h, c) => {
      const s = cell.forward(x!, { h: h!, c: c! });
      return concat([s.h, s.c], 1);
    }, [...inputs, ...cell.parameters()]);
  });

  for (const resetBefore of [false, true]) {
    it(`GRUCell (${resetBefore ? 'reset before' : 'reset after'}) passes gradcheck for x, h and every weight`, () => {
      const cell = new GRUCell({ inputSize: X, hiddenSize: H, resetBefore, generator: gen });
      const x = randn([B, X], { generator: gen });
      const h = randn([B, H], { generator: gen });
      assertGradcheck((x, h) => cell.forward(x!, { h: h! }).h, [x, h, ...cell.parameters()]);
    });
  }

  it('starts from zeros when the state is omitted', () => {
    const cell = new LSTMCell({ inputSize: X, hiddenSize: H, generator: gen });
    const x = randn([B, X], { generator: gen });
    const a = cell.forward(x);
    const b = cell.forward(x, { h: zeros([B, H]), c: zeros([B, H]) });
    expect(a.h.toArray()).toEqual(b.h.toArray());
    expect(a.c.toArray()).toEqual(b.c.toArray());
  });
});

describe('cell input checks', () => {
  const lstm = new LSTMCell({ inputSize: 3, hiddenSize: 4 });
  const gru = new GRUCell({ inputSize: 3, hiddenSize: 4 });

  it('rejects inputs of the wrong rank, size or dtype, naming the cell and shapes', () => {
    expect(() => lstm.forward(zeros([2, 5, 3]))).toThrow(ShapeError);
    expect(() => lstm.forward(zeros([2, 5, 3]))).toThrow('LSTMCell: input must be [B, X] with X = inputSize 3, got [2, 5, 3]');
    expect(() => gru.forward(zeros([2, 4]))).toThrow('GRUCell: input must be [B, X] with X = inputSize 3, got [2, 4]');
    expect(() => gru.forward(zeros([2, 3], { dtype: 'int32' }))).toThrow(DTypeError);
    expect(() => gru.forward(zeros([2, 3], { dtype: 'int32' }))).toThrow('GRUCell: input must be float32, got int32 [2, 3]');
  });

  it('rejects a state of the wrong shape or missing c', () => {
    const x = zeros([2, 3]);
    expect(() => gru.forward(x, { h: zeros([3, 4]) })).toThrow(ShapeError);
    expect(() => gru.forward(x, { h: zeros([3, 4]) })).toThrow('GRUCell: state.h must be [B, H] = [2, 4], got [3, 4]');
    expect(() => lstm.forward(x, { h: zeros([2, 4]), c: zeros([2, 5]) })).toThrow('LSTMCell: state.c must be [B, H] = [2, 4], got [2, 5]');
    expect(() => lstm.forward(x, { h: zeros([2, 4]) } as never)).toThrow(ValueError);
    expect(() => lstm.forward(x, { h: zeros([2, 4]) } as never)).toThrow("LSTMCell: state must have 'h' and 'c'; 'c' is missing");
  });

  it('rejects bad options', () => {
    expect(() => new RNNCell({ inputSize: 0, hiddenSize: 4 })).toThrow('RNNCell: inputSize must be a positive integer, got 0');
    expect(() => new RNNCell({ inputSize: 2, hiddenSize: 2.5 })).toThrow('RNNCell: hiddenSize must be a positive integer, got 2.5');
    expect(() => new RNNCell({ inputSize: 2, hiddenSize: 2, nonlinearity: 'sigmoid' as never })).toThrow(
      "RNNCell: nonlinearity must be 'tanh' or 'relu', got 'sigmoid'",
    );
    expect(() => new LSTMCell({ inputSize: 2, hiddenSize: 2, bias: false, forgetBias: 1 })).toThrow('LSTMCell: forgetBias needs bias: true');
    expect(() => new LSTMCell({ inputSize: 2, hiddenSize: 2, forgetBias: Number.NaN })).toThrow(ValueError);
  });
});
