import { beforeAll, describe, expect, it } from 'vitest';
import { tensor } from '../creation.js';
import { DTypeError, ShapeError, StateDictError, ValueError } from '../errors.js';
import { Generator } from '../random.js';
import { Tensor } from '../tensor.js';
import { testBackends, useBackend } from '../testing/index.js';
import { Adagrad } from './adagrad.js';
import { Adam } from './adam.js';
import { AdamW } from './adamw.js';
import type { Optimizer } from './optimizer.js';
import { RMSprop } from './rmsprop.js';
import { SGD } from './sgd.js';

/** Every optimizer with options that exercise all of its buffers. */
const makers: Array<[string, (p: Tensor[]) => Optimizer]> = [
  ['SGD', (p) => new SGD(p, { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01 })],
  ['Adam', (p) => new Adam(p, { lr: 0.05, amsgrad: true, weightDecay: 0.01 })],
  ['AdamW', (p) => new AdamW(p, { lr: 0.05, amsgrad: true })],
  ['RMSprop', (p) => new RMSprop(p, { lr: 0.01, momentum: 0.5, centered: true, weightDecay: 0.01 })],
  ['Adagrad', (p) => new Adagrad(p, { lr: 0.1, lrDecay: 0.05, initialAccumulatorValue: 0.1 })],
];

function params(seed: number): Tensor[] {
  const gen = new Generator(seed);
  return [
    new Tensor(gen.fillNormal(new Float32Array(6)), [2, 3], true),
    new Tensor(gen.fillNormal(new Float32Array(4)), [4], true),
  ];
}

/** Deterministic pseudo-gradients for step k. */
function setGrads(ps: Tensor[], k: number): void {
  const gen = new Generator(100 + k);
  for (const p of ps) p.grad = new Tensor(gen.fillNormal(new Float32Array(p.size)), p.shape);
}

function run(opt: Optimizer, ps: Tensor[], from: number, to: number): void {
  for (let k = from; k < to; k++) {
    setGrads(ps, k);
    opt.step();
  }
}

describe.each(testBackends())('Optimizer base (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  describe.each(makers)('%s state dict', (_name, make) => {
    it('3 steps, save, load into a new optimizer, 2 steps == 5 uninterrupted steps', () => {
      const straight = params(1);
      const ref = make(straight);
      run(ref, straight, 0, 5);

      const ps = params(1);
      const first = make(ps);
      run(first, ps, 0, 3);
      const saved = first.stateDict();
      // A checkpoint stores the parameters as they are now and the metadata as JSON.
      const resumedParams = ps.map((p) => new Tensor(p.f32.slice(), p.shape, true));
      const meta = JSON.parse(JSON.stringify(saved.meta)) as typeof saved.meta;
      // The saved buffers are copies: the first optimizer going on must not change them.
      run(first, ps, 3, 4);
      const resumed = make(resumedParams);
      resumed.loadStateDict({ state: saved.state, meta });
      run(resumed, resumedParams, 3, 5);

      resumedParams.forEach((p, i) => {
        expect([...p.f32]).toEqual([...straight[i]!.f32]);
      });
      expect(resumed.stateDict()).toEqual(ref.stateDict());
    });

    it('a fresh optimizer without the loaded state takes a different path', () => {
      const straight = params(1);
      run(make(straight), straight, 0, 5);
      const ps = params(1);
      run(make(ps), ps, 0, 3);
      run(make(ps), ps, 3, 5);
      expect([...ps[0]!.f32]).not.toEqual([...straight[0]!.f32]);
    });
  });

  it('stateDict copies buffers and lists hyperparameters with parameter indices', () => {
    const ps = params(2);
    const opt = new Adam([{ params: [ps[0]!] }, { params: [ps[1]!], lr: 0.5 }], { lr: 0.1, amsgrad: true });
    run(opt, ps, 0, 2);
    const sd = opt.stateDict();
    expect(sd.meta).toEqual({
      optimizer: 'Adam',
      paramGroups: [
        { lr: 0.1, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: true, params: [0] },
        { lr: 0.5, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: true, params: [1] },
      ],
      steps: { 0: 2, 1: 2 },
    });
    expect(Object.keys(sd.state).sort()).toEqual([
      '0.exp_avg',
      '0.exp_avg_sq',
      '0.max_exp_avg_sq',
      '1.exp_avg',
      '1.exp_avg_sq',
      '1.max_exp_avg_sq',
    ]);
    expect(sd.state['1.exp_avg']!.shape).toEqual([4]);
    const before = [...sd.state['0.exp_avg']!.f32];
    run(opt, ps, 2, 3);
    expect([...sd.state['0.exp_avg']!.f32]).toEqual(before);
  });

  it('loadStateDict restores hyperparameters, including a scheduled learning rate', () => {
    const ps = params(3);
    const a = new SGD(ps, { lr: 0.1, momentum: 0.9 });
    a.paramGroups[0]!.lr = 0.025;
    const b = new SGD(params(3), { lr: 0.1 });
    b.loadStateDict(a.stateDict());
    expect(b.paramGroups[0]!.lr).toBe(0.025);
    expect(b.paramGroups[0]!.momentum).toBe(0.9);
  });

  it('loadStateDict rejects a mismatched state dict and lists every problem', () => {
    const ps = params(4);
    const adam = new Adam(ps);
    run(adam, ps, 0, 1);
    const sd = adam.stateDict();
    expect(() => new AdamW(params(4)).loadStateDict(sd)).toThrow(/^AdamW\.loadStateDict: the state dict belongs to Adam$/);
    expect(() => new Adam([params(4)[0]!]).loadStateDict(sd)).toThrow(StateDictError);
    expect(() => new Adam([params(4)[0]!]).loadStateDict(sd)).toThrow(/param group 0 has 2 parameters, expected 1/);

    const broken = {
      state: { ...sd.state, '1.exp_avg': tensor([1, 2]), '0.momentum_buffer': tensor([0, 0, 0, 0, 0, 0]), '7.exp_avg': tensor([1]) },
      meta: sd.meta,
    };
    const target = new Adam(params(4));
    const before = target.stateDict();
    let message = '';
    try {
      target.loadStateDict(broken);
    } catch (err) {
      expect(err).toBeInstanceOf(StateDictError);
      message = (err as Error).message;
    }
    expect(message).toMatch(/'1\.exp_avg' is float32 \[2\], parameter is float32 \[4\]/);
    expect(message).toMatch(/unknown buffer '0\.momentum_buffer'/);
    expect(message).toMatch(/unexpected key '7\.exp_avg'/);
    expect(target.stateDict()).toEqual(before);

    const badGroup = { state: sd.state, meta: { ...sd.meta, paramGroups: [{ ...sd.meta.paramGroups[0]!, momentum: 0.9 }] } };
    expect(() => new Adam(params(4)).loadStateDict(badGroup)).toThrow(/unknown option 'momentum' in param group 0/);
    const badLr = { state: sd.state, meta: { ...sd.meta, paramGroups: [{ ...sd.meta.paramGroups[0]!, lr: -1 }] } };
    expect(() => new Adam(params(4)).loadStateDict(badLr)).toThrow(ValueError);
  });

  it('param groups take their own options and the defaults for the rest', () => {
    const [p, q] = params(5);
    const opt = new SGD([{ params: [p!], lr: 0.5 }, { params: [q!] }], { lr: 0.1, momentum: 0.9 });
    expect(opt.paramGroups.map((g) => [g.lr, g.momentum])).toEqual([
      [0.5, 0.9],
      [0.1, 0.9],
    ]);
    const r = tensor([1, 2, 3], undefined, { requiresGrad: true });
    opt.addParamGroup({ params: [r], momentum: 0 });
    expect(opt.paramGroups[2]!.lr).toBe(0.1);
    expect(() => opt.addParamGroup({ params: [r] })).toThrow(/^SGD: a parameter \[3\] appears more than once/);
    expect(() => new SGD([{ params: [p!], betas: [0.9, 0.99] } as never])).toThrow(/^SGD: unknown option 'betas'/);
  });

  it('rejects empty, mixed, int32 and duplicated parameter lists', () => {
    const [p, q] = params(6);
    expect(() => new Adam([])).toThrow(/^Adam: got an empty parameter list$/);
    expect(() => new Adam([{ params: [] }])).toThrow(/^Adam: param group 0 is empty$/);
    expect(() => new Adam([p!, { params: [q!] }] as never)).toThrow(/not a mix/);
    expect(() => new Adam([tensor([1, 2], undefined, { dtype: 'int32' })])).toThrow(DTypeError);
    expect(() => new Adam([p!, p!])).toThrow(/appears more than once/);
  });

  it('a mutated lr takes effect on the next step', () => {
    const p = tensor([1, 1], undefined, { requiresGrad: true });
    const opt = new SGD([p], { lr: 0.5 });
    p.grad = tensor([1, 2]);
    opt.step();
    opt.paramGroups[0]!.lr = 0.25;
    opt.step();
    expect([...p.f32]).toEqual([1 - 0.5 - 0.25, 1 - 1 - 0.5]);
  });

  it('skips parameters without a gradient and does not advance their state', () => {
    const [p, q] = params(7);
    const before = [...q!.f32];
    const opt = new Adam([p!, q!], { lr: 0.1 });
    p!.grad = tensor(new Float32Array(6).fill(1), [2, 3]);
    opt.step();
    opt.step();
    expect([...q!.f32]).toEqual(before);
    expect(opt.stateDict().meta.steps).toEqual({ 0: 2 });
  });

  it('follows parameters whose data is re-pointed into a shared slab', () => {
    const p = tensor([1, 2, 3], undefined, { requiresGrad: true });
    const opt = new SGD([p], { lr: 1 });
    const slab = new Float32Array(8);
    slab.set(p.f32, 2);
    p.data = slab.subarray(2, 5);
    p.grad = tensor([1, 1, 1]);
    opt.step();
    expect([...slab]).toEqual([0, 0, 0, 1, 2, 0, 0, 0]);
  });

  it('zeroGrad fills gradients with zero in place, or drops them with setToNone', () => {
    const [p, q] = params(8);
    const opt = new SGD([p!, q!]);
    setGrads([p!, q!], 0);
    const buf = p!.grad!.data;
    opt.zeroGrad();
    expect(p!.grad!.data).toBe(buf);
    expect([...buf].every((v) => v === 0)).toBe(true);
    opt.zeroGrad({ setToNone: true });
    expect(p!.grad).toBeNull();
    expect(q!.grad).toBeNull();
  });

  it('rejects a gradient whose size differs from its parameter', () => {
    const p = tensor([1, 2, 3], undefined, { requiresGrad: true });
    const opt = new RMSprop([p]);
    p.grad = tensor([1, 2]);
    expect(() => opt.step()).toThrow(ShapeError);
    expect(() => opt.step()).toThrow(/^RMSprop\.step: grad is \[2\] but its parameter is \[3\]$/);
  });
});
