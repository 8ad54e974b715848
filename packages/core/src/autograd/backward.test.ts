import { beforeAll, describe, expect, it } from 'vitest';
import { ones, tensor } from '../creation.js';
import { DTypeError, GradientError, ShapeError, ValueError } from '../errors.js';
import { add } from '../ops/elementwise/add.js';
import { mul } from '../ops/elementwise/mul.js';
import { Tensor } from '../tensor.js';
import { testBackends, useBackend } from '../testing/index.js';
import { enableGrad, isGradEnabled, noGrad } from './grad-mode.js';
import { record, recordMulti } from './record.js';

describe.each(testBackends())('autograd engine (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it('accumulates leaf gradients across two backward calls', () => {
    const x = tensor([1, 2], undefined, { requiresGrad: true });
    x.mul(3).sum().backward();
    x.mul(3).sum().backward();
    expect(x.grad!.toArray()).toEqual([6, 6]);
  });

  it('accumulates a value used twice (x·x → 2x) and through two paths', () => {
    const x = tensor([1.5, -2], undefined, { requiresGrad: true });
    mul(x, x).sum().backward();
    expect(x.grad!.toArray()).toEqual([3, -4]);
    x.grad = null;
    const h = x.mul(2);
    add(h.mul(h), h).sum().backward(); // d/dx (4x² + 2x) = 8x + 2
    expect(x.grad!.toArray()).toEqual([14, -14]);
  });

  it('does not alias the first gradient it stores with a tensor of the graph', () => {
    const x = tensor([1, 2], undefined, { requiresGrad: true });
    const g = tensor([5, 6]);
    x.add(0).backward(g);
    x.add(0).backward(g);
    expect(g.toArray()).toEqual([5, 6]);
    expect(x.grad!.toArray()).toEqual([10, 12]);
  });

  it('runs multi-output nodes recorded with recordMulti, with null for outputs that got no gradient', () => {
    const x = tensor([1, 2, 3], undefined, { requiresGrad: true });
    const seen: Array<[boolean, boolean]> = [];
    const twoOutputs = (t: Tensor): Tensor[] =>
      recordMulti('twice-and-thrice', [t], [new Tensor(t.f32.map((v) => 2 * v), t.shape), new Tensor(t.f32.map((v) => 3 * v), t.shape)], {}, (grads) => {
        const [g2, g3] = grads;
        seen.push([g2 !== null, g3 !== null]);
        let dx = new Tensor(new Float32Array(3), [3]);
        if (g2) dx = add(dx, mul(g2, 2));
        if (g3) dx = add(dx, mul(g3, 3));
        return [dx];
      });
    const [a, b] = twoOutputs(x);
    add(a!, b!).sum().backward();
    expect(x.grad!.toArray()).toEqual([5, 5, 5]);
    x.grad = null;
    twoOutputs(x)[1]!.sum().backward();
    expect(x.grad!.toArray()).toEqual([3, 3, 3]);
    expect(seen).toEqual([[true, true], [false, true]]);
  });

  it('keeps .grad on intermediates with retainGrad, and only there', () => {
    const x = tensor([1, 2], undefined, { requiresGrad: true });
    const h = x.mul(2).retainGrad();
    const k = h.mul(h);
    const loss = k.sum();
    loss.backward();
    expect(h.grad!.toArray()).toEqual([4, 8]);
    expect(k.grad).toBeNull();
    expect(x.grad!.toArray()).toEqual([8, 16]);
  });

  it('records nothing under noGrad, and enableGrad switches recording back on', () => {
    const x = tensor([1], undefined, { requiresGrad: true });
    const y = noGrad(() => {
      expect(isGradEnabled()).toBe(false);
      const inner = enableGrad(() => x.mul(2));
      expect(inner.requiresGrad).toBe(true);
      return x.mul(2).add(1);
    });
    expect(isGradEnabled()).toBe(true);
    expect(y.requiresGrad).toBe(false);
    expect(y.isLeaf).toBe(true);
    expect(() => y.backward()).toThrow(GradientError);
    expect(() => y.backward()).toThrow('backward: tensor [1] does not require grad');
    expect(() => noGrad(() => { throw new Error('boom'); })).toThrow('boom');
    expect(isGradEnabled()).toBe(true);
  });

  it('cuts the graph at detach (truncated BPTT)', () => {
    const x = tensor([2], undefined, { requiresGrad: true });
    const h = x.mul(x);
    const d = h.detach();
    expect(d.requiresGrad).toBe(false);
    expect(d.isLeaf).toBe(true);
    expect(d.data).toBe(h.data);
    d.mul(x).add(x).sum().backward(); // d is a constant 4: d/dx (4x + x) = 5
    expect(x.grad!.toArray()).toEqual([5]);
  });

  it('refuses a second backward through a freed graph; retainGraph allows it', () => {
    const x = tensor([1, 2], undefined, { requiresGrad: true });
    const loss = x.mul(x).sum();
    loss.backward();
    expect(() => loss.backward()).toThrow(GradientError);
    expect(() => loss.backward()).toThrow("backward: the graph through 'sum' was already freed");
    x.grad = null;
    const kept = x.mul(x).sum();
    kept.backward(undefined, { retainGraph: true });
    kept.backward();
    expect(x.grad!.toArray()).toEqual([4, 8]);
  });

  it('walks a chain of 100k ops without recursion', () => {
    const x = tensor([1], undefined, { requiresGrad: true });
    let y = x;
    for (let i = 0; i < 100_000; i++) y = y.add(1);
    y.sum().backward();
    expect(x.grad!.toArray()).toEqual([1]);
  });

  it('rejects a non-finite loss naming backward and the value', () => {
    const x = tensor([0, 1], undefined, { requiresGrad: true });
    const nan = x.log().sum().mul(0);
    expect(() => nan.backward()).toThrow(ValueError);
    expect(() => nan.backward()).toThrow('backward: loss is not finite (NaN), shape []');
    const inf = x.log().neg().sum();
    expect(() => inf.backward()).toThrow('backward: loss is not finite (Infinity), shape []');
  });

  it('needs an explicit grad for a non-scalar output, of the output shape', () => {
    const y = tensor([1, 2], undefined, { requiresGrad: true }).mul(2);
    expect(() => y.backward()).toThrow(ValueError);
    expect(() => y.backward()).toThrow('backward: grad can be implied only for a one-element output, got shape [2]; pass grad');
    expect(() => y.backward(ones([3]))).toThrow(ShapeError);
    expect(() => y.backward(ones([3]))).toThrow('backward: grad is [3] but the output is [2]');
    expect(() => y.backward(ones([2], { dtype: 'int32' }))).toThrow(DTypeError);
    expect(() => y.backward(ones([2], { dtype: 'int32' }))).toThrow('backward: grad must be float32, got int32 [2]');
  });

  it('names the op whose backward returns a wrong-shaped gradient', () => {
    const x = tensor([1, 2], undefined, { requiresGrad: true });
    const bad = record('brokenOp', [x], new Tensor(new Float32Array(2), [2]), {}, () => [ones([3])]);
    expect(() => bad.sum().backward()).toThrow(GradientError);
    const y = record('brokenOp', [x], new Tensor(new Float32Array(2), [2]), {}, () => [ones([3])]);
    expect(() => y.sum().backward()).toThrow("backward: 'brokenOp' produced a gradient of shape [3] for input 0 of shape [2]");
  });

  it('backpropagates from a leaf into its own .grad', () => {
    const x = tensor(3, undefined, { requiresGrad: true });
    x.backward();
    expect(x.grad!.item()).toBe(1);
  });

  it('skips inputs that need no gradient and leaves their .grad alone', () => {
    const x = tensor([1, 2], undefined, { requiresGrad: true });
    const c = tensor([3, 4]);
    x.mul(c).sum().backward();
    expect(x.grad!.toArray()).toEqual([3, 4]);
    expect(c.grad).toBeNull();
  });
});
