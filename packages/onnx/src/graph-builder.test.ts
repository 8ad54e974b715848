import { Tensor, randn } from '@elman/core';
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from './graph-builder.js';
import { present } from './ort.test-helper.js';
import { int64 } from './proto.js';

describe('GraphBuilder', () => {
  it('makes initializer names unique and stores shared storage once', () => {
    const g = new GraphBuilder(17);
    const [a, b] = [randn([2, 3]), randn([2, 3])];
    expect(g.addInitializer('w', a).name).toBe('w');
    expect(g.addInitializer('w', b).name).toBe('w_1');
    expect(g.addInitializer('other', a).name).toBe('w');
    expect(g.addInitializer('w', new Tensor(a.data, [3, 2]))).toEqual({ name: 'w_2', dtype: 'float32', shape: [3, 2] });
  });

  it('names nodes after the module path and op, and their outputs after the node', () => {
    const g = new GraphBuilder(17);
    const x = g.addInput('x', { dtype: 'float32', shape: ['batch', 3] });
    const [y] = g.addNode('encoder.0', 'Tanh', [x], [x]);
    const [z] = g.addNode('encoder.0', 'Tanh', [y!], [x]);
    const [r] = g.addNode('', 'Relu', [z!], [x]);
    expect([y!.name, z!.name, r!.name]).toEqual(['/encoder/0/Tanh_output_0', '/encoder/0/Tanh_1_output_0', '/Relu_output_0']);
    expect(y).toEqual({ name: '/encoder/0/Tanh_output_0', dtype: 'float32', shape: ['batch', 3] });
    const graph = present(g.toGraph('g', [{ value: r!, name: 'out', shape: r!.shape }]));
    expect(graph.node.map((n) => [n.name, n.input, n.output])).toEqual([
      ['/encoder/0/Tanh', ['x'], ['/encoder/0/Tanh_output_0']],
      ['/encoder/0/Tanh_1', ['/encoder/0/Tanh_output_0'], ['/encoder/0/Tanh_1_output_0']],
      ['/Relu', ['/encoder/0/Tanh_1_output_0'], ['out']],
    ]);
    expect(graph.output[0]!.type.tensorType.shape.dim.map((d) => d.dimParam || int64(d.dimValue))).toEqual(['batch', 3]);
  });

  it('encodes tagged attributes with their ONNX types and keeps omitted optional inputs empty', () => {
    const g = new GraphBuilder(17);
    const x = g.addInput('x', { dtype: 'float32', shape: [2] });
    g.addNode('', 'Op', [x, null, x], [x], {
      i: { int: 3 },
      f: { float: 0.5 },
      is: { ints: [1, 0] },
      fs: { floats: [0.25] },
      s: { string: 'tanh' },
      ss: { strings: ['a', 'b'] },
      t: { tensor: new Tensor(new Float32Array([1]), []) },
    });
    const node = present(g.toGraph('g', [])).node[0]!;
    expect(node.input).toEqual(['x', '', 'x']);
    const A = (name: string) => node.attribute.find((a) => a.name === name)!;
    expect([A('i').type, int64(A('i').i), A('f').type, A('f').f]).toEqual([2, 3, 1, 0.5]);
    expect([A('is').type, A('is').ints.map(int64), A('fs').type, A('fs').floats]).toEqual([7, [1, 0], 6, [0.25]]);
    expect([A('s').type, new TextDecoder().decode(A('s').s), A('ss').type, A('ss').strings.length]).toEqual([3, 'tanh', 8, 2]);
    expect([A('t').type, A('t').t.dims]).toEqual([4, []]);
  });

  it('rejects a repeated input name', () => {
    const g = new GraphBuilder(17);
    g.addInput('x', { dtype: 'float32', shape: [1] });
    expect(() => g.addInput('x', { dtype: 'float32', shape: [1] })).toThrow(/input name 'x' is empty or already used/);
  });
});
