import { beforeAll, describe, expect, it } from 'vitest';
import { ones, randn, tensor, zeros } from '../creation.js';
import { StateDictError, ValueError } from '../errors.js';
import { Generator } from '../random.js';
import { testBackends, useBackend } from '../testing/index.js';
import type { Tensor } from '../tensor.js';
import { Tanh } from './activations.js';
import { Dropout } from './dropout.js';
import { Embedding } from './embedding.js';
import { LayerNorm } from './layer-norm.js';
import { Linear } from './linear.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';
import { Sequential } from './sequential.js';

function shapes(dict: Record<string, Tensor>): Record<string, readonly number[]> {
  return Object.fromEntries(Object.entries(dict).map(([k, t]) => [k, t.shape]));
}

/** A small encoder exercising every kind of member: own parameter, child, array of children, buffer. */
class Encoder extends Module {
  scale = new Parameter(new Float32Array([1, 1, 1]), [3]);
  embed = new Embedding(10, 3, { generator: new Generator(1) });
  layers = [new Linear(3, 3, { generator: new Generator(2) }), new Linear(3, 3, { generator: new Generator(3) })];
  norm = new LayerNorm(3);
  notAModule = { weight: zeros([3]) };
  declare readonly steps: Tensor;
  declare readonly cache: Tensor;

  constructor() {
    super();
    this.registerBuffer('steps', tensor([0], undefined, { dtype: 'int32' }));
    this.registerBuffer('cache', zeros([3]), { persistent: false });
  }

  forward(ids: Tensor): Tensor {
    let h = this.embed.forward(ids).mul(this.scale);
    for (const l of this.layers) h = l.forward(h).tanh();
    return this.norm.forward(h);
  }
}

function mlp(seed: number): Sequential {
  const gen = new Generator(seed);
  return new Sequential(new Linear(4, 8, { generator: gen }), new Tanh(), new Linear(8, 2, { generator: gen }));
}

describe.each(testBackends())('Module (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it('names Sequential parameters like PyTorch: 0.weight [out, in], 2.bias', () => {
    const sd = mlp(0).stateDict();
    expect(Object.keys(sd)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    expect(shapes(sd)).toEqual({ '0.weight': [8, 4], '0.bias': [8], '2.weight': [2, 8], '2.bias': [2] });
  });

  it('discovers parameters, children, module arrays and buffers in PyTorch order', () => {
    const enc = new Encoder();
    const names = enc.namedParameters().map(([n]) => n);
    expect(names).toEqual([
      'scale',
      'embed.weight',
      'layers.0.weight',
      'layers.0.bias',
      'layers.1.weight',
      'layers.1.bias',
      'norm.weight',
      'norm.bias',
    ]);
    // Own parameters, own persistent buffers, then children; the non-persistent buffer is not saved.
    expect(Object.keys(enc.stateDict())).toEqual([
      'scale',
      'steps',
      'embed.weight',
      'layers.0.weight',
      'layers.0.bias',
      'layers.1.weight',
      'layers.1.bias',
      'norm.weight',
      'norm.bias',
    ]);
    expect(enc.namedBuffers().map(([n]) => n)).toEqual(['steps', 'cache']);
    expect(enc.buffers()).toEqual([enc.steps, enc.cache]);
    expect(enc.namedChildren().map(([n]) => n)).toEqual(['embed', 'layers.0', 'layers.1', 'norm']);
    expect(enc.children()).toEqual([enc.embed, enc.layers[0], enc.layers[1], enc.norm]);
    expect(enc.namedModules().map(([n]) => n)).toEqual(['', 'embed', 'layers.0', 'layers.1', 'norm']);
    expect(enc.modules()[0]).toBe(enc);
    expect(enc.parameters()).toEqual(enc.namedParameters().map(([, p]) => p));
    expect(enc.numParameters()).toBe(3 + 30 + 12 + 12 + 3 + 3);
  });

  it('namedParameters names equal the stateDict keys of parameter-only models', () => {
    const m = mlp(1);
    expect(m.namedParameters().map(([n]) => n)).toEqual(Object.keys(m.stateDict()));
  });

  it('registers members under names computed at run time', () => {
    class Stack extends Module {
      constructor() {
        super();
        for (const dir of ['', '_reverse']) {
          this.registerParameter(`weight_ih_l0${dir}`, new Parameter(new Float32Array(8), [4, 2]));
        }
        this.registerModule('proj', new Linear(2, 1));
      }
      forward(): void {}
    }
    expect(Object.keys(new Stack().stateDict())).toEqual(['weight_ih_l0', 'weight_ih_l0_reverse', 'proj.weight', 'proj.bias']);
  });

  it('rejects bad or duplicate member names', () => {
    const m = mlp(0);
    expect(() => m.registerBuffer('a.b', zeros([1]))).toThrow(ValueError);
    expect(() => m.registerBuffer('', zeros([1]))).toThrow(ValueError);
    expect(() => m.registerParameter('0', new Parameter(new Float32Array(1), [1]))).toThrow(
      "registerParameter: Sequential already has a member '0'",
    );
  });

  it('lists a tied parameter once in parameters() and under both names in stateDict()', () => {
    class Tied extends Module {
      embed = new Embedding(5, 3);
      out = new Linear(3, 5, { bias: false });
      constructor() {
        super();
        this.out.weight = this.embed.weight;
      }
      forward(): void {}
    }
    const m = new Tied();
    expect(m.namedParameters().map(([n]) => n)).toEqual(['embed.weight']);
    expect(m.numParameters()).toBe(15);
    expect(Object.keys(m.stateDict())).toEqual(['embed.weight', 'out.weight']);
    m.loadStateDict(new Tied().stateDict());
    expect(m.out.weight).toBe(m.embed.weight);
  });

  it('stateDict tensors share storage with the parameters and are off the tape', () => {
    const m = new Linear(2, 2);
    const sd = m.stateDict();
    expect(sd.weight!.requiresGrad).toBe(false);
    expect(sd.weight).not.toBe(m.weight);
    m.weight.data[0] = 42;
    expect(sd.weight!.data[0]).toBe(42);
    const snapshot = sd.weight!.clone();
    m.weight.data[0] = 7;
    expect(snapshot.data[0]).toBe(42);
  });

  it('round-trips stateDict → loadStateDict, copying into the existing parameters', () => {
    const a = mlp(10);
    const b = mlp(11);
    const x = randn([3, 4], { generator: new Generator(5) });
    expect(Array.from(b.forward(x).data)).not.toEqual(Array.from(a.forward(x).data));
    const before = b.parameters();
    const result = b.loadStateDict(a.stateDict());
    expect(result).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(Array.from(b.forward(x).data)).toEqual(Array.from(a.forward(x).data));
    const after = b.parameters();
    for (let i = 0; i < before.length; i++) expect(after[i]).toBe(before[i]);
    // Copies, not aliases: training `a` further leaves `b` alone.
    a.parameters()[0]!.data[0]! += 1;
    expect(b.parameters()[0]!.data[0]).not.toBe(a.parameters()[0]!.data[0]);
  });

  it('round-trips buffers, including int32 ones', () => {
    const a = new Encoder();
    a.steps.data[0] = 17;
    const b = new Encoder();
    b.loadStateDict(a.stateDict());
    expect(b.steps.data[0]).toBe(17);
  });

  it('strict load reports every missing, unexpected and wrong-shape key in one error and loads nothing', () => {
    const m = mlp(0);
    const before = Array.from(m.parameters()[0]!.data);
    const src = mlp(1).stateDict();
    delete src['0.bias'];
    delete src['2.bias'];
    src['3.weight'] = zeros([2, 2]);
    src['2.weight'] = zeros([8, 2]);
    let error: unknown;
    try {
      m.loadStateDict(src);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StateDictError);
    const msg = (error as Error).message;
    expect(msg).toContain('loadStateDict: Sequential state dict does not match');
    expect(msg).toContain('missing keys (2): 0.bias, 2.bias');
    expect(msg).toContain('unexpected keys (1): 3.weight');
    expect(msg).toContain('2.weight: expected float32 [2, 8], got float32 [8, 2]');
    expect(Array.from(m.parameters()[0]!.data)).toEqual(before);
  });

  it('reports a wrong dtype', () => {
    const m = new Encoder();
    const sd = new Encoder().stateDict();
    sd.steps = zeros([1]);
    expect(() => m.loadStateDict(sd)).toThrow('steps: expected int32 [1], got float32 [1]');
  });

  it('non-strict load takes what matches and returns the rest', () => {
    const m = mlp(0);
    const src = mlp(1).stateDict();
    const w0 = Array.from(src['0.weight']!.data);
    const b2 = Array.from(m.stateDict()['2.bias']!.data);
    delete src['2.bias'];
    src.extra = ones([1]);
    const result = m.loadStateDict(src, { strict: false });
    expect(result).toEqual({ missingKeys: ['2.bias'], unexpectedKeys: ['extra'] });
    expect(Array.from(m.stateDict()['0.weight']!.data)).toEqual(w0);
    expect(Array.from(m.stateDict()['2.bias']!.data)).toEqual(b2);
    // A wrong shape is an error even when not strict.
    src['0.weight'] = zeros([1, 1]);
    expect(() => m.loadStateDict(src, { strict: false })).toThrow(StateDictError);
  });

  it('train() and eval() switch every descendant and return the module', () => {
    const m = new Sequential(new Linear(2, 2), new Sequential(new Dropout(0.5), new Tanh()));
    expect(m.modules().every((x) => x.training)).toBe(true);
    expect(m.eval()).toBe(m);
    expect(m.modules().map((x) => x.training)).toEqual([false, false, false, false, false]);
    m.train();
    expect(m.modules().every((x) => x.training)).toBe(true);
    m.train(false);
    expect(m.training).toBe(false);
  });

  it('zeroGrad zeroes gradients in place, or drops them with setToNone', () => {
    const m = mlp(0);
    m.forward(randn([2, 4])).sum().backward();
    const g = m.parameters()[0]!.grad!;
    expect(g.data.some((v) => v !== 0)).toBe(true);
    m.zeroGrad();
    expect(m.parameters()[0]!.grad).toBe(g);
    expect(g.data.every((v) => v === 0)).toBe(true);
    m.zeroGrad(true);
    expect(m.parameters().every((p) => p.grad === null)).toBe(true);
  });

  it('apply visits children before their parent, each module once', () => {
    const inner = new Sequential(new Tanh());
    const m = new Sequential(new Linear(1, 1), inner, inner);
    const seen: string[] = [];
    expect(m.apply((x) => seen.push(x.constructor.name))).toBe(m);
    expect(seen).toEqual(['Linear', 'Tanh', 'Sequential', 'Sequential']);
    expect(m.namedModules().map(([n]) => n)).toEqual(['', '0', '1', '1.0']);
  });

  it('terminates on reference cycles', () => {
    class Child extends Module {
      parent: Module | null = null;
      lin = new Linear(1, 1);
      forward(): void {}
    }
    class Parent extends Module {
      child = new Child();
      constructor() {
        super();
        this.child.parent = this;
      }
      forward(): void {}
    }
    const p = new Parent();
    expect(p.namedModules().map(([n]) => n)).toEqual(['', 'child', 'child.lin']);
    expect(Object.keys(p.stateDict())).toEqual(['child.lin.weight', 'child.lin.bias']);
    let calls = 0;
    p.apply(() => calls++);
    expect(calls).toBe(3);
  });
});
