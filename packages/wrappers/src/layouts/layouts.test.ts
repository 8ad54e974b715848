import { GRU, LSTM, RNN, type RecurrentWeights, type SequenceLayer, type HiddenState } from '@elman/cells';
import { Generator, ShapeError, type Tensor, ValueError, randn, tensor } from '@elman/core';
import { testBackends, useBackend } from '@elman/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { Bidirectional } from '../bidirectional.js';
import type { RecurrentMode } from '../recurrent-network.js';
import { fromKeras, type KerasWeights, toKeras } from './keras-layout.js';
import { fromOnnx, type OnnxWeights, toOnnx } from './onnx-layout.js';

const MODES: RecurrentMode[] = ['rnn', 'lstm', 'gru'];
const sig = (v: number): number => 1 / (1 + Math.exp(-v));

function makeLayer(mode: RecurrentMode, X: number, H: number, gen: Generator, bias = true): SequenceLayer<HiddenState> {
  const o = { inputSize: X, hiddenSize: H, generator: gen, bias };
  return mode === 'lstm' ? new LSTM(o) : mode === 'gru' ? new GRU(o) : new RNN(o);
}

function weightsOf(l: SequenceLayer<HiddenState>): RecurrentWeights<Tensor> {
  return { weightIh: l.weightIh, weightHh: l.weightHh, biasIh: l.biasIh, biasHh: l.biasHh };
}

function maxAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/**
 * Keras' own equations on Keras-layout weights (float64), one direction over x [B, T, X] → outputs [B, T, H]:
 * z = x·kernel + h·recurrent_kernel + bias with gate blocks i,f,c,o (LSTM), z,r,h reset-after (GRU).
 */
function kerasForward(mode: RecurrentMode, w: KerasWeights, x: Tensor, reverse: boolean): Float64Array {
  const [B, T, X] = x.shape as [number, number, number];
  const GH = w.kernel.shape[1]!;
  const H = w.recurrentKernel.shape[0]!;
  const k = w.kernel.data;
  const rk = w.recurrentKernel.data;
  const bx = (j: number): number => (w.bias ? w.bias.data[j]! : 0);
  const bh = (j: number): number => (w.bias && mode === 'gru' ? w.bias.data[GH + j]! : 0);
  const out = new Float64Array(B * T * H);
  for (let b = 0; b < B; b++) {
    let h = new Float64Array(H);
    let c = new Float64Array(H);
    for (let s = 0; s < T; s++) {
      const t = reverse ? T - 1 - s : s;
      const gx = new Float64Array(GH);
      const gh = new Float64Array(GH);
      for (let j = 0; j < GH; j++) {
        let a = bx(j);
        for (let i = 0; i < X; i++) a += x.data[(b * T + t) * X + i]! * k[i * GH + j]!;
        let r = bh(j);
        for (let i = 0; i < H; i++) r += h[i]! * rk[i * GH + j]!;
        gx[j] = a;
        gh[j] = r;
      }
      const hn = new Float64Array(H);
      const cn = new Float64Array(H);
      for (let u = 0; u < H; u++) {
        if (mode === 'rnn') hn[u] = Math.tanh(gx[u]! + gh[u]!);
        else if (mode === 'lstm') {
          const g = (q: number): number => gx[q * H + u]! + gh[q * H + u]!;
          cn[u] = sig(g(1)) * c[u]! + sig(g(0)) * Math.tanh(g(2));
          hn[u] = sig(g(3)) * Math.tanh(cn[u]!);
        } else {
          const z = sig(gx[u]! + gh[u]!);
          const r = sig(gx[H + u]! + gh[H + u]!);
          const hh = Math.tanh(gx[2 * H + u]! + r * gh[2 * H + u]!);
          hn[u] = z * h[u]! + (1 - z) * hh;
        }
      }
      h = hn;
      c = cn;
      out.set(h, (b * T + t) * H);
    }
  }
  return out;
}

/**
 * The ONNX operators' equations (float64) for direction d of W, R, B over x [B, T, X] → outputs [B, T, H]:
 * LSTM gates i,o,f,c; GRU z,r,h with linear_before_reset = 1; direction 1 runs from T − 1 to 0.
 */
function onnxForward(mode: RecurrentMode, w: OnnxWeights, d: number, x: Tensor): Float64Array {
  const [B, T, X] = x.shape as [number, number, number];
  const GH = w.W.shape[1]!;
  const H = w.R.shape[2]!;
  const W = w.W.data;
  const R = w.R.data;
  const wb = (j: number): number => (w.B ? w.B.data[d * 2 * GH + j]! : 0);
  const rb = (j: number): number => (w.B ? w.B.data[d * 2 * GH + GH + j]! : 0);
  const out = new Float64Array(B * T * H);
  for (let b = 0; b < B; b++) {
    let h = new Float64Array(H);
    let c = new Float64Array(H);
    for (let s = 0; s < T; s++) {
      const t = d === 1 ? T - 1 - s : s;
      const xw = new Float64Array(GH);
      const hr = new Float64Array(GH);
      for (let j = 0; j < GH; j++) {
        let a = wb(j);
        for (let i = 0; i < X; i++) a += x.data[(b * T + t) * X + i]! * W[(d * GH + j) * X + i]!;
        let r = rb(j);
        for (let i = 0; i < H; i++) r += h[i]! * R[(d * GH + j) * H + i]!;
        xw[j] = a;
        hr[j] = r;
      }
      const hn = new Float64Array(H);
      const cn = new Float64Array(H);
      for (let u = 0; u < H; u++) {
        const g = (q: number): number => xw[q * H + u]! + hr[q * H + u]!;
        if (mode === 'rnn') hn[u] = Math.tanh(g(0));
        else if (mode === 'lstm') {
          cn[u] = sig(g(2)) * c[u]! + sig(g(0)) * Math.tanh(g(3));
          hn[u] = sig(g(1)) * Math.tanh(cn[u]!);
        } else {
          const z = sig(g(0));
          const r = sig(g(1));
          const hh = Math.tanh(xw[2 * H + u]! + r * hr[2 * H + u]!);
          hn[u] = (1 - z) * hh + z * h[u]!;
        }
      }
      h = hn;
      c = cn;
      out.set(h, (b * T + t) * H);
    }
  }
  return out;
}

describe('layout converters: round trips', () => {
  for (const mode of MODES) {
    it(`${mode}: torch → Keras → torch keeps the weights and the bias sums`, () => {
      const gen = new Generator(1);
      const w = weightsOf(makeLayer(mode, 3, 4, gen));
      const k = toKeras(mode, w);
      const G = { rnn: 1, lstm: 4, gru: 3 }[mode];
      expect(k.kernel.shape).toEqual([3, G * 4]);
      expect(k.recurrentKernel.shape).toEqual([4, G * 4]);
      expect(k.bias!.shape).toEqual(mode === 'gru' ? [2, 12] : [G * 4]);
      const back = fromKeras(mode, k);
      expect(maxAbs(back.weightIh.data, w.weightIh.data)).toBe(0);
      expect(maxAbs(back.weightHh.data, w.weightHh.data)).toBe(0);
      if (mode === 'gru') {
        expect(maxAbs(back.biasIh!.data, w.biasIh!.data)).toBe(0);
        expect(maxAbs(back.biasHh!.data, w.biasHh!.data)).toBe(0);
      } else {
        const sum = w.biasIh!.data.map((v, i) => v + w.biasHh!.data[i]!);
        expect(maxAbs(back.biasIh!.data, sum)).toBe(0);
        expect(Array.from(back.biasHh!.data).every((v) => v === 0)).toBe(true);
      }
      const kb = fromKeras(mode, toKeras(mode, weightsOf(makeLayer(mode, 3, 4, gen, false))));
      expect([kb.biasIh, kb.biasHh]).toEqual([null, null]);
    });

    it(`${mode}: torch → ONNX → torch is exact for both directions`, () => {
      const gen = new Generator(2);
      const dirs = [weightsOf(makeLayer(mode, 3, 2, gen)), weightsOf(makeLayer(mode, 3, 2, gen))];
      const o = toOnnx(mode, dirs);
      const G = { rnn: 1, lstm: 4, gru: 3 }[mode];
      expect([o.W.shape, o.R.shape, o.B!.shape]).toEqual([[2, G * 2, 3], [2, G * 2, 2], [2, 4 * G]]);
      const back = fromOnnx(mode, o);
      expect(back).toHaveLength(2);
      back.forEach((b, d) => {
        for (const key of ['weightIh', 'weightHh', 'biasIh', 'biasHh'] as const) {
          expect(maxAbs(b[key]!.data, dirs[d]![key]!.data), `${key} of direction ${d}`).toBe(0);
        }
      });
    });
  }

  it('the known LSTM gate permutations (Keras i,f,c,o; ONNX i,o,f,c) on a labelled weight', () => {
    // weight_ih [4H, 1] with H = 1 holding the gate index: torch i=0, f=1, g=2, o=3.
    const w = { weightIh: tensor([0, 1, 2, 3], [4, 1]), weightHh: tensor([0, 1, 2, 3], [4, 1]), biasIh: null, biasHh: null };
    expect(Array.from(toKeras('lstm', w).kernel.data)).toEqual([0, 1, 2, 3]);
    expect(Array.from(toOnnx('lstm', [w]).W.data)).toEqual([0, 3, 1, 2]);
    const g = { weightIh: tensor([0, 1, 2], [3, 1]), weightHh: tensor([0, 1, 2], [3, 1]), biasIh: null, biasHh: null };
    expect(Array.from(toKeras('gru', g).kernel.data)).toEqual([1, 0, 2]); // torch r,z,n → z,r,h
    expect(Array.from(toOnnx('gru', [g]).R.data)).toEqual([1, 0, 2]);
  });

  it('bad input gets typed errors', () => {
    const w = weightsOf(makeLayer('lstm', 3, 4, new Generator(3)));
    expect(() => toKeras('lstm', { ...w, weightHh: tensor(new Float32Array(12 * 4), [12, 4]) })).toThrow(ShapeError);
    expect(() => toKeras('lstm', { ...w, weightHh: tensor(new Float32Array(12 * 4), [12, 4]) })).toThrow(
      'toKeras: weightHh must be [4·H, H] for lstm, got [12, 4]',
    );
    expect(() => toKeras('tree' as never, w)).toThrow(ValueError);
    expect(() => toKeras('lstm', { ...w, biasHh: null })).toThrow(/both be given or both be null/);
    expect(() => fromKeras('gru', { kernel: randn([3, 12]), recurrentKernel: randn([4, 12]), bias: randn([12]) })).toThrow(
      'fromKeras: bias must be [2, 12], got [12]',
    );
    expect(() => fromOnnx('lstm', { W: randn([1, 16, 3]), R: randn([3, 16, 4]), B: null })).toThrow(/R must be \[D, 4·H, H\]/);
    expect(() => fromOnnx('lstm', { W: randn([1, 16, 3]), R: randn([1, 16, 4]), B: randn([1, 16]) })).toThrow(
      'fromOnnx: B must be [1, 32], got [1, 16]',
    );
    expect(() => toOnnx('lstm', [])).toThrow(/1 or 2 weight records/);
  });
});

describe.each(testBackends())('converted weights run through the Keras and ONNX equations (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  for (const mode of MODES) {
    it(`${mode}: Keras-form and ONNX-form forwards reproduce our bidirectional layer`, () => {
      const gen = new Generator(5);
      const bi = new Bidirectional(makeLayer(mode, 3, 4, gen), { merge: 'concat' });
      const x = randn([2, 5, 3], { generator: gen });
      const { output } = bi.forward(x); // [2, 5, 8]
      const f = bi.forwardLayer.forward(x).output.data;
      const b = bi.backwardLayer.forward(x).output.data;
      expect(maxAbs(output.data.subarray(0, 4), [...f.subarray(0, 4)])).toBe(0);

      expect(maxAbs(kerasForward(mode, toKeras(mode, weightsOf(bi.forwardLayer)), x, false), f)).toBeLessThan(1e-5);
      expect(maxAbs(kerasForward(mode, toKeras(mode, weightsOf(bi.backwardLayer)), x, true), b)).toBeLessThan(1e-5);

      const onnx = toOnnx(mode, [weightsOf(bi.forwardLayer), weightsOf(bi.backwardLayer)]);
      expect(maxAbs(onnxForward(mode, onnx, 0, x), f)).toBeLessThan(1e-5);
      expect(maxAbs(onnxForward(mode, onnx, 1, x), b)).toBeLessThan(1e-5);

      // And back: weights imported from Keras and ONNX layouts give our layer the same outputs.
      const fromK = makeLayer(mode, 3, 4, gen);
      const k = fromKeras(mode, toKeras(mode, weightsOf(bi.forwardLayer)));
      fromK.loadStateDict({ weight_ih_l0: k.weightIh, weight_hh_l0: k.weightHh, bias_ih_l0: k.biasIh!, bias_hh_l0: k.biasHh! });
      expect(maxAbs(fromK.forward(x).output.data, f)).toBeLessThan(1e-6);
    });
  }
});
