import { beforeAll, describe, expect, it } from 'vitest';
import { Generator } from '../../random.js';
import type { Backend } from '../backend.js';
import { createJsBackend } from '../js/index.js';
import { type RecurrentCell, type RecurrentGrads, type SequenceGeometry, gateCount } from '../recurrent.js';
import { type WasmBackend, createWasmBackend } from './index.js';

const CELLS: RecurrentCell[] = [
  { kind: 'lstm' },
  { kind: 'gru', resetBefore: false },
  { kind: 'gru', resetBefore: true },
  { kind: 'rnn', nonlinearity: 'tanh' },
  { kind: 'rnn', nonlinearity: 'relu' },
];

interface Case {
  name: string;
  B: number;
  T: number;
  X: number;
  H: number;
  lengths?: number[];
  reverse?: boolean;
  initial?: boolean;
  bias?: boolean;
}

// H = 6 and 5 exercise the scalar tails of the vector gate loops, B = 3 and 1 the edge tiles of the packed GEMM,
// H = 70 a 4H = 280 that is not a multiple of the 8-column panel.
const CASES: Case[] = [
  { name: 'full lengths', B: 4, T: 5, X: 3, H: 8, initial: true },
  { name: 'ragged lengths', B: 3, T: 6, X: 4, H: 6, lengths: [6, 2, 4] },
  { name: 'ragged, reversed, initial state', B: 3, T: 6, X: 4, H: 6, lengths: [3, 6, 1], reverse: true, initial: true },
  { name: 'a zero length and no bias', B: 2, T: 4, X: 5, H: 5, lengths: [0, 4], bias: false },
  { name: 'one sequence', B: 1, T: 7, X: 2, H: 12, initial: true },
  { name: 'wider', B: 9, T: 5, X: 17, H: 70, lengths: [5, 5, 1, 3, 5, 4, 2, 5, 5], initial: true },
];

function fill(gen: Generator, n: number, scale = 1): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = (gen.uniform() * 2 - 1) * scale;
  return a;
}

/**
 * Runs forward + backward of one case on one backend from the same inputs; returns every output. `twice` runs the
 * backward pass a first time with `final: false` (as under retainGraph) and checks that a second, final pass gives
 * the same gradients. `outputs`: 'read' gives the outputs a gradient; 'unread' writes them but gives them none (the
 * gradient enters through the final state only); 'skipped' asks for no outputs at all (`output: null`).
 * `initialStateGrads` false tells the backend that ∂L/∂h_0 (∂L/∂c_0) is dropped: they are left out of the result.
 */
function run(
  backend: Backend,
  cell: RecurrentCell,
  c: Case,
  seed: number,
  twice = false,
  outputs: 'read' | 'unread' | 'skipped' = 'read',
  initialStateGrads = true,
): Record<string, Float32Array | Float64Array> {
  const gen = new Generator(seed);
  const { B, T, X, H } = c;
  const GH = gateCount(cell) * H;
  const lengths = Int32Array.from(c.lengths ?? new Array(B).fill(T));
  const geometry: SequenceGeometry = {
    batch: B,
    steps: T,
    inputSize: X,
    hiddenSize: H,
    lengths,
    maxLen: Math.max(0, ...lengths),
    reverse: c.reverse ?? false,
  };
  const scale = 1 / Math.sqrt(H);
  const hasBias = c.bias ?? true;
  const weights = {
    weightIh: fill(gen, GH * X, scale),
    weightHh: fill(gen, GH * H, scale),
    biasIh: hasBias ? fill(gen, GH, scale) : null,
    biasHh: hasBias ? fill(gen, GH, scale) : null,
  };
  const x = fill(gen, B * T * X);
  const isLstm = cell.kind === 'lstm';
  const h = c.initial ? fill(gen, B * H, 0.5) : new Float32Array(B * H);
  const cs = isLstm ? (c.initial ? fill(gen, B * H, 0.5) : new Float32Array(B * H)) : null;
  const output = outputs === 'skipped' ? null : new Float32Array(B * T * H);
  const saved = backend.recurrentForward({ cell, geometry, x, weights, h, c: cs, output, keep: true });
  if (!saved) throw new Error('forward with keep returned nothing');
  const savedSlabs = saved.slabs.map((s) => s.slice()); // before a final backward may overwrite or release them
  const dOutputs = fill(gen, B * T * H); // drawn in every mode, so the other inputs match across modes
  const dOutput = outputs === 'read' ? dOutputs : null;
  const dh0 = fill(gen, B * H);
  const dc0 = isLstm ? fill(gen, B * H) : null;
  const backwardPass = (final: boolean) => {
    const grads: RecurrentGrads = {
      x: new Float32Array(B * T * X),
      weightIh: new Float32Array(GH * X),
      weightHh: new Float32Array(GH * H),
      biasIh: hasBias ? new Float32Array(GH) : null,
      biasHh: hasBias ? new Float32Array(GH) : null,
    };
    const dh = dh0.slice();
    const dc = dc0 ? dc0.slice() : null;
    const sq = new Float64Array(B * T).fill(-1); // padded entries must stay -1
    backend.recurrentBackward({ cell, geometry, x, weights, saved, dOutput, dh, dc, grads, hiddenGradSquares: sq, final, initialStateGrads });
    const out: Record<string, Float32Array | Float64Array> = initialStateGrads ? { dh, sq } : { sq };
    if (dc && initialStateGrads) out.dc = dc;
    for (const [k, v] of Object.entries(grads)) if (v) out[`d_${k}`] = v;
    return out;
  };
  let back = backwardPass(!twice);
  if (twice) {
    const again = backwardPass(true);
    for (const k of Object.keys(back)) expect(again[k], `second backward pass: ${k}`).toEqual(back[k]);
    back = again;
  }
  const out: Record<string, Float32Array | Float64Array> = {
    ...(output && outputs === 'read' ? { output } : {}),
    h,
    ...back,
    ...Object.fromEntries(savedSlabs.map((s, i) => [`saved${i}`, s])),
  };
  if (cs) out.c = cs;
  return out;
}

function expectClose(actual: Float32Array | Float64Array, expected: Float32Array | Float64Array, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  let peak = 0;
  for (const e of expected) peak = Math.max(peak, Math.abs(e));
  // float32 kernels against the js reference (float64 arithmetic rounded per store): a few ulp per operation, grown
  // through the recurrence and the all-rows sums, so a relative bound plus an absolute one at the array's scale
  // (small entries are differences of large ones).
  const atol = 2e-5 * peak;
  let worst = 0;
  let at = -1;
  for (let i = 0; i < actual.length; i++) {
    const e = expected[i]!;
    const excess = Math.abs(actual[i]! - e) - atol;
    if (excess <= 0) continue;
    const err = excess / Math.abs(e);
    if (!(err <= worst)) {
      worst = err;
      at = i;
    }
  }
  expect(worst, `${what}: worst excess relative error at ${at}: ${actual[at]} vs ${expected[at]}`).toBeLessThan(1e-4);
}

describe.each(['simd', 'relaxed-simd'] as const)('wasm fused sequence kernels equal the js ones (%s)', (variant) => {
  let wasm: WasmBackend;
  const js = createJsBackend();
  beforeAll(async () => {
    wasm = await createWasmBackend({ variant: variant === 'relaxed-simd' ? undefined : 'simd', delegateSmallCalls: false });
  });

  for (const cell of CELLS) {
    const label = cell.kind === 'gru' ? `gru ${cell.resetBefore ? 'reset-before' : 'reset-after'}` : cell.kind === 'rnn' ? `rnn ${cell.nonlinearity}` : 'lstm';
    it.each(CASES)(`${label}: $name`, (c) => {
      if (variant === 'relaxed-simd' && wasm.variant !== 'relaxed-simd') return; // runtime without relaxed SIMD
      const want = run(js, cell, c, 7);
      const got = run(wasm, cell, c, 7);
      expect(wasm.savedBytes).toBe(0); // the final backward pass released the saved block
      expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
      for (const k of Object.keys(want)) expectClose(got[k]!, want[k]!, `${label} ${c.name} ${k}`);
    });
  }
});

describe.each(['js', 'wasm'] as const)('fused sequence kernels without outputs (%s)', (name) => {
  let backend: Backend;
  beforeAll(async () => {
    backend = name === 'js' ? createJsBackend() : await createWasmBackend({ variant: 'simd', delegateSmallCalls: false });
  });
  // Every cell, the RNN included: its backward reads the copy of the outputs it saved with the activations.
  for (const cell of CELLS) {
    const label = cell.kind === 'gru' ? `gru ${cell.resetBefore ? 'reset-before' : 'reset-after'}` : cell.kind === 'rnn' ? `rnn ${cell.nonlinearity}` : 'lstm';
    it.each(CASES)(`${label}: $name gives the final state and its gradients of the full-output path`, (c) => {
      const want = run(backend, cell, c, 21, false, 'unread');
      const got = run(backend, cell, c, 21, false, 'skipped');
      expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
      // The same kernels on the same inputs: the outputs only ever were a copy of the state, so results are identical.
      for (const k of Object.keys(want)) expect(got[k], `${label} ${c.name} ${k}`).toEqual(want[k]);
    });
  }

  // Dropping ∂L/∂h_0 skips the last step's recurrent GEMM (wasm LSTM and RNN); everything else is unchanged.
  for (const cell of CELLS) {
    const label = cell.kind === 'gru' ? `gru ${cell.resetBefore ? 'reset-before' : 'reset-after'}` : cell.kind === 'rnn' ? `rnn ${cell.nonlinearity}` : 'lstm';
    it.each(CASES)(`${label}: $name gives the same gradients when the initial state's are not wanted`, (c) => {
      const all = run(backend, cell, c, 23);
      const got = run(backend, cell, c, 23, false, 'read', false);
      const want = Object.fromEntries(Object.entries(all).filter(([k]) => k !== 'dh' && k !== 'dc'));
      expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
      for (const k of Object.keys(want)) expect(got[k], `${label} ${c.name} ${k}`).toEqual(want[k]);
    });
  }

  it('skip the outputs of an RNN forward pass that keeps nothing', () => {
    const rnn: RecurrentCell = { kind: 'rnn', nonlinearity: 'tanh' };
    const gen = new Generator(4);
    const geometry: SequenceGeometry = { batch: 2, steps: 3, inputSize: 2, hiddenSize: 4, lengths: Int32Array.of(3, 2), maxLen: 3, reverse: true };
    const weights = { weightIh: fill(gen, 8), weightHh: fill(gen, 16), biasIh: fill(gen, 4), biasHh: fill(gen, 4) };
    const x = fill(gen, 12);
    const h0 = fill(gen, 8);
    const full = { cell: rnn, geometry, x, weights, h: h0.slice(), c: null, output: new Float32Array(24), keep: false };
    const none = { ...full, h: h0.slice(), output: null };
    expect(backend.recurrentForward(full)).toBeNull();
    expect(backend.recurrentForward(none)).toBeNull();
    expect(none.h).toEqual(full.h);
  });
});

describe('wasm fused sequence kernels: saved activations', () => {
  const big: Case = { name: 'big', B: 8, T: 24, X: 16, H: 32, lengths: [24, 3, 17, 24, 9, 24, 1, 20], initial: true };

  it.each(CELLS)('keep them for a second backward pass when the first is not final (retainGraph): %o', async (cell) => {
    const wasm = await createWasmBackend({ variant: 'simd' });
    const got = run(wasm, cell, big, 11, true);
    const want = run(createJsBackend(), cell, big, 11, true);
    for (const k of Object.keys(want)) expectClose(got[k]!, want[k]!, `twice ${k}`);
    expect(wasm.savedBytes).toBe(0);
  });

  it.each(CELLS)('can be read by the js backend after a wasm forward (backend switched in between): %o', async (cell) => {
    const wasm = await createWasmBackend({ variant: 'simd' });
    const js = createJsBackend();
    const mixed: Backend = { ...js, recurrentForward: wasm.recurrentForward };
    const got = run(mixed, cell, big, 12);
    const want = run(js, cell, big, 12);
    for (const k of Object.keys(want)) expectClose(got[k]!, want[k]!, `mixed ${k}`);
  });

  it('stay put while a larger call moves them up in memory, and forward passes without keep save nothing', async () => {
    const wasm = await createWasmBackend({ variant: 'simd' });
    const lstm: RecurrentCell = { kind: 'lstm' };
    const small: Case = { name: 'small', B: 2, T: 3, X: 2, H: 4 };
    const gen = new Generator(1);
    const geometry: SequenceGeometry = { batch: 2, steps: 3, inputSize: 2, hiddenSize: 4, lengths: Int32Array.of(3, 2), maxLen: 3, reverse: false };
    const weights = { weightIh: fill(gen, 32), weightHh: fill(gen, 64), biasIh: fill(gen, 16), biasHh: fill(gen, 16) };
    const x = fill(gen, 12);
    const args = { cell: lstm, geometry, x, weights, h: new Float32Array(8), c: new Float32Array(8), output: new Float32Array(24) };
    const saved = wasm.recurrentForward({ ...args, keep: true })!;
    const before = saved.slabs.map((s) => s.slice());
    expect(wasm.savedBytes).toBeGreaterThan(0);
    // A bigger call needs more scratch than any before: the saved block must move, intact.
    run(wasm, lstm, { name: 'bigger', B: 16, T: 40, X: 16, H: 32 }, 2);
    expect(saved.slabs).toEqual(before);
    expect(wasm.recurrentForward({ ...args, h: new Float32Array(8), c: new Float32Array(8), keep: false })).toBeNull();
    run(wasm, lstm, small, 3);
    expect(saved.slabs).toEqual(before);
  });
});

describe('wasm fused sequence kernels: memory and fallback', () => {
  const lstm: RecurrentCell = { kind: 'lstm' };
  const big: Case = { name: 'big', B: 8, T: 24, X: 16, H: 32, lengths: [24, 3, 17, 24, 9, 24, 1, 20], initial: true };

  it('run in wasm, not through the js fallback (the float32 kernels round differently from js float64)', async () => {
    const wasm = await createWasmBackend({ variant: 'simd' });
    const got = run(wasm, lstm, big, 3);
    const want = run(createJsBackend(), lstm, big, 3);
    let differ = 0;
    for (let i = 0; i < want.output!.length; i++) if (got.output![i] !== want.output![i]) differ++;
    expect(differ).toBeGreaterThan(0);
  });

  it('do not grow wasm memory across many forward/backward calls', async () => {
    const wasm = await createWasmBackend({ variant: 'simd' });
    for (const cell of CELLS) run(wasm, cell, big, 1);
    const settled = wasm.memoryBytes;
    for (let i = 0; i < 30; i++) run(wasm, CELLS[i % CELLS.length]!, big, i);
    expect(wasm.memoryBytes).toBe(settled);
    expect(wasm.savedBytes).toBe(0);
  });

  it('keep activations in JS once the saved blocks held reach the arena limit, with the same results', async () => {
    const wasm = await createWasmBackend({ variant: 'simd', maxArenaBytes: 2 ** 20 });
    const mid: Case = { name: 'mid', B: 8, T: 32, X: 16, H: 64 }; // ~0.45 MiB saved, ~0.3 MiB scratch per call
    const gen = new Generator(9);
    const geometry: SequenceGeometry = { batch: 8, steps: 32, inputSize: 16, hiddenSize: 64, lengths: new Int32Array(8).fill(32), maxLen: 32, reverse: false };
    const weights = { weightIh: fill(gen, 256 * 16), weightHh: fill(gen, 256 * 64), biasIh: null, biasHh: null };
    const forward = () =>
      wasm.recurrentForward({ cell: lstm, geometry, x: fill(gen, 8 * 32 * 16), weights, h: new Float32Array(512), c: new Float32Array(512), output: new Float32Array(8 * 32 * 64), keep: true });
    // Two graphs kept without a backward pass (e.g. not yet collected) hold most of the limit.
    const held = [forward(), forward()];
    const holding = wasm.savedBytes;
    expect(holding).toBeGreaterThan(2 ** 19);
    const third = forward(); // does not fit beside them: its activations come back to JS
    expect(wasm.savedBytes).toBe(holding);
    expect(third!.slabs.map((a) => a.length)).toEqual([8 * 32 * 256, 8 * 32 * 64, 8 * 32 * 64, 8 * 32 * 64]);
    const got = run(wasm, lstm, mid, 6);
    const want = run(createJsBackend(), lstm, mid, 6);
    for (const k of Object.keys(want)) expectClose(got[k]!, want[k]!, `js-saved ${k}`);
    expect(wasm.savedBytes).toBe(holding);
    // The RNN keeps h_{t−1} and its own copy of the outputs, in JS too once the arena is full, also when the caller
    // wants no outputs. One more RNN graph held fills the arena to its limit.
    const rnn: RecurrentCell = { kind: 'rnn', nonlinearity: 'tanh' };
    const rnnWeights = { weightIh: fill(gen, 64 * 16), weightHh: fill(gen, 64 * 64), biasIh: null, biasHh: null };
    const rnnForward = () =>
      wasm.recurrentForward({ cell: rnn, geometry, x: fill(gen, 8 * 32 * 16), weights: rnnWeights, h: new Float32Array(512), c: null, output: null, keep: true });
    held.push(rnnForward());
    const full = wasm.savedBytes;
    expect(full).toBeGreaterThan(holding);
    expect(rnnForward()!.slabs.map((a) => a.length)).toEqual([8 * 32 * 64, 8 * 32 * 64]);
    expect(wasm.savedBytes).toBe(full);
    for (const outputs of ['read', 'skipped'] as const) {
      const rnnGot = run(wasm, rnn, mid, 8, false, outputs);
      const rnnWant = run(createJsBackend(), rnn, mid, 8, false, outputs);
      for (const k of Object.keys(rnnWant)) expectClose(rnnGot[k]!, rnnWant[k]!, `js-saved rnn ${outputs} ${k}`);
    }
    expect(wasm.savedBytes).toBe(full);
    expect(held.every((h) => h !== null)).toBe(true);
  });

  it('fall back to the js kernels when a call exceeds the arena limit, with the same results', async () => {
    const wasm = await createWasmBackend({ variant: 'simd', maxArenaBytes: 2 ** 20 });
    const huge: Case = { name: 'huge', B: 16, T: 64, X: 64, H: 64 }; // ~2 MiB of gates alone
    const before = wasm.memoryBytes;
    const got = run(wasm, lstm, huge, 5);
    const want = run(createJsBackend(), lstm, huge, 5);
    for (const k of Object.keys(want)) expectClose(got[k]!, want[k]!, `fallback ${k}`);
    expect(wasm.memoryBytes).toBeLessThanOrEqual(before + 2 ** 20);
  });
});
