import { beforeAll, describe, expect, it } from 'vitest';
import { randn, tensor } from '../../creation.js';
import { DTypeError, ShapeError } from '../../errors.js';
import { Generator } from '../../random.js';
import { assertGradcheck, testBackends, useBackend } from '../../testing/index.js';
import type { Tensor } from '../../tensor.js';
import { fusedAttention } from './attention.js';
import { dropout } from './dropout.js';

/** softmax(q·kᵀ·scale + bias)·v composed from the unfused ops (matmul, add, softmax): the reference path. */
function composed(q: Tensor, k: Tensor, v: Tensor, bias: Tensor | null, scale: number): { context: Tensor; weights: Tensor } {
  let scores = q.matmul(k.transpose()).mul(scale);
  if (bias) scores = scores.add(bias);
  const weights = scores.softmax(-1);
  return { context: weights.matmul(v), weights };
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  expect(worst).toBeLessThan(tol);
}

describe.each(testBackends())('fusedAttention (%s)', (backend) => {
  beforeAll(() => useBackend(backend));
  const gen = new Generator(21);
  const rnd = (shape: number[], requiresGrad = false) => randn(shape, { generator: gen, requiresGrad });

  it.each([
    ['no bias', null],
    ['a shared [T, S] mask', [12, 10]],
    ['a key-padding bias [B, 1, 1, S]', [2, 1, 1, 10]],
    ['a full [B, H, T, S] bias', [2, 3, 12, 10]],
  ] as const)('matches the composed ops forward and backward with %s (shapes that run the fused kernels)', (_name, biasShape) => {
    const make = () => {
      const g = new Generator(5);
      const bias = biasShape ? randn([...biasShape], { generator: g }) : null;
      // Mask a few keys (never a whole row of 10): −Infinity in the bias.
      if (bias) for (let i = 3; i < bias.size; i += 7) bias.data[i] = Number.NEGATIVE_INFINITY;
      return {
        q: randn([2, 3, 12, 8], { generator: g, requiresGrad: true }), // [B, H, T, D]
        k: randn([2, 3, 10, 8], { generator: g, requiresGrad: true }), // [B, H, S, D]
        v: randn([2, 3, 10, 6], { generator: g, requiresGrad: true }), // [B, H, S, Dv]
        bias: bias ? bias.requiresGrad_() : null,
      };
    };
    const gc = rnd([2, 3, 12, 6]);
    const gw = rnd([2, 3, 12, 10]);
    const a = make();
    const fused = fusedAttention(a.q, a.k, a.v, { bias: a.bias });
    fused.context.mul(gc).sum().add(fused.weights.mul(gw).sum()).backward();
    const b = make();
    const want = composed(b.q, b.k, b.v, b.bias, 1 / Math.sqrt(8));
    want.context.mul(gc).sum().add(want.weights.mul(gw).sum()).backward();
    expectClose(fused.weights.data, want.weights.data, 1e-5);
    expectClose(fused.context.data, want.context.data, 1e-5);
    expectClose(a.q.grad!.data, b.q.grad!.data, 1e-4);
    expectClose(a.k.grad!.data, b.k.grad!.data, 1e-4);
    expectClose(a.v.grad!.data, b.v.grad!.data, 1e-4);
    if (a.bias) {
      expect(a.bias.grad!.shape).toEqual(a.bias.shape);
      expectClose(a.bias.grad!.data, b.bias!.grad!.data, 1e-4);
    }
  });

  it('applies dropout to the weights exactly like dropout() with the same generator, forward and backward', () => {
    const make = () => {
      const g = new Generator(8);
      return {
        q: randn([3, 2, 16, 8], { generator: g, requiresGrad: true }),
        k: randn([3, 2, 20, 8], { generator: g, requiresGrad: true }),
        v: randn([3, 2, 20, 4], { generator: g, requiresGrad: true }),
      };
    };
    const gc = rnd([3, 2, 16, 4]);
    const gw = rnd([3, 2, 16, 20]);
    const a = make();
    const fused = fusedAttention(a.q, a.k, a.v, { dropout: 0.3, generator: new Generator(99) });
    fused.context.mul(gc).sum().add(fused.weights.mul(gw).sum()).backward();
    const b = make();
    const plain = composed(b.q, b.k, b.v, null, 1 / Math.sqrt(8));
    const dropped = dropout(plain.weights, 0.3, { generator: new Generator(99) });
    const context = dropped.matmul(b.v);
    context.mul(gc).sum().add(dropped.mul(gw).sum()).backward();
    expect(Array.from(fused.weights.data).filter((x) => x === 0).length).toBeGreaterThan(100); // ~30% of 1920
    expectClose(fused.weights.data, dropped.data, 1e-5);
    expectClose(fused.context.data, context.data, 1e-5);
    expectClose(a.q.grad!.data, b.q.grad!.data, 1e-4);
    expectClose(a.k.grad!.data, b.k.grad!.data, 1e-4);
    expectClose(a.v.grad!.data, b.v.grad!.data, 1e-4);
  });

  it('passes gradcheck with dropout (a fixed mask per evaluation: the generator is re-seeded each call)', () => {
    assertGradcheck(
      (q, k, v) => fusedAttention(q!, k!, v!, { dropout: 0.25, generator: new Generator(3) }).context,
      [rnd([2, 4, 5]), rnd([2, 6, 5]), rnd([2, 6, 3])],
    );
  });

  it('passes gradcheck through query, key, value and bias, with the weights also in the loss', () => {
    const gw = rnd([2, 3, 4]);
    assertGradcheck(
      (q, k, v, b) => {
        const { context, weights } = fusedAttention(q!, k!, v!, { bias: b!, scale: 0.7 });
        return context.sum().add(weights.mul(gw).sum());
      },
      [rnd([2, 3, 5]), rnd([2, 4, 5]), rnd([2, 4, 2]), rnd([3, 4])],
    );
  });

  it('passes gradcheck on [B, H, T, D] heads large enough for the wasm kernels', () => {
    assertGradcheck((q, k, v) => fusedAttention(q!, k!, v!).context, [rnd([2, 2, 9, 8]), rnd([2, 2, 11, 8]), rnd([2, 2, 11, 4])], {
      maxElements: 24,
    });
  });

  it('gives masked keys weight exactly 0 and a fully masked row NaN, as PyTorch', () => {
    const inf = Number.NEGATIVE_INFINITY;
    const mask = tensor([[0, inf, 0], [inf, inf, inf]]); // [T=2, S=3]
    const { weights } = fusedAttention(rnd([1, 2, 4]), rnd([1, 3, 4]), rnd([1, 3, 2]), { bias: mask });
    expect(weights.data[1]).toBe(0);
    expect(weights.data[0]! + weights.data[2]!).toBeCloseTo(1, 6);
    expect(weights.data[3]).toBeNaN();
  });

  it('rejects mismatched shapes and dtypes naming fusedAttention and the shapes', () => {
    const q = rnd([2, 3, 4]);
    expect(() => fusedAttention(q, rnd([2, 5, 3]), rnd([2, 5, 2]))).toThrow(
      'fusedAttention: query and key feature sizes differ: query [2, 3, 4], key [2, 5, 3]',
    );
    expect(() => fusedAttention(q, rnd([2, 5, 4]), rnd([2, 6, 2]))).toThrow(
      'fusedAttention: key and value lengths differ: key [2, 5, 4], value [2, 6, 2]',
    );
    expect(() => fusedAttention(q, rnd([3, 5, 4]), rnd([3, 5, 2]))).toThrow(ShapeError);
    expect(() => fusedAttention(q, rnd([2, 5, 4]), rnd([2, 5, 2]), { bias: rnd([4, 5]) })).toThrow(
      'fusedAttention: bias [4, 5] cannot be broadcast to the scores [2, 3, 5]',
    );
    expect(() => fusedAttention(tensor([[1]], undefined, { dtype: 'int32' }), rnd([1, 1]), rnd([1, 1]))).toThrow(DTypeError);
    expect(() => fusedAttention(q, rnd([2, 5, 4]), rnd([2, 5, 2]), { dropout: 1.5 })).toThrow(
      'fusedAttention: dropout must be in [0, 1], got 1.5',
    );
  });
});
