import { beforeAll, describe, expect, it } from 'vitest';
import { randn, tensor, zeros } from '../../creation.js';
import { DTypeError, ShapeError } from '../../errors.js';
import { Generator } from '../../random.js';
import { assertGradcheck, testBackends, useBackend } from '../../testing/index.js';
import type { Tensor } from '../../tensor.js';
import { gelu } from '../elementwise/gelu.js';
import { relu } from '../elementwise/relu.js';
import { sigmoid } from '../elementwise/sigmoid.js';
import { tanh } from '../elementwise/tanh.js';
import { type LinearActivation, linear } from './linear.js';

/** The unfused path each fused activation must agree with. */
const COMPOSED: Record<Exclude<LinearActivation, 'none'>, (t: Tensor) => Tensor> = { relu, gelu, tanh, sigmoid };

/** x·Wᵀ + b in float64 with plain loops (the reference). */
function reference(x: Tensor, w: Tensor, b: Tensor | null): number[] {
  const [N, K] = w.shape as [number, number];
  const rows = x.size / K;
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let n = 0; n < N; n++) {
      let s = b ? b.data[n]! : 0;
      for (let k = 0; k < K; k++) s += x.data[r * K + k]! * w.data[n * K + k]!;
      out.push(s);
    }
  }
  return out;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThan(tol);
}

describe.each(testBackends())('linear (%s)', (backend) => {
  beforeAll(() => useBackend(backend));
  const gen = new Generator(3);

  it('computes x·Wᵀ + b for 1-D, 2-D and batched [B, T, X] inputs', () => {
    const w = randn([5, 4], { generator: gen }); // [out, in]
    const b = randn([5], { generator: gen });
    for (const shape of [[4], [3, 4], [2, 3, 4]]) {
      const x = randn(shape, { generator: gen });
      const y = linear(x, w, b);
      expect(y.shape).toEqual([...shape.slice(0, -1), 5]);
      expectClose(y.data, reference(x, w, b));
      expectClose(linear(x, w).data, reference(x, w, null));
    }
  });

  it('records one tape node over x, W and b (no transpose copy)', () => {
    const x = randn([2, 3, 4], { generator: gen, requiresGrad: true });
    const w = randn([5, 4], { generator: gen, requiresGrad: true });
    const b = randn([5], { generator: gen, requiresGrad: true });
    const y = linear(x, w, b);
    expect(y._node?.op).toBe('linear');
    expect(y._node?.inputs).toEqual([x, w, b]);
  });

  it('passes gradcheck with bias on a batched [B, T, X] input', () => {
    const x = randn([2, 3, 4], { generator: gen });
    const w = randn([5, 4], { generator: gen });
    const b = randn([5], { generator: gen });
    assertGradcheck((x, w, b) => linear(x!, w!, b!), [x, w, b]);
  });

  it('passes gradcheck without bias, on 2-D and 1-D inputs', () => {
    const w = randn([3, 4], { generator: gen });
    assertGradcheck((x, w) => linear(x!, w!), [randn([6, 4], { generator: gen }), w]);
    assertGradcheck((x, w) => linear(x!, w!), [randn([4], { generator: gen }), w]);
  });

  it('computes only the gradients that are needed', () => {
    const x = randn([3, 4], { generator: gen });
    const w = randn([2, 4], { generator: gen, requiresGrad: true });
    const b = randn([2], { generator: gen });
    linear(x, w, b).sum().backward();
    expect(x.grad).toBeNull();
    expect(b.grad).toBeNull();
    // d(Σ x·Wᵀ)/dW[n, k] = Σ_rows x[r, k]
    const colSums = [0, 1, 2, 3].map((k) => [0, 1, 2].reduce((s, r) => s + x.data[r * 4 + k]!, 0));
    expectClose(w.grad!.data, [...colSums, ...colSums]);
  });

  it('handles an empty batch: [0, X] → [0, N] with zero weight and bias gradients', () => {
    const x = zeros([0, 4], { requiresGrad: true });
    const w = randn([3, 4], { generator: gen, requiresGrad: true });
    const b = randn([3], { generator: gen, requiresGrad: true });
    const y = linear(x, w, b);
    expect(y.shape).toEqual([0, 3]);
    y.backward(zeros([0, 3]));
    expect(Array.from(w.grad!.data)).toEqual(new Array(12).fill(0));
    expect(Array.from(b.grad!.data)).toEqual([0, 0, 0]);
  });

  it.each(Object.keys(COMPOSED) as (keyof typeof COMPOSED)[])(
    'fuses %s: forward and all three gradients equal act(linear(x, W, b)), on a shape that runs the fused kernel',
    (act) => {
      const make = () => ({
        x: randn([6, 7, 24], { generator: new Generator(9), requiresGrad: true }), // [B, T, X]: 42 rows
        w: randn([40, 24], { generator: new Generator(10), requiresGrad: true }),
        b: randn([40], { generator: new Generator(11), requiresGrad: true }),
      });
      const g = randn([6, 7, 40], { generator: gen });
      const fused = make();
      const y = linear(fused.x, fused.w, fused.b, { activation: act });
      expect(y._node?.op).toBe('linear');
      y.backward(g);
      const plain = make();
      const want = COMPOSED[act](linear(plain.x, plain.w, plain.b));
      want.backward(g);
      expectClose(y.data, want.data, 2e-5);
      expectClose(fused.x.grad!.data, plain.x.grad!.data, 1e-4);
      expectClose(fused.w.grad!.data, plain.w.grad!.data, 1e-4);
      expectClose(fused.b.grad!.data, plain.b.grad!.data, 1e-4);
    },
  );

  it.each(['gelu', 'tanh', 'sigmoid'] as const)('passes gradcheck with activation %s', (act) => {
    const x = randn([2, 3, 4], { generator: gen });
    const w = randn([5, 4], { generator: gen });
    const b = randn([5], { generator: gen });
    assertGradcheck((x, w, b) => linear(x!, w!, b!, { activation: act }), [x, w, b]);
    assertGradcheck((x, w) => linear(x!, w!, null, { activation: act }), [randn([20, 16], { generator: gen }), randn([12, 16], { generator: gen })], {
      maxElements: 40,
    });
  });

  it('passes gradcheck with relu away from its kink', () => {
    // Inputs and weights positive, bias shifted: every pre-activation is far from 0 on one side or the other.
    const x = randn([3, 4], { generator: gen }).abs().add(0.5);
    const w = randn([5, 4], { generator: gen }).abs().add(0.1);
    const b = tensor([-100, 1, -100, 2, 3]);
    assertGradcheck((x, w, b) => linear(x!, w!, b!, { activation: 'relu' }), [x, w, b]);
  });

  it('rejects an unknown activation naming linear and the choices', () => {
    expect(() => linear(zeros([2, 4]), zeros([3, 4]), null, { activation: 'swish' as LinearActivation })).toThrow(
      "linear: activation must be one of none, relu, gelu, tanh, sigmoid, got 'swish'",
    );
  });

  it('rejects mismatched shapes and dtypes with messages naming the shapes', () => {
    const w = zeros([3, 4]);
    expect(() => linear(zeros([2, 5]), w)).toThrow(ShapeError);
    expect(() => linear(zeros([2, 5]), w)).toThrow('linear: input [2, 5] does not end in inFeatures 4 of weight [3, 4]');
    expect(() => linear(zeros([2, 4]), zeros([4]))).toThrow('linear: weight must be [out, in], got [4]');
    expect(() => linear(zeros([2, 4]), w, zeros([4]))).toThrow('linear: bias must be [3] for weight [3, 4], got [4]');
    expect(() => linear(zeros([]), w)).toThrow(ShapeError);
    expect(() => linear(tensor([[1, 2, 3, 4]], undefined, { dtype: 'int32' }), w)).toThrow(DTypeError);
  });
});
