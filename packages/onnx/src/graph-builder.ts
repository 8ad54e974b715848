import type { Tensor } from '@elman/core';
import type { onnx as OnnxTypes } from 'onnx-proto';
import { OnnxExportError } from './errors.js';
import { onnx } from './proto.js';
import { type OnnxDType, elemTypeOf, tensorToProto } from './tensor-proto.js';

/** One axis of an ONNX value: a fixed size, or the name of a size chosen at run time (a `dim_param`). */
export type OnnxDim = number | string;

/** What a node output will hold: its element type and (possibly symbolic) shape. */
export interface OnnxValueSpec {
  /** Element type. */
  readonly dtype: OnnxDType;
  /** Axes, outermost first; strings are dynamic axes (`'batch'`). */
  readonly shape: readonly OnnxDim[];
}

/** A named value of the graph being built (graph input, initializer or node output) with its type and shape. */
export interface OnnxValue extends OnnxValueSpec {
  /** The ONNX value name other nodes refer to. */
  readonly name: string;
}

/**
 * A node attribute, tagged with its ONNX type because a JavaScript number does not say whether it is an int or a
 * float: `{ int: 1 }`, `{ float: 1e-5 }`, `{ ints: [1, 0] }`, `{ floats: [...] }`, `{ string: 'tanh' }`,
 * `{ strings: [...] }` or `{ tensor: t }`.
 */
export type OnnxAttribute =
  | {
      /** An INT attribute (`transB`, `axis`). */
      readonly int: number;
    }
  | {
      /** A FLOAT attribute (`epsilon`, `alpha`). */
      readonly float: number;
    }
  | {
      /** An INTS attribute (`perm`, `axes`). */
      readonly ints: readonly number[];
    }
  | {
      /** A FLOATS attribute (`activation_alpha`). */
      readonly floats: readonly number[];
    }
  | {
      /** A STRING attribute (`direction`, `approximate`), stored as UTF-8. */
      readonly string: string;
    }
  | {
      /** A STRINGS attribute (`activations`). */
      readonly strings: readonly string[];
    }
  | {
      /** A TENSOR attribute (`Constant`'s `value`). */
      readonly tensor: Tensor;
    };

const AttributeType = onnx.AttributeProto.AttributeType;
const utf8 = new TextEncoder();

function attributeProto(name: string, a: OnnxAttribute): OnnxTypes.AttributeProto {
  if ('int' in a) return onnx.AttributeProto.create({ name, type: AttributeType.INT, i: a.int });
  if ('float' in a) return onnx.AttributeProto.create({ name, type: AttributeType.FLOAT, f: a.float });
  if ('ints' in a) return onnx.AttributeProto.create({ name, type: AttributeType.INTS, ints: [...a.ints] });
  if ('floats' in a) return onnx.AttributeProto.create({ name, type: AttributeType.FLOATS, floats: [...a.floats] });
  if ('string' in a) return onnx.AttributeProto.create({ name, type: AttributeType.STRING, s: utf8.encode(a.string) });
  if ('strings' in a) {
    return onnx.AttributeProto.create({ name, type: AttributeType.STRINGS, strings: a.strings.map((s) => utf8.encode(s)) });
  }
  return onnx.AttributeProto.create({ name, type: AttributeType.TENSOR, t: tensorToProto('', a.tensor) });
}

/** A graph input or output declaration: element type and shape, dynamic axes as `dim_param`. */
function valueInfoProto(name: string, spec: OnnxValueSpec): OnnxTypes.ValueInfoProto {
  const dim = spec.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: elemTypeOf(spec.dtype), shape: { dim } } } });
}

/** A graph output to declare: the value computed by the graph and the public name and shape it gets. */
export interface GraphOutput {
  /** The value to expose. */
  value: OnnxValue;
  /** Its name in the model (what `session.run` returns it under). */
  name: string;
  /** Declared shape (the value's own, with dynamic axes applied). */
  shape: readonly OnnxDim[];
}

/**
 * Accumulates the nodes, initializers and inputs of one ONNX graph in topological order (each node is added after
 * the values it reads exist) and hands out unique value and node names.
 */
export class GraphBuilder {
  /** The `ai.onnx` opset the graph targets. */
  readonly opset: number;
  readonly #nodes: OnnxTypes.NodeProto[] = [];
  readonly #initializers: OnnxTypes.TensorProto[] = [];
  readonly #inputs: OnnxValue[] = [];
  /** Every value name in use (inputs, initializers, node outputs). */
  readonly #valueNames = new Set<string>();
  readonly #nodeNames = new Set<string>();
  /** Initializers by tensor storage, so a parameter shared by two modules (tied weights) is stored once. */
  readonly #initializerOf = new Map<Float32Array | Int32Array, OnnxValue>();
  /** Value name → the node that produces it. */
  readonly #producer = new Map<string, OnnxTypes.NodeProto>();

  /** Starts an empty graph for `opset`. */
  constructor(opset: number) {
    this.opset = opset;
  }

  /** Declares a graph input; its name must be new. */
  addInput(name: string, spec: OnnxValueSpec): OnnxValue {
    if (name === '' || this.#valueNames.has(name)) throw new OnnxExportError(`exportOnnx: input name '${name}' is empty or already used`);
    this.#valueNames.add(name);
    const value = { name, dtype: spec.dtype, shape: [...spec.shape] };
    this.#inputs.push(value);
    return value;
  }

  /**
   * Stores `tensor` as an initializer named `name` (made unique with a `_1`, `_2`, … suffix if taken) and returns
   * its value; the same storage added again returns the first value.
   */
  addInitializer(name: string, tensor: Tensor): OnnxValue {
    const known = this.#initializerOf.get(tensor.data);
    if (known && known.shape.length === tensor.rank && known.shape.every((d, i) => d === tensor.shape[i])) return known;
    const unique = this.#claimValueName(name);
    this.#initializers.push(tensorToProto(unique, tensor));
    const value: OnnxValue = { name: unique, dtype: tensor.dtype, shape: [...tensor.shape] };
    this.#initializerOf.set(tensor.data, value);
    return value;
  }

  /**
   * Appends a node `opType` named after `scope` (`/0/Gemm`, `/0/Gemm_1`, …) reading `inputs` (null for an omitted
   * optional input) and returns its outputs, named `<node>_output_<k>`.
   */
  addNode(
    scope: string,
    opType: string,
    inputs: readonly (OnnxValue | null)[],
    outputs: readonly OnnxValueSpec[],
    attributes: Readonly<Record<string, OnnxAttribute>> = {},
  ): OnnxValue[] {
    const base = `/${scope === '' ? '' : `${scope.replaceAll('.', '/')}/`}${opType}`;
    let nodeName = base;
    for (let k = 1; this.#nodeNames.has(nodeName); k++) nodeName = `${base}_${k}`;
    this.#nodeNames.add(nodeName);
    const values = outputs.map((spec, k) => ({
      name: this.#claimValueName(`${nodeName}_output_${k}`),
      dtype: spec.dtype,
      shape: [...spec.shape],
    }));
    const node = onnx.NodeProto.create({
      name: nodeName,
      opType,
      input: inputs.map((v) => v?.name ?? ''),
      output: values.map((v) => v.name),
      attribute: Object.entries(attributes).map(([name, a]) => attributeProto(name, a)),
    });
    this.#nodes.push(node);
    for (const v of values) this.#producer.set(v.name, node);
    return values;
  }

  /**
   * The finished GraphProto. Each output value is renamed to its public name where it is a node output (so the
   * node writes the model output directly); a graph input, an initializer or a value exposed twice gets an
   * `Identity` node instead.
   */
  toGraph(name: string, outputs: readonly GraphOutput[]): OnnxTypes.GraphProto {
    // Internal value name → the output name it was renamed to.
    const renamed = new Map<string, string>();
    const declared: OnnxTypes.ValueInfoProto[] = [];
    for (const out of outputs) {
      if (this.#valueNames.has(out.name)) {
        throw new OnnxExportError(`exportOnnx: output name '${out.name}' is already used by an input, an initializer or a node`);
      }
      const current = renamed.get(out.value.name);
      const producer = this.#producer.get(out.value.name);
      if (current === undefined && producer) {
        this.#rename(producer, out.value.name, out.name);
        renamed.set(out.value.name, out.name);
      } else {
        const source = { ...out.value, name: current ?? out.value.name };
        const [copy] = this.addNode('', 'Identity', [source], [out.value]);
        this.#rename(this.#producer.get(copy!.name)!, copy!.name, out.name);
      }
      this.#valueNames.add(out.name);
      declared.push(valueInfoProto(out.name, { dtype: out.value.dtype, shape: out.shape }));
    }
    return onnx.GraphProto.create({
      name,
      node: this.#nodes,
      initializer: this.#initializers,
      input: this.#inputs.map((v) => valueInfoProto(v.name, v)),
      output: declared,
    });
  }

  /** Renames the output `from` of `producer` to `to`, in every node that reads it too. */
  #rename(producer: OnnxTypes.NodeProto, from: string, to: string): void {
    producer.output = producer.output.map((n) => (n === from ? to : n));
    for (const node of this.#nodes) node.input = node.input.map((n) => (n === from ? to : n));
    this.#producer.delete(from);
    this.#producer.set(to, producer);
  }

  #claimValueName(base: string): string {
    let name = base;
    for (let k = 1; this.#valueNames.has(name); k++) name = `${base}_${k}`;
    this.#valueNames.add(name);
    return name;
  }
}
