import {
  DTypeError,
  Generator,
  type Module,
  ShapeError,
  type Tensor,
  ValueError,
  concat,
  mul,
  noGrad,
  randn,
  select,
  stack,
  sum,
  tensor,
  zeros,
} from '@elman/core';
import { assertGradcheck, testBackends, useBackend } from '@elman/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { GRUCell } from '../cells/gru-cell.js';
import { LSTMCell } from '../cells/lstm-cell.js';
import { RNNCell } from '../cells/rnn-cell.js';
import type { HiddenState, LstmState } from '../state.js';
import { GRU } from './gru.js';
import { LSTM } from './lstm.js';
import { RNN } from './rnn.js';
import type { SequenceLayer, SequenceLayerOptions } from './sequence-layer.js';

type Cell = Module & { forward(x: Tensor, state?: HiddenState): HiddenState };
type Layer = SequenceLayer<HiddenState>;
type Kind = 'rnn-tanh' | 'rnn-relu' | 'lstm' | 'gru' | 'gru-reset-before';
const KINDS: Kind[] = ['rnn-tanh', 'rnn-relu', 'lstm', 'gru', 'gru-reset-before'];

/** A layer and a cell of the same kind, the cell loaded with the layer's weights. */
function pair(kind: Kind, X: number, H: number, gen: Generator, reverse = false): [Layer, Cell] {
  const o = { inputSize: X, hiddenSize: H, generator: gen, reverse };
  let layer: Layer;
  let cell: Cell;
  if (kind.startsWith('rnn')) {
    const nonlinearity = kind === 'rnn-relu' ? 'relu' : 'tanh';
    layer = new RNN({ ...o, nonlinearity });
    cell = new RNNCell({ ...o, nonlinearity });
  } else if (kind === 'lstm') {
    layer = new LSTM(o);
    cell = new LSTMCell(o) as unknown as Cell;
  } else {
    const resetBefore = kind === 'gru-reset-before';
    layer = new GRU({ ...o, resetBefore });
    cell = new GRUCell({ ...o, resetBefore });
  }
  const dict: Record<string, Tensor> = {};
  for (const [k, t] of Object.entries(layer.stateDict())) dict[k.replace(/_l0$/, '')] = t;
  cell.loadStateDict(dict);
  return [layer, cell];
}

function initial(kind: Kind, B: number, H: number, gen: Generator): HiddenState {
  const h = randn([B, H], { generator: gen, requiresGrad: true });
  return kind === 'lstm' ? ({ h, c: randn([B, H], { generator: gen, requiresGrad: true }) } as LstmState) : { h };
}

/** The cell applied step by step with core ops (the slow reference the fused kernel must equal). */
function unroll(cell: Cell, x: Tensor, state: HiddenState, reverse: boolean): { output: Tensor; state: HiddenState } {
  const T = x.shape[1]!;
  const outs: Tensor[] = new Array(T);
  let s = state;
  for (let k = 0; k < T; k++) {
    const t = reverse ? T - 1 - k : k;
    s = cell.forward(select(x, 1, t), s);
    outs[t] = s.h;
  }
  return { output: stack(outs, 1), state: s };
}

/** Σ w⊙h_n (+ Σ w⊙c_n) with fixed weights: a loss that reads only the final state. */
function stateLoss(state: HiddenState, gen: Generator): Tensor {
  let loss: Tensor | null = null;
  for (const t of Object.values(state) as Tensor[]) {
    const term = sum(mul(t, randn(t.shape, { generator: gen })));
    loss = loss ? loss.add(term) : term;
  }
  return loss!;
}

/** A fresh layer of `kind` with `options` (the parameters are re-drawn; load a state dict to compare). */
function sequenceLayer(kind: Kind, options: SequenceLayerOptions): Layer {
  if (kind.startsWith('rnn')) return new RNN({ ...options, nonlinearity: kind === 'rnn-relu' ? 'relu' : 'tanh' });
  if (kind === 'lstm') return new LSTM(options);
  return new GRU({ ...options, resetBefore: kind === 'gru-reset-before' });
}

/** Σ w⊙output + Σ w⊙h_n (+ Σ w⊙c_n) with fixed weights, so every output element matters. */
function weightedLoss(output: Tensor, state: HiddenState, gen: Generator): Tensor {
  let loss = sum(mul(output, randn(output.shape, { generator: gen })));
  for (const t of Object.values(state) as Tensor[]) loss = loss.add(sum(mul(t, randn(t.shape, { generator: gen }))));
  return loss;
}

function maxAbsDiff(a: Tensor | null, b: Tensor | null): number {
  expect(a).toBeTruthy();
  expect(b).toBeTruthy();
  expect(a!.shape).toEqual(b!.shape);
  let m = 0;
  for (let i = 0; i < a!.size; i++) m = Math.max(m, Math.abs(a!.data[i]! - b!.data[i]!));
  return m;
}

function flatOutputs(r: { output: Tensor; state: HiddenState }): Tensor {
  return concat([r.output.flatten(), ...(Object.values(r.state) as Tensor[]).map((t) => t.flatten())]);
}

describe('sequence layer parameters', () => {
  it('have exactly torch.nn.LSTM/GRU/RNN(num_layers=1)’s state-dict keys and shapes', () => {
    const X = 3;
    const H = 5;
    const shapes = (m: Module) => Object.fromEntries(Object.entries(m.stateDict()).map(([k, t]) => [k, t.shape]));
    expect(shapes(new LSTM({ inputSize: X, hiddenSize: H }))).toEqual({
      weight_ih_l0: [4 * H, X],
      weight_hh_l0: [4 * H, H],
      bias_ih_l0: [4 * H],
      bias_hh_l0: [4 * H],
    });
    expect(Object.keys(new GRU({ inputSize: X, hiddenSize: H, suffix: '_l1_reverse' }).stateDict())).toEqual([
      'weight_ih_l1_reverse',
      'weight_hh_l1_reverse',
      'bias_ih_l1_reverse',
      'bias_hh_l1_reverse',
    ]);
    expect(shapes(new RNN({ inputSize: X, hiddenSize: H, bias: false }))).toEqual({ weight_ih_l0: [H, X], weight_hh_l0: [H, H] });
    const lstm = new LSTM({ inputSize: X, hiddenSize: H });
    expect(lstm.namedParameters().map(([k]) => k)).toEqual(Object.keys(lstm.stateDict()));
    expect(lstm.weightIh).toBe(lstm.parameters()[0]);
    expect(lstm.biasHh).toBe(lstm.parameters()[3]);
  });

  it('IRNN and forget-bias presets on the layers', () => {
    const irnn = RNN.irnn({ inputSize: 2, hiddenSize: 3 });
    expect(irnn.nonlinearity).toBe('relu');
    expect(irnn.weightHh.toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect([...irnn.biasIh!.data, ...irnn.biasHh!.data].every((v) => v === 0)).toBe(true);
    const lstm = new LSTM({ inputSize: 2, hiddenSize: 3, forgetBias: 2 });
    expect([...lstm.biasIh!.data.slice(3, 6)]).toEqual([2, 2, 2]);
    expect([...lstm.biasHh!.data.slice(3, 6)]).toEqual([0, 0, 0]);
    lstm.resetParameters(new Generator(5));
    expect([...lstm.biasIh!.data.slice(3, 6)]).toEqual([2, 2, 2]);
  });
});

describe.each(testBackends())('fused sequence layers (%s)', (backend) => {
  beforeAll(() => useBackend(backend));
  const B = 3;
  const T = 5;
  const X = 4;
  const H = 6;

  for (const kind of KINDS) {
    for (const reverse of [false, true]) {
      it(`${kind}${reverse ? ' reverse' : ''}: equals the cell unrolled step by step, forward and every gradient`, () => {
        const gen = new Generator(21);
        const [layer, cell] = pair(kind, X, H, gen, reverse);
        const x = randn([B, T, X], { generator: gen, requiresGrad: true });
        const s0 = initial(kind, B, H, gen);
        const fused = layer.forward(x, { state: s0 });
        const ref = unroll(cell, x, s0, reverse);
        expect(maxAbsDiff(fused.output, ref.output)).toBeLessThan(1e-6);
        for (const k of Object.keys(s0)) {
          expect(maxAbsDiff((fused.state as never)[k], (ref.state as never)[k])).toBeLessThan(1e-6);
        }
        weightedLoss(fused.output, fused.state, new Generator(1)).backward();
        const fusedGrads = [x, ...(Object.values(s0) as Tensor[]), ...layer.parameters()].map((t) => t.grad);
        for (const t of [x, ...(Object.values(s0) as Tensor[])]) t.grad = null;
        weightedLoss(ref.output, ref.state, new Generator(1)).backward();
        const refGrads = [x, ...(Object.values(s0) as Tensor[]), ...cell.parameters()].map((t) => t.grad);
        fusedGrads.forEach((g, i) => {
          expect(maxAbsDiff(g, refGrads[i]!), `gradient ${i}`).toBeLessThan(1e-5);
        });
      });
    }
  }

  it('records one tape node for the whole sequence, and none under noGrad', () => {
    const gen = new Generator(2);
    const lstm = new LSTM({ inputSize: X, hiddenSize: H, generator: gen });
    const x = randn([B, T, X], { generator: gen });
    const { output, state } = lstm.forward(x);
    expect(output._node?.op).toBe('lstmSequence');
    expect(state.h._node).toBe(output._node);
    expect(state.c._node).toBe(output._node);
    const inference = noGrad(() => lstm.forward(x));
    expect(inference.output.requiresGrad).toBe(false);
    expect(inference.output.isLeaf).toBe(true);
    expect(maxAbsDiff(inference.output, output)).toBe(0);
  });

  for (const [kind, reverse, lengths] of [
    ['rnn-tanh', true, [4, 2, 3]],
    ['lstm', false, [4, 1, 3]],
    ['lstm', true, [2, 4, 3]],
    ['gru', true, [3, 4, 1]],
    ['gru-reset-before', false, [4, 2, 3]],
  ] as const) {
    it(`${kind}${reverse ? ' reverse' : ''} with lengths ${lengths.join(',')} passes gradcheck`, () => {
      const gen = new Generator(5);
      const [layer] = pair(kind, 3, 3, gen, reverse);
      const x = randn([3, 4, 3], { generator: gen });
      const s0 = initial(kind, 3, 3, gen);
      const names = Object.keys(s0);
      assertGradcheck(
        (x, ...rest) => {
          const state = Object.fromEntries(names.map((k, i) => [k, rest[i]!])) as unknown as HiddenState;
          return flatOutputs(layer.forward(x!, { state, lengths: [...lengths] }));
        },
        [x, ...(Object.values(s0) as Tensor[]), ...layer.parameters()],
      );
    });
  }

  for (const kind of KINDS) {
    it(`${kind}: lengths give zero outputs past the end, the last valid state, and zero gradient for padding`, () => {
      const gen = new Generator(8);
      const [layer] = pair(kind, X, H, gen);
      const lengths = Int32Array.from([5, 2, 3]);
      const x = randn([B, T, X], { generator: gen, requiresGrad: true });
      const s0 = initial(kind, B, H, gen);
      const r = layer.forward(x, { state: s0, lengths });
      for (let b = 0; b < B; b++) {
        const len = lengths[b]!;
        const out = r.output.toArray() as number[][][];
        for (let t = len; t < T; t++) expect(out[b]![t]!.every((v) => v === 0)).toBe(true);
        // The same sequence alone, cut to its valid part, ends in the same state.
        const alone = layer.forward(x.detach().slice(0, b, b + 1).slice(1, 0, len), {
          state: Object.fromEntries(Object.entries(s0).map(([k, t]) => [k, (t as Tensor).detach().slice(0, b, b + 1)])) as never,
        });
        for (const k of Object.keys(s0)) {
          const got = ((r.state as never)[k] as Tensor).slice(0, b, b + 1);
          expect(maxAbsDiff(got, (alone.state as never)[k])).toBeLessThan(1e-6);
        }
        expect(maxAbsDiff(r.output.slice(0, b, b + 1).slice(1, 0, len), alone.output)).toBeLessThan(1e-6);
      }
      weightedLoss(r.output, r.state, new Generator(3)).backward();
      const dx = x.grad!.toArray() as number[][][];
      for (let b = 0; b < B; b++) for (let t = lengths[b]!; t < T; t++) expect(dx[b]![t]!.every((v) => v === 0)).toBe(true);
    });
  }

  it('reverse reads the valid part backwards: equals the forward layer on the flipped input, flipped back', () => {
    const gen = new Generator(9);
    const fwd = new GRU({ inputSize: X, hiddenSize: H, generator: gen });
    const rev = new GRU({ inputSize: X, hiddenSize: H, reverse: true });
    rev.loadStateDict(fwd.stateDict());
    const x = randn([B, T, X], { generator: gen });
    const lengths = [5, 3, 1];
    const flipIdx = (b: number) => Array.from({ length: T }, (_, t) => (t < lengths[b]! ? lengths[b]! - 1 - t : t));
    const flipped = concat(lengths.map((_, b) => x.slice(0, b, b + 1).indexSelect(1, flipIdx(b))));
    const a = rev.forward(x, { lengths });
    const b = fwd.forward(flipped, { lengths });
    const back = concat(lengths.map((_, i) => b.output.slice(0, i, i + 1).indexSelect(1, flipIdx(i))));
    expect(maxAbsDiff(a.output, back)).toBeLessThan(1e-6);
    expect(maxAbsDiff(a.state.h, b.state.h)).toBeLessThan(1e-6);
  });

  it('returnSequences: false returns the output of each sequence’s last processed step, [B, H]', () => {
    const gen = new Generator(10);
    const all = new LSTM({ inputSize: X, hiddenSize: H, generator: gen });
    const last = new LSTM({ inputSize: X, hiddenSize: H, returnSequences: false });
    last.loadStateDict(all.stateDict());
    const x = randn([B, T, X], { generator: gen });
    const lengths = [2, 5, 4];
    const r = last.forward(x, { lengths });
    expect(r.output.shape).toEqual([B, H]);
    expect(r.output).toBe(r.state.h);
    const seq = all.forward(x, { lengths }).output;
    for (let b = 0; b < B; b++) {
      expect(maxAbsDiff(r.output.slice(0, b, b + 1), seq.slice(0, b, b + 1).select(1, lengths[b]! - 1))).toBe(0);
    }
  });

  for (const kind of KINDS) {
    for (const reverse of [false, true]) {
      it(`${kind}${reverse ? ' reverse' : ''}: returnSequences false gives the full-output path's final state and gradients`, () => {
        const gen = new Generator(23);
        const [all] = pair(kind, X, H, gen, reverse);
        const last = sequenceLayer(kind, { inputSize: X, hiddenSize: H, reverse, returnSequences: false });
        last.loadStateDict(all.stateDict());
        const x = randn([B, T, X], { generator: gen, requiresGrad: true });
        const s0 = initial(kind, B, H, gen);
        const lengths = [2, 5, 4];
        const a = all.forward(x, { state: s0, lengths });
        const r = last.forward(x, { state: s0, lengths });
        expect(r.output.shape).toEqual([B, H]);
        const leaves = [x, ...(Object.values(s0) as Tensor[])];
        const grads = (layer: Layer, state: HiddenState): (Tensor | null)[] => {
          for (const t of leaves) t.grad = null;
          stateLoss(state, new Generator(3)).backward();
          return [...leaves, ...layer.parameters()].map((t) => t.grad);
        };
        for (const k of Object.keys(s0)) expect(maxAbsDiff((r.state as never)[k], (a.state as never)[k]), k).toBe(0);
        const want = grads(all, a.state);
        const got = grads(last, r.state);
        got.forEach((g, i) => {
          expect(g, `gradient ${i}`).not.toBeNull();
          expect(maxAbsDiff(g, want[i]!), `gradient ${i}`).toBe(0);
        });
        // Without a graph the RNN needs no outputs either.
        expect(maxAbsDiff(noGrad(() => last.forward(x, { state: s0, lengths })).output, a.state.h)).toBe(0);
      });
    }
  }

  it('a layer called twice in one graph, and trained over several steps, gets every call’s gradient', () => {
    const gen = new Generator(24);
    const lstm = new LSTM({ inputSize: X, hiddenSize: H, generator: gen });
    const x1 = randn([B, T, X], { generator: gen, requiresGrad: true });
    const x2 = randn([B, 2, X], { generator: gen });
    const grads = (...xs: Tensor[]): (Tensor | null)[] => {
      for (const t of [x1, ...lstm.parameters()]) t.grad = null;
      let loss: Tensor | null = null;
      for (const x of xs) {
        const term = stateLoss(lstm.forward(x).state, new Generator(5));
        loss = loss ? loss.add(term) : term;
      }
      loss!.backward();
      return [x1, ...lstm.parameters()].map((t) => t.grad?.clone() ?? null);
    };
    const g1 = grads(x1);
    const g2 = grads(x2);
    // Each node's gradient buffers are reused: the sweep must have added the first call's into .grad before the second.
    const both = grads(x1, x2);
    both.forEach((g, i) => {
      expect(g, `gradient ${i}`).not.toBeNull();
      expect(maxAbsDiff(g, i === 0 ? g1[0]! : g1[i]!.add(g2[i]!)), `gradient ${i}`).toBeLessThan(1e-6);
    });
    // A second step accumulating onto the kept .grad (zeroGrad fills in place) sees fresh gradients, not the last ones.
    for (const p of lstm.parameters()) p.grad!.data.fill(0);
    stateLoss(lstm.forward(x2).state, new Generator(5)).backward();
    lstm.parameters().forEach((p, i) => {
      expect(maxAbsDiff(p.grad, g2[i + 1]!), `step 2 gradient ${i}`).toBeLessThan(1e-6);
    });
  });

  it('stateful: chunks continue where the last call ended, cut the gradient between calls, resetState clears', () => {
    const gen = new Generator(12);
    const whole = new LSTM({ inputSize: X, hiddenSize: H, generator: gen });
    const chunked = new LSTM({ inputSize: X, hiddenSize: H, stateful: true });
    chunked.loadStateDict(whole.stateDict());
    const x = randn([B, 6, X], { generator: gen });
    const full = whole.forward(x).output;
    const x1 = x.slice(1, 0, 3).requiresGrad_();
    const a = chunked.forward(x1);
    expect(chunked.carriedState!.h.requiresGrad).toBe(false);
    const b = chunked.forward(x.slice(1, 3, 6));
    expect(maxAbsDiff(concat([a.output, b.output], 1), full)).toBeLessThan(1e-6);
    sum(b.output).backward();
    expect(x1.grad).toBeNull(); // truncated BPTT: nothing flows back into the first chunk
    chunked.resetState();
    expect(chunked.carriedState).toBeNull();
    expect(maxAbsDiff(chunked.forward(x.slice(1, 0, 3)).output, a.output)).toBe(0);
    expect(() => chunked.forward(zeros([2, 3, X]))).toThrow(
      'LSTM: the carried state is [3, 6] but the input has 2 sequences; call resetState() first',
    );
    // An explicit state takes precedence over the carried one.
    const s = { h: zeros([2, H]), c: zeros([2, H]) };
    expect(chunked.forward(zeros([2, 3, X]), { state: s }).output.shape).toEqual([2, 3, H]);
  });

  it('truncated BPTT by passing a detached state', () => {
    const gen = new Generator(13);
    const gru = new GRU({ inputSize: X, hiddenSize: H, generator: gen });
    const x1 = randn([B, 3, X], { generator: gen, requiresGrad: true });
    const x2 = randn([B, 3, X], { generator: gen, requiresGrad: true });
    const first = gru.forward(x1);
    const second = gru.forward(x2, { state: { h: first.state.h.detach() } });
    sum(second.output).backward();
    expect(x1.grad).toBeNull();
    expect(x2.grad).not.toBeNull();
  });

  it('leaves the initial state untouched and reads re-bound parameter slabs', () => {
    const gen = new Generator(14);
    const rnn = new RNN({ inputSize: X, hiddenSize: H, generator: gen });
    const x = randn([B, T, X], { generator: gen });
    const h0 = randn([B, H], { generator: gen });
    const before = [...h0.data];
    const r1 = rnn.forward(x, { state: { h: h0 } });
    expect([...h0.data]).toEqual(before);
    rnn.bindParameters();
    const grads = rnn.bindGradients();
    const r2 = rnn.forward(x, { state: { h: h0 } });
    expect(maxAbsDiff(r1.output, r2.output)).toBe(0);
    sum(r2.output).backward();
    expect(grads.some((v) => v !== 0)).toBe(true);
  });
});

describe('sequence layer input checks', () => {
  const lstm = new LSTM({ inputSize: 3, hiddenSize: 4 });
  const x = zeros([2, 5, 3]);

  it('rejects inputs of the wrong rank, size or dtype', () => {
    expect(() => lstm.forward(zeros([2, 3]))).toThrow(ShapeError);
    expect(() => lstm.forward(zeros([2, 3]))).toThrow('LSTM: input must be [B, T, X] with X = inputSize 3, got [2, 3]');
    expect(() => lstm.forward(zeros([2, 5, 4]))).toThrow('LSTM: input must be [B, T, X] with X = inputSize 3, got [2, 5, 4]');
    expect(() => lstm.forward(zeros([2, 0, 3]))).toThrow('LSTM: input needs at least one sequence and one time step, got [2, 0, 3]');
    expect(() => lstm.forward(zeros([2, 5, 3], { dtype: 'int32' }))).toThrow(DTypeError);
  });

  it('rejects lengths of the wrong count, out of range, not integers or of the wrong type', () => {
    expect(() => lstm.forward(x, { lengths: [5] })).toThrow(ShapeError);
    expect(() => lstm.forward(x, { lengths: [5] })).toThrow('LSTM: lengths has 1 entries but the input has 2 sequences (B)');
    expect(() => lstm.forward(x, { lengths: [5, 6] })).toThrow(ValueError);
    expect(() => lstm.forward(x, { lengths: [5, 6] })).toThrow('LSTM: lengths[1] = 6 is out of range [1, T = 5]');
    expect(() => lstm.forward(x, { lengths: [0, 5] })).toThrow('LSTM: lengths[0] = 0 is out of range [1, T = 5]');
    expect(() => lstm.forward(x, { lengths: [2.5, 5] })).toThrow('LSTM: lengths[0] = 2.5 is not an integer');
    expect(() => lstm.forward(x, { lengths: tensor([5, 5]) as never })).toThrow('LSTM: lengths must be a number[] or Int32Array');
  });

  it('rejects a state of the wrong shape, dtype or missing c', () => {
    const h = zeros([2, 4]);
    expect(() => lstm.forward(x, { state: { h: zeros([1, 4]), c: h } })).toThrow('LSTM: state.h must be [B, H] = [2, 4], got [1, 4]');
    expect(() => lstm.forward(x, { state: { h, c: zeros([2, 4, 1]) } })).toThrow(ShapeError);
    expect(() => lstm.forward(x, { state: { h } as never })).toThrow("LSTM: state must have 'h' and 'c'; 'c' is missing");
    const gru = new GRU({ inputSize: 3, hiddenSize: 4 });
    expect(() => gru.forward(x, { state: { h: zeros([2, 4], { dtype: 'int32' }) } })).toThrow(
      'GRU: state.h must be float32, got int32 [2, 4]',
    );
    expect(() => gru.forward(x, { state: { h: [[0]] as never } })).toThrow('GRU: state.h must be a Tensor, got object');
  });

  it('rejects bad options', () => {
    expect(() => new LSTM({ inputSize: 3, hiddenSize: 0 })).toThrow('LSTM: hiddenSize must be a positive integer, got 0');
    expect(() => new GRU({ inputSize: 3, hiddenSize: 2, suffix: '.l0' })).toThrow(
      "GRU: suffix must contain only letters, digits and '_', got '.l0'",
    );
    expect(() => new RNN({ inputSize: 3, hiddenSize: 2, reverse: 'yes' as never })).toThrow('RNN: reverse must be a boolean, got yes');
    expect(() => new RNN({ inputSize: 3, hiddenSize: 2, initialization: 'he' as never })).toThrow(
      "RNN: initialization must be 'default' or 'irnn', got 'he'",
    );
    expect(() => new LSTM({ inputSize: 3, hiddenSize: 2, bias: false, forgetBias: 1 })).toThrow('LSTM: forgetBias needs bias: true');
  });
});
