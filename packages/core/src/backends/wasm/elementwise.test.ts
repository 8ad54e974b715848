import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Generator } from '../../random.js';
import { broadcastShapes, sizeOf } from '../../shape.js';
import type { Backend, BinaryOp, UnaryOp } from '../backend.js';
import { createJsBackend } from '../js/index.js';
import { CHUNK } from './elementwise.js';
import { type WasmBackend, createWasmBackend } from './index.js';

type Reference = Record<string, { x: number[]; y: number[] }>;
const reference = JSON.parse(readFileSync(new URL('./fixtures/unary-reference.json', import.meta.url), 'utf8')) as Reference;

const js: Backend = createJsBackend();
const gen = new Generator(2024);

/** Lengths around the vector width, a chunk boundary and several chunks. */
const LENGTHS = [1, 2, 3, 4, 5, 7, 8, 9, 33, 1000, 2 * CHUNK + 17];

/** Random values spread over many magnitudes, with the special values every kernel must get right. */
function inputs(n: number): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = gen.normal() * 10 ** (gen.randint(7) - 3);
  const specials = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -0, 1e-40, -1e-40, 88.7, -103];
  for (let i = 0; i < Math.min(n, specials.length); i++) x[(i * 7919) % n] = specials[i]!;
  return x;
}

const EXACT: UnaryOp[] = ['neg', 'abs', 'square', 'relu', 'sqrt', 'reciprocal', 'sign'];
const APPROX: UnaryOp[] = ['rsqrt', 'exp', 'log', 'tanh', 'sigmoid', 'softplus', 'gelu', 'geluDeriv'];

/** Bitwise equality (Object.is per element, so NaN and the sign of zero count), naming the first difference. */
function expectSame(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < got.length; i++) {
    if (!Object.is(got[i], want[i])) expect(`${what}: element ${i} is ${got[i]}`).toBe(`${what}: element ${i} is ${want[i]}`);
  }
}

/** |got − want| ≤ rtol·|want| + atol, with NaN, ±Infinity and the sign of zero required to match exactly. */
function expectClose(got: Float32Array, want: ArrayLike<number>, rtol: number, atol: number, what: string): void {
  let worst = 0;
  let at = -1;
  for (let i = 0; i < got.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if (!Number.isFinite(w) || !Number.isFinite(g)) {
      if (!Object.is(g, w)) throw new Error(`${what}: element ${i} is ${g}, expected ${w}`);
      continue;
    }
    const excess = Math.abs(g - w) / (rtol * Math.abs(w) + atol);
    if (excess > worst) {
      worst = excess;
      at = i;
    }
  }
  expect(worst, `${what}: worst element ${at}: ${got[at]} vs ${want[at]}`).toBeLessThanOrEqual(1);
}

describe.each(['simd', 'relaxed-simd'] as const)('wasm element-wise kernels (%s)', (variant) => {
  let wasm: WasmBackend;
  beforeAll(async () => {
    wasm = await createWasmBackend({ variant, delegateSmallCalls: false });
  });

  it.each(EXACT)('%s equals the js kernel bit for bit, special values included', (op) => {
    for (const n of LENGTHS) {
      const x = inputs(n);
      const want = new Float32Array(n);
      js.unary(op, x, want);
      const got = new Float32Array(n);
      wasm.unary(op, x, got);
      expectSame(got, want, `${op} n=${n}`);
    }
  });

  it.each(APPROX)('%s agrees with the js kernel to float32 tolerance', (op) => {
    for (const n of LENGTHS) {
      const x = inputs(n);
      if (op === 'log' || op === 'rsqrt') for (let i = 0; i < n; i++) if (x[i]! < 0 && i % 2) x[i] = -x[i]!;
      const want = new Float32Array(n);
      js.unary(op, x, want);
      const got = new Float32Array(n);
      wasm.unary(op, x, got);
      // The js GELU rounds 1 + erf(x/√2) in float64, so below x ≈ −5.6 it returns 0 where the exact value (and
      // wasm) is below 1e-8: hence the absolute floor for the GELU pair.
      const atol = op === 'gelu' || op === 'geluDeriv' ? 2e-7 : 1e-37;
      expectClose(got, want, 1e-6, atol, `${op} n=${n}`);
    }
  });

  it.each(Object.keys(reference))('%s matches float64 reference values from Python (fixtures/)', (op) => {
    const { x, y } = reference[op]!;
    const got = new Float32Array(x.length);
    wasm.unary(op as UnaryOp, Float32Array.from(x), got);
    // Outputs are rounded to float32 (relative 6e-8); the polynomials add a few ulp. The GELU derivative crosses
    // zero near x = −0.75, where its two terms cancel, hence its absolute floor.
    const atol = op === 'geluDeriv' ? 2e-7 : 1e-38;
    expectClose(got, y.map(Math.fround), 1e-6, atol, op);
  });

  it('transforms in place when x and out are the same array', () => {
    const x = inputs(CHUNK + 5);
    const want = new Float32Array(x.length);
    js.unary('tanh', x, want);
    wasm.unary('tanh', x, x);
    expectClose(x, want, 1e-6, 1e-37, 'in-place tanh');
  });

  it('clamps exactly like the js kernel, NaN and signed zeros included', () => {
    for (const n of LENGTHS) {
      const x = inputs(n);
      for (const [lo, hi] of [[-1, 1], [0, Number.POSITIVE_INFINITY], [Number.NEGATIVE_INFINITY, -0.5], [0.1, 0.1]] as const) {
        const want = new Float32Array(n);
        const got = new Float32Array(n);
        js.clamp(x, lo, hi, want);
        wasm.clamp(x, lo, hi, got);
        expectSame(got, want, `clamp(${lo}, ${hi}) n=${n}`);
      }
    }
  });

  // Shapes for every broadcast pattern the wasm kernel handles (equal, scalar either side, row and column vectors
  // either side, odd row lengths that make vector loads run across rows), plus patterns it leaves to js.
  const SHAPES: Array<[number[], number[]]> = [
    [[1001], [1001]],
    [[2 * CHUNK + 5], [2 * CHUNK + 5]],
    [[3, 700], []],
    [[], [3, 700]],
    [[1], [CHUNK + 9]],
    [[700, 3], [3]],
    [[5], [300, 5]],
    [[40, 20, 7], [20, 7]],
    [[700, 3], [700, 1]],
    [[300, 1], [300, 5]],
    [[6, 5, 4, 3], [6, 5, 1, 1]],
    [[1, CHUNK + 1], [3, 1]],
    [[3, 1], [1, CHUNK + 1]],
    [[2, 3, 400], [3, 1]],
  ];
  const OPS: BinaryOp[] = ['add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'pow', 'gt'];

  it.each(SHAPES)('binary ops on %j ∘ %j equal the js kernel bit for bit', (as, bs) => {
    const os = broadcastShapes('test', as, bs);
    const a = inputs(sizeOf(as));
    const b = inputs(sizeOf(bs));
    // Ties, so that maximum/minimum see equal values and ±0 pairs.
    for (let i = 0; i < Math.min(a.length, b.length); i += 5) b[i] = a[i]!;
    for (const op of OPS) {
      const cmp = op === 'gt';
      const want = cmp ? new Int32Array(sizeOf(os)) : new Float32Array(sizeOf(os));
      const got = cmp ? new Int32Array(sizeOf(os)) : new Float32Array(sizeOf(os));
      js.binary(op, a, as, b, bs, want, os);
      wasm.binary(op, a, as, b, bs, got, os);
      expectSame(got, want, op);
    }
  });

  it('may write a binary result in place over an operand of the output shape', () => {
    const shape = [CHUNK / 4 + 1, 7]; // more than one chunk of rows
    const a = inputs(sizeOf(shape));
    const b = inputs(7);
    const want = new Float32Array(a.length);
    js.binary('sub', a, shape, b, [7], want, shape);
    wasm.binary('sub', a, shape, b, [7], a, shape);
    expectSame(a, want, 'in-place sub');
  });

  it('leaves int32 arithmetic to the js kernel, wrap-around included', () => {
    const a = Int32Array.from([2147483647, -3, 7, 1]);
    const out = new Int32Array(4);
    wasm.binary('add', a, [4], Int32Array.from([1]), [], out, [4]);
    expect(Array.from(out)).toEqual([-2147483648, -2, 8, 2]);
  });
});
