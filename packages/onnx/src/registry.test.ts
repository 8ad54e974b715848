import { Linear, Module, Parameter, Sequential, type Tensor, Tanh, add, manualSeed, mul, randn } from '@elman/core';
import { testBackends, useBackend } from '@elman/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { OnnxExportError } from './errors.js';
import { exportOnnx } from './export-onnx.js';
import { declaredDims, decode, loadOrt, maxAbsDiff, opTypes } from './ort.test-helper.js';
import { type OnnxExporter, registerOnnxExporter } from './registry.js';

/** A user module with its own parameter: y = x ⊙ factor. */
class Scale extends Module {
  factor: Parameter;
  constructor(n: number) {
    super();
    this.factor = Parameter.from(randn([n]));
  }
  forward(x: Tensor): Tensor {
    return mul(x, this.factor);
  }
}
const exportScale: OnnxExporter<Scale> = (ctx, m, inputs) => {
  const x = ctx.single(m, inputs); // [..., n]
  return ctx.op('Mul', [x, ctx.initializer('factor', m.factor)], x);
};
registerOnnxExporter(Scale, exportScale);

/** Two inputs, outputs as an object: {sum: a + b, both: [a ⊙ b, a]}. */
class Pair extends Module {
  forward(a: Tensor, b: Tensor): { sum: Tensor; both: Tensor[] } {
    return { sum: add(a, b), both: [mul(a, b), a] };
  }
}
registerOnnxExporter(Pair, (ctx, _m, [a, b]) => [ctx.op('Add', [a!, b!], a!), ctx.op('Mul', [a!, b!], a!), a!]);

/** Returns its input twice: the second graph output needs an Identity of the first. */
class Twice extends Module {
  forward(x: Tensor): Tensor[] {
    const y = mul(x, 2);
    return [y, y];
  }
}
registerOnnxExporter(Twice, (ctx, m, inputs) => {
  const x = ctx.single(m, inputs);
  const y = ctx.op('Add', [x, x], x);
  return [y, y];
});

/** One tensor out of forward, but an exporter that writes two graph outputs. */
class TwoOutputs extends Module {
  forward(x: Tensor): Tensor {
    return x;
  }
}
registerOnnxExporter(TwoOutputs, (ctx, m, inputs) => {
  const x = ctx.single(m, inputs);
  return [x, ctx.op('Neg', [x], x)];
});

/** An exporter that gets the output shape wrong, as a buggy custom exporter would. */
class Buggy extends Module {
  forward(x: Tensor): Tensor {
    return x.sum(-1);
  }
}
registerOnnxExporter(Buggy, (ctx, m, inputs) => {
  const x = ctx.single(m, inputs);
  return ctx.op('ReduceSum', [x], x, { keepdims: { int: 0 } });
});

class NotATensor extends Module {
  forward(): number {
    return 3;
  }
}
registerOnnxExporter(NotATensor, () => []);

describe.each(testBackends())('registerOnnxExporter (%s)', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
    manualSeed(3);
  });

  it('exports a user module with its exporter, alone and inside a Sequential', async () => {
    const m = new Sequential(new Linear(3, 5), new Scale(5), new Tanh());
    const bytes = exportOnnx(m, randn([2, 3]), { dynamicAxes: { input: { 0: 'batch' } } });
    expect(decode(bytes).graph.initializer.map((t) => t.name)).toEqual(['0.weight', '0.bias', '1.factor']);
    const x = randn([7, 3]);
    const ort = await loadOrt(bytes);
    expect(maxAbsDiff((await ort.run({ input: x })).output!, m.forward(x))).toBeLessThanOrEqual(1e-5);
    expect(decode(exportOnnx(new Scale(2), randn([2]))).graph.initializer[0]!.name).toBe('factor');
  });

  it('maps several inputs and the flattened forward outputs (objects, arrays, a graph input) to graph outputs', async () => {
    const m = new Pair();
    const [a, b] = [randn([2, 3]), randn([2, 3])];
    const bytes = exportOnnx(m, [a, b], { dynamicAxes: { input_0: { 0: 'n' }, input_1: { 0: 'n' } } });
    const ort = await loadOrt(bytes);
    expect([ort.inputNames, ort.outputNames]).toEqual([['input_0', 'input_1'], ['output_0', 'output_1', 'output_2']]);
    expect(declaredDims(bytes, 'output', 'output_2')).toEqual(['n', 3]);
    const [a2, b2] = [randn([5, 3]), randn([5, 3])];
    const got = await ort.run({ input_0: a2, input_1: b2 });
    const want = m.forward(a2, b2);
    expect(maxAbsDiff(got.output_0!, want.sum)).toBeLessThanOrEqual(1e-6);
    expect(maxAbsDiff(got.output_1!, want.both[0]!)).toBeLessThanOrEqual(1e-6);
    expect([...got.output_2!.data]).toEqual([...a2.data]);
    expect(opTypes(bytes)).toEqual(['Add', 'Mul', 'Identity']);
  });

  it('exposes one value under two output names through an Identity node', async () => {
    const bytes = exportOnnx(new Twice(), randn([4]), { outputNames: ['y', 'y_again'] });
    expect(opTypes(bytes)).toEqual(['Add', 'Identity']);
    const x = randn([4]);
    const got = await (await loadOrt(bytes)).run({ input: x });
    expect([...got.y_again!.data]).toEqual([...got.y!.data]);
    expect(maxAbsDiff(got.y!, mul(x, 2))).toBe(0);
  });

  it('rejects dynamic axes that bind one name to two different example sizes', () => {
    expect(() => exportOnnx(new Pair(), [randn([2, 3]), randn([2, 3])], { dynamicAxes: { input_0: { 0: 'n' }, input_1: { 1: 'n' } } })).toThrow(
      /dynamic axis 'n' has size 2 in one example input and 3 in 'input_1' \[2, 3\]/,
    );
  });

  it('catches an exporter whose graph disagrees with the forward, and forwards that return non-tensors', () => {
    expect(() => exportOnnx(new Buggy(), randn([2, 3]))).toThrow(
      new OnnxExportError(`exportOnnx: the exported graph gives output 'output' as float32 [2, 3] but the module's forward gives float32 [2] (a bug in the exporter)`),
    );
    expect(() => exportOnnx(new NotATensor(), [])).toThrow(/forward returned output = 3, which is not a tensor, an array or an object of tensors/);
  });

  it('replaces an exporter on re-registration; checks the input count of one-input modules and the output count of Sequential members', () => {
    registerOnnxExporter(Scale, (ctx, m) => ctx.single(m, []));
    try {
      expect(() => exportOnnx(new Scale(2), randn([2]))).toThrow(/Scale at '' takes 1 input, got 0/);
    } finally {
      registerOnnxExporter(Scale, exportScale);
    }
    // Sequential.forward itself refuses a member returning an array; an exporter returning two graph outputs for a
    // one-tensor member is caught by the Sequential exporter.
    expect(() => exportOnnx(new Sequential(new Linear(2, 2), new Twice() as unknown as Linear), randn([1, 2]))).toThrow(/Sequential: module 1 \(Twice\)/);
    const seq = new Sequential(new Linear(2, 2), new TwoOutputs());
    expect(() => exportOnnx(seq, randn([1, 2]))).toThrow(/module '1' of a Sequential returned 2 outputs; a Sequential chains one-output modules/);
  });
});
