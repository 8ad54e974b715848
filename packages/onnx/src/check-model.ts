import { fmtShape, sizeOf } from '@elman/core';
import type { onnx as OnnxTypes } from 'onnx-proto';
import { decodeModel } from './decode-model.js';
import { int64, onnx } from './proto.js';
import { elemTypeName } from './tensor-proto.js';

const DataType = onnx.TensorProto.DataType;
const AttributeType = onnx.AttributeProto.AttributeType;

// Bytes per element in raw_data, and the typed field that holds the values otherwise (onnx.proto's TensorProto).
const STORAGE: Partial<Record<number, [bytes: number, field: keyof OnnxTypes.ITensorProto]>> = {
  [DataType.FLOAT]: [4, 'floatData'],
  [DataType.DOUBLE]: [8, 'doubleData'],
  [DataType.INT64]: [8, 'int64Data'],
  [DataType.UINT64]: [8, 'uint64Data'],
  [DataType.INT32]: [4, 'int32Data'],
  [DataType.UINT32]: [4, 'uint64Data'],
  [DataType.INT16]: [2, 'int32Data'],
  [DataType.UINT16]: [2, 'int32Data'],
  [DataType.FLOAT16]: [2, 'int32Data'],
  [DataType.BFLOAT16]: [2, 'int32Data'],
  [DataType.INT8]: [1, 'int32Data'],
  [DataType.UINT8]: [1, 'int32Data'],
  [DataType.BOOL]: [1, 'int32Data'],
};

// The field each attribute type must fill (scalars may legitimately hold their default, so only messages and
// lists are checked for presence).
const ATTRIBUTE_FIELD: Partial<Record<number, keyof OnnxTypes.IAttributeProto>> = {
  [AttributeType.TENSOR]: 't',
  [AttributeType.GRAPH]: 'g',
  [AttributeType.SPARSE_TENSOR]: 'sparseTensor',
  [AttributeType.TYPE_PROTO]: 'tp',
};

function valueCount(t: OnnxTypes.ITensorProto): number | null {
  const storage = STORAGE[t.dataType ?? 0];
  if (!storage) return null;
  const [bytes, field] = storage;
  if (t.rawData && t.rawData.length > 0) return t.rawData.length / bytes;
  const typed = t[field] as ArrayLike<unknown> | null | undefined;
  return typed?.length ?? 0;
}

function checkValueInfo(where: string, v: OnnxTypes.IValueInfoProto, problems: string[]): void {
  const name = v.name ?? '';
  if (name === '') problems.push(`${where}: a value has no name`);
  const tensorType = v.type?.tensorType;
  if (!tensorType) {
    problems.push(`${where} '${name}' has no tensor type`);
    return;
  }
  if (!tensorType.elemType) problems.push(`${where} '${name}' has no element type`);
  for (const [i, d] of (tensorType.shape?.dim ?? []).entries()) {
    if (d.dimValue !== null && d.dimValue !== undefined && int64(d.dimValue) < 0) {
      problems.push(`${where} '${name}' has a negative size ${int64(d.dimValue)} on axis ${i}`);
    }
  }
}

function sameDims(t: OnnxTypes.ITensorProto, v: OnnxTypes.IValueInfoProto): boolean {
  const dims = (t.dims ?? []).map(int64);
  const declared = v.type?.tensorType?.shape?.dim;
  if (!declared) return true;
  return declared.length === dims.length && declared.every((d, i) => !d.dimValue || int64(d.dimValue) === dims[i]);
}

/** The rules of {@link checkOnnxModel} applied to a decoded ModelProto; returns the problems found. */
export function checkModelProto(model: OnnxTypes.IModelProto): string[] {
  const problems: string[] = [];
  if (!(int64(model.irVersion) >= 3)) problems.push(`ir_version must be ≥ 3 (opset imports exist from IR 3), got ${int64(model.irVersion)}`);
  const domains = new Map<string, number>();
  for (const o of model.opsetImport ?? []) {
    const domain = o.domain === 'ai.onnx' ? '' : (o.domain ?? '');
    const version = int64(o.version);
    if (domains.has(domain)) problems.push(`opset_import lists domain '${domain}' twice`);
    if (!(version >= 1)) problems.push(`opset_import of domain '${domain}' has version ${version}`);
    domains.set(domain, version);
  }
  if (!domains.has('')) problems.push(`opset_import has no entry for the default domain ('' = ai.onnx)`);
  const graph = model.graph;
  if (!graph) return [...problems, 'the model has no graph'];
  if (!graph.name) problems.push('the graph has no name');

  const defined = new Set<string>();
  const define = (name: string, what: string): void => {
    if (defined.has(name)) problems.push(`${what} '${name}' reuses a name already defined (values are assigned once)`);
    defined.add(name);
  };
  const inputs = new Map<string, OnnxTypes.IValueInfoProto>();
  for (const v of graph.input ?? []) {
    checkValueInfo('graph input', v, problems);
    define(v.name ?? '', 'graph input');
    inputs.set(v.name ?? '', v);
  }
  const initNames = new Set<string>();
  for (const t of graph.initializer ?? []) {
    const name = t.name ?? '';
    const dims = (t.dims ?? []).map(int64);
    if (name === '') problems.push('an initializer has no name');
    if (initNames.has(name)) problems.push(`initializer name '${name}' is used twice`);
    initNames.add(name);
    const input = inputs.get(name);
    if (input) {
      // From IR 4 an initializer may also be a graph input (a default the caller can override); types must agree.
      if (input.type?.tensorType?.elemType !== t.dataType || !sameDims(t, input)) {
        problems.push(`initializer '${name}' disagrees with the graph input of the same name`);
      }
    } else {
      define(name, 'initializer');
    }
    if (!t.dataType) problems.push(`initializer '${name}' has no element type`);
    if (dims.some((d) => d < 0)) problems.push(`initializer '${name}' has negative dims ${fmtShape(dims)}`);
    const count = valueCount(t);
    if (count !== null && t.dataLocation !== onnx.TensorProto.DataLocation.EXTERNAL && count !== sizeOf(dims)) {
      problems.push(`initializer '${name}' (${elemTypeName(t.dataType)}) holds ${count} values but its dims ${fmtShape(dims)} need ${sizeOf(dims)}`);
    }
  }

  const nodeNames = new Set<string>();
  for (const [k, node] of (graph.node ?? []).entries()) {
    const label = `node ${k} (${node.opType || '?'}${node.name ? ` '${node.name}'` : ''})`;
    if (!node.opType) problems.push(`${label} has no op_type`);
    if (node.name) {
      if (nodeNames.has(node.name)) problems.push(`${label}: node name used twice`);
      nodeNames.add(node.name);
    }
    const domain = node.domain === 'ai.onnx' ? '' : (node.domain ?? '');
    if (!domains.has(domain)) problems.push(`${label} uses domain '${domain}', which opset_import does not import`);
    for (const input of node.input ?? []) {
      if (input !== '' && !defined.has(input)) {
        problems.push(`${label} reads '${input}', which is not a graph input, an initializer or an earlier node's output`);
      }
    }
    const attrNames = new Set<string>();
    for (const a of node.attribute ?? []) {
      if (!a.name) problems.push(`${label} has an attribute without a name`);
      if (attrNames.has(a.name ?? '')) problems.push(`${label} sets attribute '${a.name}' twice`);
      attrNames.add(a.name ?? '');
      if (!a.type && !a.refAttrName) problems.push(`${label}: attribute '${a.name}' has no type`);
      const field = ATTRIBUTE_FIELD[a.type ?? 0];
      if (field && !a[field]) problems.push(`${label}: attribute '${a.name}' of type ${AttributeType[a.type!]} has no value`);
    }
    for (const output of node.output ?? []) if (output !== '') define(output, `${label} output`);
  }

  if ((graph.output ?? []).length === 0) problems.push('the graph has no outputs');
  for (const v of graph.output ?? []) {
    checkValueInfo('graph output', v, problems);
    if (!defined.has(v.name ?? '')) problems.push(`graph output '${v.name}' is not produced by any node, input or initializer`);
  }
  return problems;
}

/**
 * Checks ONNX model bytes against the structural rules of `onnx.checker`, most of which onnxruntime also enforces
 * when it loads a model: IR version and opset imports present and consistent, every node's domain imported, every node input
 * defined earlier (graph input, initializer or a previous node's output, so the nodes are in topological order),
 * every value assigned once, node and initializer names unique, initializer value counts equal to their dims,
 * graph inputs and outputs typed, every output produced. A model {@link exportOnnx} wrote always passes (export
 * runs the same check); use it on models edited by hand or produced elsewhere.
 *
 * @example
 * ```ts run
 * import { LayerNorm, Linear, Sequential, randn } from '@elman/core';
 * import { checkOnnxModel, exportOnnx } from '@elman/onnx';
 *
 * const bytes = exportOnnx(new Sequential(new Linear(6, 6), new LayerNorm(6)), randn([1, 6]));
 * console.log(checkOnnxModel(bytes)); // []: the graph is well formed (types, shapes, topological order, opset)
 * ```
 *
 * @param bytes - An encoded ModelProto (the contents of a `.onnx` file).
 * @returns The problems found, one sentence each naming the node, value or field; empty when the model is valid.
 * @throws SerializationError when the bytes are not a ModelProto at all.
 */
export function checkOnnxModel(bytes: Uint8Array): string[] {
  return checkModelProto(decodeModel('checkOnnxModel', bytes));
}
