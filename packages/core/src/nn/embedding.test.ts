import { beforeAll, describe, expect, it } from 'vitest';
import { randn, tensor } from '../creation.js';
import { DTypeError, ShapeError, ValueError } from '../errors.js';
import { Generator } from '../random.js';
import { assertGradcheck, testBackends, useBackend } from '../testing/index.js';
import { Embedding } from './embedding.js';

const ids = (values: number[][]) => tensor(values, undefined, { dtype: 'int32' });

describe.each(testBackends())('Embedding (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it('has weight [V, E] drawn from N(0, 1), with the padding row zeroed', () => {
    const e = new Embedding(500, 40, { paddingIdx: 3, generator: new Generator(1) });
    expect(Object.keys(e.stateDict())).toEqual(['weight']);
    expect(e.weight.shape).toEqual([500, 40]);
    const w = e.weight.data;
    expect(Array.from(w.subarray(3 * 40, 4 * 40)).every((v) => v === 0)).toBe(true);
    let m = 0;
    let s = 0;
    for (const v of w) {
      m += v;
      s += v * v;
    }
    m /= w.length - 40;
    s = Math.sqrt(s / (w.length - 40) - m * m);
    expect(Math.abs(m)).toBeLessThan(0.02);
    expect(s).toBeCloseTo(1, 1);
  });

  it('looks rows up for ids of any shape', () => {
    const e = new Embedding(4, 3);
    const y = e.forward(ids([[2, 0], [3, 2]]));
    expect(y.shape).toEqual([2, 2, 3]);
    const row = (i: number) => Array.from(e.weight.data.subarray(i * 3, i * 3 + 3));
    expect(Array.from(y.data)).toEqual([...row(2), ...row(0), ...row(3), ...row(2)]);
  });

  it('accumulates the gradient of repeated ids and gives the padding row none', () => {
    const e = new Embedding(5, 2, { paddingIdx: -1 });
    expect(e.paddingIdx).toBe(4);
    const y = e.forward(ids([[1, 4, 1], [1, 0, 4]]));
    y.backward(tensor(Array.from({ length: 12 }, (_, i) => i + 1), [2, 3, 2]));
    // Row 1 appears at positions 0, 2, 3 → grads (1,2) + (5,6) + (7,8); row 0 at position 4 → (9,10).
    expect(Array.from(e.weight.grad!.data)).toEqual([9, 10, 13, 16, 0, 0, 0, 0, 0, 0]);
  });

  it('passes gradcheck with repeated ids and a padding row', () => {
    const e = new Embedding(6, 3, { paddingIdx: 2, generator: new Generator(7) });
    const x = ids([[0, 2, 5, 0], [2, 2, 1, 5]]);
    // The padding row is read by the forward pass but by design receives no gradient, so the checked function masks
    // the padding positions out: its true derivative there is then 0 as well.
    const keep = tensor([[1, 0, 1, 1], [0, 0, 1, 1]]).reshape([2, 4, 1]);
    assertGradcheck(() => e.forward(x).mul(keep), [e.weight]);
    e.weight.grad = null;
    e.forward(x).sum().backward();
    expect(Array.from(e.weight.grad!.data.subarray(6, 9))).toEqual([0, 0, 0]);
  });

  it('fromPretrained copies the table, keeps the padding row, and freezes by default', () => {
    const table = randn([4, 2], { generator: new Generator(3) });
    const frozen = Embedding.fromPretrained(table, { paddingIdx: 1 });
    expect(Array.from(frozen.weight.data)).toEqual(Array.from(table.data));
    expect(frozen.weight.data).not.toBe(table.data);
    expect(frozen.weight.requiresGrad).toBe(false);
    expect(frozen.forward(ids([[1]])).requiresGrad).toBe(false);
    expect(Embedding.fromPretrained(table, { freeze: false }).weight.requiresGrad).toBe(true);
    expect(() => Embedding.fromPretrained(randn([4]))).toThrow(ShapeError);
    expect(() => new Embedding(4, 2, { weight: randn([2, 4]) })).toThrow('Embedding: weight must be [4, 2], got [2, 4]');
  });

  it('rejects bad ids, sizes and padding indices', () => {
    const e = new Embedding(4, 3);
    expect(() => e.forward(ids([[4]]))).toThrow(ValueError);
    expect(() => e.forward(tensor([[1]]))).toThrow(DTypeError);
    expect(() => new Embedding(4, 3, { paddingIdx: 4 })).toThrow('Embedding: paddingIdx 4 is out of range for 4 embeddings');
    expect(() => new Embedding(4, 3, { paddingIdx: -5 })).toThrow(ValueError);
    expect(() => new Embedding(-4, 3)).toThrow(ValueError);
  });
});
