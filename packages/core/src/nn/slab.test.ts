import { beforeAll, describe, expect, it } from 'vitest';
import { randn } from '../creation.js';
import { ShapeError } from '../errors.js';
import { mseLoss } from '../losses/mse-loss.js';
import { Generator } from '../random.js';
import { testBackends, useBackend } from '../testing/index.js';
import { Tanh } from './activations.js';
import { Linear } from './linear.js';
import { Sequential } from './sequential.js';

function model(seed: number): Sequential {
  const gen = new Generator(seed);
  return new Sequential(new Linear(3, 6, { generator: gen }), new Tanh(), new Linear(6, 2, { generator: gen }));
}

describe.each(testBackends())('bindParameters / bindGradients (%s)', (backend) => {
  beforeAll(() => useBackend(backend));
  const gen = new Generator(9);
  const x = randn([8, 3], { generator: gen });
  const target = randn([8, 2], { generator: gen });

  it('re-points every parameter into consecutive regions of one slab, keeping the values', () => {
    const m = model(0);
    const before = m.forward(x);
    const values = m.parameters().map((p) => Array.from(p.data));
    const slab = m.bindParameters();
    expect(slab.length).toBe(m.numParameters());
    let offset = 0;
    m.parameters().forEach((p, i) => {
      expect(p.data.buffer).toBe(slab.buffer);
      expect(p.data.byteOffset).toBe(offset * 4);
      expect(Array.from(p.data)).toEqual(values[i]);
      offset += p.size;
    });
    expect(Array.from(m.forward(x).data)).toEqual(Array.from(before.data));
  });

  it('writes through the slab change the module output', () => {
    const m = model(0);
    const slab = m.bindParameters();
    const before = Array.from(m.forward(x).data);
    slab.fill(0, 18 + 6, 18 + 6 + 12); // second Linear's weight → output is its bias
    const out = m.forward(x);
    const bias = Array.from(m.parameters()[3]!.data);
    for (let r = 0; r < 8; r++) expect(Array.from(out.data.subarray(r * 2, r * 2 + 2))).toEqual(bias);
    expect(Array.from(out.data)).not.toEqual(before);
  });

  it('accumulates gradients in place in the gradient slab, with the parameter layout', () => {
    const m = model(1);
    m.bindParameters();
    const grads = m.bindGradients();
    expect(grads.length).toBe(m.numParameters());
    expect(grads.every((v) => v === 0)).toBe(true);
    mseLoss(m.forward(x), target).backward();
    const once = Array.from(grads);
    expect(once.some((v) => v !== 0)).toBe(true);
    let offset = 0;
    for (const p of m.parameters()) {
      expect(p.grad!.data.buffer).toBe(grads.buffer);
      expect(p.grad!.data.byteOffset).toBe(offset * 4);
      offset += p.size;
    }
    mseLoss(m.forward(x), target).backward();
    for (let i = 0; i < grads.length; i++) expect(grads[i]).toBeCloseTo(2 * once[i]!, 6);
    m.zeroGrad();
    expect(grads.every((v) => v === 0)).toBe(true);
    expect(m.parameters()[0]!.grad!.data.buffer).toBe(grads.buffer);
  });

  it('trains by plain SGD on the slabs (shared memory included)', () => {
    const m = model(2);
    const n = m.numParameters();
    const params = m.bindParameters(new Float32Array(new SharedArrayBuffer(4 * n)));
    const grads = m.bindGradients(new Float32Array(new SharedArrayBuffer(4 * n)));
    const first = mseLoss(m.forward(x), target).item();
    let last = first;
    for (let step = 0; step < 50; step++) {
      m.zeroGrad();
      const loss = mseLoss(m.forward(x), target);
      last = loss.item();
      loss.backward();
      for (let i = 0; i < n; i++) params[i]! -= 0.2 * grads[i]!;
    }
    expect(last).toBeLessThan(0.7 * first);
  });

  it('copies existing gradients in, and adopts the slab values with copy: false', () => {
    const m = model(3);
    mseLoss(m.forward(x), target).backward();
    const g0 = Array.from(m.parameters()[0]!.grad!.data);
    const grads = m.bindGradients();
    expect(Array.from(grads.subarray(0, g0.length))).toEqual(g0);

    const twin = model(4);
    const shared = m.bindParameters();
    twin.bindParameters(shared, { copy: false });
    expect(Array.from(twin.forward(x).data)).toEqual(Array.from(m.forward(x).data));
    const gShared = new Float32Array(grads);
    twin.bindGradients(gShared, { copy: false });
    expect(Array.from(twin.parameters()[0]!.grad!.data)).toEqual(g0);
  });

  it('rejects a slab of the wrong length', () => {
    const m = model(0);
    expect(() => m.bindParameters(new Float32Array(3))).toThrow(ShapeError);
    expect(() => m.bindGradients(new Float32Array(3))).toThrow(
      `bindGradients: slab has 3 elements but the 4 parameters hold ${m.numParameters()}`,
    );
  });
});
