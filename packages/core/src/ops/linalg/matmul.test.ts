import { beforeAll, describe, expect, it } from 'vitest';
import { tensor } from '../../creation.js';
import { DTypeError, ShapeError } from '../../errors.js';
import { Generator } from '../../random.js';
import { sizeOf, stridesOf } from '../../shape.js';
import { Tensor } from '../../tensor.js';
import { assertGradcheck, testBackends, useBackend } from '../../testing/index.js';
import { matmul } from './matmul.js';

function uniform(gen: Generator, shape: number[]): Tensor {
  return new Tensor(gen.fillUniform(new Float32Array(sizeOf(shape)), -1, 1), shape);
}

/** torch.matmul by definition, in float64 with explicit index arithmetic (independent of the GEMM path). */
function naiveMatmul(a: Tensor, b: Tensor): { shape: number[]; data: Float64Array } {
  const as = a.rank === 1 ? [1, a.shape[0]!] : [...a.shape];
  const bs = b.rank === 1 ? [b.shape[0]!, 1] : [...b.shape];
  const M = as[as.length - 2]!;
  const K = as[as.length - 1]!;
  const N = bs[bs.length - 1]!;
  const ba = as.slice(0, -2);
  const bb = bs.slice(0, -2);
  const rank = Math.max(ba.length, bb.length);
  const batch: number[] = [];
  for (let i = 0; i < rank; i++) batch.push(Math.max(ba[ba.length - rank + i] ?? 1, bb[bb.length - rank + i] ?? 1));
  const sa = stridesOf(as);
  const sb = stridesOf(bs);
  const data = new Float64Array(sizeOf(batch) * M * N);
  const idx = new Array<number>(rank).fill(0);
  for (let p = 0; p < sizeOf(batch); p++) {
    let rem = p;
    for (let ax = rank - 1; ax >= 0; ax--) {
      idx[ax] = rem % batch[ax]!;
      rem = Math.floor(rem / batch[ax]!);
    }
    let offA = 0;
    let offB = 0;
    for (let ax = 0; ax < rank; ax++) {
      const ia = ax - (rank - ba.length);
      const ib = ax - (rank - bb.length);
      if (ia >= 0 && ba[ia] !== 1) offA += idx[ax]! * sa[ia]!;
      if (ib >= 0 && bb[ib] !== 1) offB += idx[ax]! * sb[ib]!;
    }
    for (let m = 0; m < M; m++) {
      for (let n = 0; n < N; n++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += a.data[offA + m * K + k]! * b.data[offB + k * N + n]!;
        data[(p * M + m) * N + n] = s;
      }
    }
  }
  let shape = [...batch, M, N];
  if (a.rank === 1) shape = [...shape.slice(0, -2), N];
  if (b.rank === 1) shape = shape.slice(0, -1);
  return { shape, data };
}

/** torch.matmul rank combinations, with the output shape torch gives. */
const CASES: Array<[string, number[], number[], number[]]> = [
  ['1-D · 1-D', [5], [5], []],
  ['1-D · 2-D', [4], [4, 3], [3]],
  ['2-D · 1-D', [3, 4], [4], [3]],
  ['2-D · 2-D', [3, 4], [4, 2], [3, 2]],
  ['1-D · 3-D', [4], [2, 4, 3], [2, 3]],
  ['3-D · 1-D', [2, 3, 4], [4], [2, 3]],
  ['batched broadcast [2,1,3,4]·[5,4,2]', [2, 1, 3, 4], [5, 4, 2], [2, 5, 3, 2]],
  ['[B,T,X]·[X,H]', [2, 3, 5], [5, 4], [2, 3, 4]],
  ['[X]·… size-1 dims', [1, 4], [4, 1], [1, 1]],
  ['batch broadcast on the left', [1, 3, 4], [2, 4, 2], [2, 3, 2]],
];

describe.each(testBackends())('matmul (%s)', (backend) => {
  beforeAll(() => useBackend(backend));
  const gen = new Generator(17);

  it.each(CASES)('%s: shape and values match the definition', (_name, sa, sb, want) => {
    const a = uniform(gen, sa);
    const b = uniform(gen, sb);
    const out = matmul(a, b);
    const ref = naiveMatmul(a, b);
    expect(out.shape).toEqual(want);
    expect(ref.shape).toEqual(want);
    for (let i = 0; i < out.size; i++) expect(Math.abs(out.data[i]! - ref.data[i]!)).toBeLessThan(1e-5);
  });

  it.each(CASES)('%s: gradcheck', (_name, sa, sb) => {
    assertGradcheck((a, b) => matmul(a!, b!), [uniform(gen, sa), uniform(gen, sb)]);
  });

  it('gradchecks a larger [B,T,X]·[X,H] product (the Linear-layer path)', () => {
    assertGradcheck((a, b) => matmul(a!, b!), [uniform(gen, [3, 4, 9]), uniform(gen, [9, 7])], { maxElements: 40 });
  });

  it('is a method too', () => {
    expect(tensor([[1, 2]]).matmul(tensor([[3], [4]])).toArray()).toEqual([[11]]);
  });

  it('reports mismatched inner dimensions exactly', () => {
    const call = () => matmul(new Tensor(new Float32Array(32 * 64), [32, 64]), new Tensor(new Float32Array(128 * 256), [128, 256]));
    expect(call).toThrow(ShapeError);
    expect(call).toThrow(/^matmul: inner dimensions differ: a is \[32, 64\], b is \[128, 256\]$/);
    expect(() => matmul(tensor([1, 2, 3]), tensor([[1, 2]]))).toThrow('matmul: inner dimensions differ: a is [3], b is [1, 2]');
    expect(() => matmul(tensor([[1, 2]]), tensor([1, 2, 3]))).toThrow('matmul: inner dimensions differ: a is [1, 2], b is [3]');
  });

  it('reports unbroadcastable batch dimensions with both full shapes', () => {
    const call = () => matmul(uniform(gen, [2, 3, 4]), uniform(gen, [3, 4, 5]));
    expect(call).toThrow(ShapeError);
    expect(call).toThrow('matmul: batch dimensions [2] and [3] cannot be broadcast: a is [2, 3, 4], b is [3, 4, 5]');
  });

  it('rejects scalars and int32 operands', () => {
    expect(() => matmul(tensor(2), tensor([1]))).toThrow(ShapeError);
    expect(() => matmul(tensor(2), tensor([1]))).toThrow('matmul: both arguments need at least 1 dimension, got a [], b [1]');
    const i = tensor([[1, 2]], undefined, { dtype: 'int32' });
    expect(() => matmul(i, tensor([[1], [2]]))).toThrow(DTypeError);
    expect(() => matmul(i, tensor([[1], [2]]))).toThrow('matmul: a must be float32, got int32 [1, 2]');
  });
});
