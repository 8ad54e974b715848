import { Linear, SerializationError, Sequential, Tanh, manualSeed, randn } from '@elman/core';
import type { onnx as OnnxTypes } from 'onnx-proto';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkOnnxModel } from './check-model.js';
import { exportOnnx } from './export-onnx.js';
import { type Decoded, present, decode, encode, loadOrt } from './ort.test-helper.js';
import { onnx } from './proto.js';

let valid: Uint8Array;

type Model = Decoded<OnnxTypes.IModelProto>;

/** The valid model, changed by `edit` and re-encoded. */
function broken(edit: (m: Model) => void): Uint8Array {
  const m = decode(valid);
  edit(m);
  return encode(m);
}

describe('checkOnnxModel', () => {
  beforeAll(() => {
    manualSeed(5);
    valid = exportOnnx(new Sequential(new Linear(3, 4), new Tanh(), new Linear(4, 2)), randn([2, 3]), {
      dynamicAxes: { input: { 0: 'batch' } },
    });
  });

  it('finds no problem in an exported model', () => {
    expect(checkOnnxModel(valid)).toEqual([]);
  });

  // The last column says who enforces the rule: 'ort' when onnxruntime-node also refuses to load such a model,
  // 'checker' for onnx.checker rules that onnxruntime tolerates (it sorts nodes itself, defaults the opset, …).
  it.each<[string, (m: Model) => void, string, 'ort' | 'checker']>([
    ['no IR version', (m) => (m.irVersion = 0), 'ir_version must be ≥ 3 (opset imports exist from IR 3), got 0', 'checker'],
    ['no default opset', (m) => (m.opsetImport = [{ domain: 'com.example', version: 1 }]), "opset_import has no entry for the default domain ('' = ai.onnx)", 'checker'],
    ['an opset imported twice', (m) => m.opsetImport.push({ domain: 'ai.onnx', version: 17 }), "opset_import lists domain '' twice", 'checker'],
    ['a node from a domain not imported', (m) => (m.graph.node[1]!.domain = 'com.microsoft'), "node 1 (Tanh '/1/Tanh') uses domain 'com.microsoft', which opset_import does not import", 'ort'],
    ['nodes out of topological order', (m) => m.graph.node.reverse(), "node 0 (Gemm '/2/Gemm') reads '/1/Tanh_output_0', which is not a graph input, an initializer or an earlier node's output", 'checker'],
    ['an input nobody defines', (m) => (m.graph.node[0]!.input[0] = 'nope'), "node 0 (Gemm '/0/Gemm') reads 'nope', which is not a graph input, an initializer or an earlier node's output", 'ort'],
    ['a value assigned twice', (m) => (m.graph.node[1]!.output[0] = '/0/Gemm_output_0'), "node 1 (Tanh '/1/Tanh') output '/0/Gemm_output_0' reuses a name already defined (values are assigned once)", 'ort'],
    ['duplicate node names', (m) => (m.graph.node[2]!.name = '/0/Gemm'), "node 2 (Gemm '/0/Gemm'): node name used twice", 'ort'],
    ['duplicate initializer names', (m) => m.graph.initializer.push(m.graph.initializer[0]!), "initializer name '0.weight' is used twice", 'checker'],
    ['an initializer whose data disagrees with its dims', (m) => (m.graph.initializer[0]!.dims = [4, 4]), "initializer '0.weight' (FLOAT) holds 12 values but its dims [4, 4] need 16", 'ort'],
    ['an initializer without element type', (m) => (m.graph.initializer[1]!.dataType = 0), "initializer '0.bias' has no element type", 'ort'],
    ['an initializer that is also a graph input of another shape', (m) => m.graph.input.push(present(onnx.ValueInfoProto.create({ name: '0.bias', type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 5 }] } } } }))), "initializer '0.bias' disagrees with the graph input of the same name", 'ort'],
    ['an untyped graph input', (m) => ((m.graph.input[0] as OnnxTypes.IValueInfoProto).type = null), "graph input 'input' has no tensor type", 'ort'],
    ['a negative input size', (m) => (m.graph.input[0]!.type.tensorType.shape.dim[1]!.dimValue = -3), "graph input 'input' has a negative size -3 on axis 1", 'checker'],
    ['an output nobody produces', (m) => (m.graph.output[0]!.name = 'ghost'), "graph output 'ghost' is not produced by any node, input or initializer", 'ort'],
    ['an output without element type', (m) => (m.graph.output[0]!.type.tensorType.elemType = 0), "graph output 'output' has no element type", 'ort'],
    ['no outputs', (m) => (m.graph.output = []), 'the graph has no outputs', 'checker'],
    ['a graph without name', (m) => (m.graph.name = ''), 'the graph has no name', 'checker'],
    ['a node without op type', (m) => (m.graph.node[1]!.opType = ''), "node 1 (? '/1/Tanh') has no op_type", 'ort'],
    ['an attribute without type', (m) => (m.graph.node[0]!.attribute[0]!.type = 0), "node 0 (Gemm '/0/Gemm'): attribute 'transB' has no type", 'ort'],
    ['an attribute set twice', (m) => m.graph.node[0]!.attribute.push(m.graph.node[0]!.attribute[0]!), "node 0 (Gemm '/0/Gemm') sets attribute 'transB' twice", 'ort'],
    ['a tensor attribute without tensor', (m) => (m.graph.node[0]!.attribute[0]!.type = onnx.AttributeProto.AttributeType.TENSOR), "node 0 (Gemm '/0/Gemm'): attribute 'transB' of type TENSOR has no value", 'ort'],
  ])('reports %s', async (_, edit, problem, enforcedBy) => {
    const bytes = broken(edit);
    expect(checkOnnxModel(bytes)).toContain(problem);
    if (enforcedBy === 'ort') await expect(loadOrt(bytes)).rejects.toThrow();
  });

  it('reports a missing graph', () => {
    expect(checkOnnxModel(broken((m) => ((m as OnnxTypes.IModelProto).graph = null)))).toContain('the model has no graph');
  });

  it('throws SerializationError for bytes that are not a ModelProto', () => {
    expect(() => checkOnnxModel(new Uint8Array([0xff, 0xff, 0xff]))).toThrow(SerializationError);
    expect(() => checkOnnxModel(valid.subarray(0, valid.length - 7))).toThrow(/checkOnnxModel: \d+ bytes are not an ONNX ModelProto/);
    expect(() => checkOnnxModel('model.onnx' as unknown as Uint8Array)).toThrow(/expected the model as a Uint8Array, got string/);
  });
});
