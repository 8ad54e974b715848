import { beforeAll, describe, expect, it } from 'vitest';
import { randn } from '../creation.js';
import { gelu } from '../ops/elementwise/gelu.js';
import { relu } from '../ops/elementwise/relu.js';
import { sigmoid } from '../ops/elementwise/sigmoid.js';
import { tanh } from '../ops/elementwise/tanh.js';
import { Generator } from '../random.js';
import { assertGradcheck, testBackends, useBackend } from '../testing/index.js';
import type { Tensor } from '../tensor.js';
import { ValueError } from '../errors.js';
import { Module } from './module.js';
import { GELU, ReLU, Sigmoid, Tanh } from './activations.js';
import { Linear } from './linear.js';
import { Sequential } from './sequential.js';

describe.each(testBackends())('Sequential and activations (%s)', (backend) => {
  beforeAll(() => useBackend(backend));
  const gen = new Generator(11);

  it('chains modules in order and exposes them by position', () => {
    const l1 = new Linear(3, 4, { generator: gen });
    const l2 = new Linear(4, 2, { generator: gen });
    const m = new Sequential(l1, new ReLU(), l2, new Sigmoid());
    expect(m.length).toBe(4);
    expect(m.at(0)).toBe(l1);
    expect(m.at(-2)).toBe(l2);
    expect(m.at(4)).toBeUndefined();
    const x = randn([5, 3], { generator: gen });
    expect(Array.from(m.forward(x).data)).toEqual(Array.from(sigmoid(l2.forward(relu(l1.forward(x)))).data));
    expect(Object.keys(m.stateDict())).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
  });

  it('is the identity when empty', () => {
    const x = randn([2]);
    expect(new Sequential().forward(x)).toBe(x);
  });

  it.each([
    ['Tanh', new Tanh(), tanh],
    ['ReLU', new ReLU(), relu],
    ['Sigmoid', new Sigmoid(), sigmoid],
    ['GELU', new GELU(), gelu],
  ] as const)('%s equals its functional op and has no parameters', (_, mod, fn: (x: Tensor) => Tensor) => {
    const x = randn([3, 4], { generator: gen });
    expect(Array.from(mod.forward(x).data)).toEqual(Array.from(fn(x).data));
    expect(mod.numParameters()).toBe(0);
    expect(mod.stateDict()).toEqual({});
  });

  it('passes gradcheck through a small MLP', () => {
    const m = new Sequential(new Linear(3, 4, { generator: gen }), new Tanh(), new Linear(4, 2, { generator: gen }), new GELU());
    const x = randn([2, 3], { generator: gen });
    assertGradcheck((x) => m.forward(x!), [x, ...m.parameters()]);
  });

  it('passes on the output of a module returning {output, state} (a recurrent layer) and rejects other results', () => {
    // Stands in for a recurrent layer (core cannot import @elman/cells): output is 2x, the state something else.
    class Doubler extends Module {
      forward(x: Tensor): { output: Tensor; state: { h: Tensor } } {
        return { output: x.mul(2), state: { h: x.mul(3) } };
      }
    }
    const l = new Linear(3, 2, { generator: gen });
    const x = randn([4, 3], { generator: gen });
    const m = new Sequential(new Doubler(), l);
    expect(Array.from(m.forward(x).data)).toEqual(Array.from(l.forward(x.mul(2)).data));
    class Broken extends Module {
      forward(x: Tensor): { out: Tensor } {
        return { out: x };
      }
    }
    const broken = new Sequential(new Tanh(), new Broken() as unknown as Tanh);
    expect(() => broken.forward(x)).toThrow(ValueError);
    expect(() => broken.forward(x)).toThrow(/Sequential: module 1 \(Broken\) returned neither a tensor nor an object with an output tensor/);
  });
});
