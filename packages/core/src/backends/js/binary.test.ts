import { beforeAll, describe, expect, it } from 'vitest';
import { Generator } from '../../random.js';
import { broadcastShapes, sizeOf, stridesOf } from '../../shape.js';
import { testBackends, useBackend } from '../../testing/index.js';
import type { BinaryOp } from '../backend.js';
import { getBackend } from '../registry.js';

/** Reference: index arithmetic per element, no odometer, no fast paths. */
function naive(f: (a: number, b: number) => number, a: Float32Array, as: number[], b: Float32Array, bs: number[], os: number[]): number[] {
  const out: number[] = [];
  const sa = stridesOf(as);
  const sb = stridesOf(bs);
  for (let i = 0; i < sizeOf(os); i++) {
    let rem = i;
    let ia = 0;
    let ib = 0;
    for (let ax = os.length - 1; ax >= 0; ax--) {
      const k = rem % os[ax]!;
      rem = Math.floor(rem / os[ax]!);
      const aa = ax - (os.length - as.length);
      const bb = ax - (os.length - bs.length);
      if (aa >= 0 && as[aa] !== 1) ia += k * sa[aa]!;
      if (bb >= 0 && bs[bb] !== 1) ib += k * sb[bb]!;
    }
    out.push(f(a[ia]!, b[ib]!));
  }
  return out;
}

const F32: Record<'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum', (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: (a, b) => a ** b,
  maximum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : Math.max(a, b)),
  minimum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : Math.min(a, b)),
};
const CMP: Record<'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le', (a: number, b: number) => number> = {
  eq: (a, b) => +(a === b),
  ne: (a, b) => +(a !== b),
  gt: (a, b) => +(a > b),
  ge: (a, b) => +(a >= b),
  lt: (a, b) => +(a < b),
  le: (a, b) => +(a <= b),
};

const SHAPES: Array<[number[], number[]]> = [
  [[2, 1, 3], [4, 1]],
  [[3, 1], [1, 5]],
  [[2, 3, 4], [3, 1]],
  [[1, 4, 1, 2], [3, 1, 5, 1]],
  [[5], [2, 3, 5]],
  [[2, 3], [2, 3]],
  [[], [3, 2]],
  [[2, 2], [1]],
  [[0, 3], [1, 3]],
];

describe.each(testBackends())('binary kernel (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it.each(SHAPES)('matches a naive broadcasting reference for %j ∘ %j', (as, bs) => {
    const gen = new Generator(61);
    const os = broadcastShapes('test', as, bs);
    // Small integers (plus a NaN) make comparisons hit ties and equalities.
    const a = Float32Array.from({ length: sizeOf(as) }, () => gen.randint(5) - 2 + 0.5 * gen.randint(2));
    const b = Float32Array.from({ length: sizeOf(bs) }, () => gen.randint(5) - 2 + 0.5 * gen.randint(2));
    if (a.length > 2) a[1] = Number.NaN;
    for (const [op, f] of Object.entries(F32)) {
      const out = new Float32Array(sizeOf(os));
      getBackend().binary(op as BinaryOp, a, as, b, bs, out, os);
      expect(Array.from(out)).toEqual(naive(f, a, as, b, bs, os).map(Math.fround));
    }
    for (const [op, f] of Object.entries(CMP)) {
      const out = new Int32Array(sizeOf(os));
      getBackend().binary(op as BinaryOp, a, as, b, bs, out, os);
      expect(Array.from(out)).toEqual(naive(f, a, as, b, bs, os));
    }
  });

  it('computes int32 arithmetic with int32 wrap-around', () => {
    const a = Int32Array.from([2147483647, -3, 7]);
    const b = Int32Array.from([1, 2, 2]);
    const out = new Int32Array(3);
    getBackend().binary('add', a, [3], b, [3], out, [3]);
    expect(Array.from(out)).toEqual([-2147483648, -1, 9]);
    getBackend().binary('mul', a, [3], Int32Array.from([3]), [], out, [3]);
    expect(Array.from(out)).toEqual([2147483645, -9, 21]);
  });

  it('may write in place over an operand of the output shape', () => {
    const a = Float32Array.from([1, 2, 3, 4]);
    getBackend().binary('add', a, [2, 2], Float32Array.from([10, 20]), [2], a, [2, 2]);
    expect(Array.from(a)).toEqual([11, 22, 13, 24]);
  });
});
