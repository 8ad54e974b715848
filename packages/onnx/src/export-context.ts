import { type Module, Tensor } from '@elman/core';
import { OnnxExportError, UnsupportedModuleError } from './errors.js';
import type { GraphBuilder, OnnxAttribute, OnnxValue, OnnxValueSpec } from './graph-builder.js';
import { type OnnxForwardOptions, onnxExporterFor, registeredModuleNames } from './registry.js';

/**
 * What is missing for modules of this repository that have no exporter, by class name, so the error says what to
 * export instead.
 */
const MISSING: Readonly<Record<string, string>> = {
  RNNCell: 'a single cell step has no exporter; export the sequence layer RNN, which holds the same weights',
  LSTMCell: 'a single cell step has no exporter; export the sequence layer LSTM, which holds the same weights',
  GRUCell: 'a single cell step has no exporter; export the sequence layer GRU, which holds the same weights',
  TreeRNN: 'recursion over tree structures has no ONNX equivalent (the graph would differ per tree)',
  ChildSumTreeLSTM: 'recursion over tree structures has no ONNX equivalent (the graph would differ per tree)',
  NaryTreeLSTM: 'recursion over tree structures has no ONNX equivalent (the graph would differ per tree)',
  Seq2Seq: 'decoding loops (teacher forcing, greedy, beam search) are not exported; export its encoder (an Encoder)',
  AttentionDecoder: 'its step-by-step decoding loop is not exported; export the Encoder',
  BahdanauAttention: "seq2seq's attention modules are not exported; MultiheadAttention (@elman/transformer) is",
  LuongAttention: "seq2seq's attention modules are not exported; MultiheadAttention (@elman/transformer) is",
  ScaledDotProductAttention: "seq2seq's attention modules are not exported; MultiheadAttention (@elman/transformer) is",
  CosineAttention: "seq2seq's attention modules are not exported; MultiheadAttention (@elman/transformer) is",
};

function join(prefix: string, name: string): string {
  return prefix === '' ? name : name === '' ? prefix : `${prefix}.${name}`;
}

/** The error for a module without a registered exporter at `path`, saying what is missing. */
export function unsupportedModule(path: string, module: Module): UnsupportedModuleError {
  const cls = module.constructor.name;
  const missing = Object.hasOwn(MISSING, cls) ? `${MISSING[cls]}; ` : '';
  return new UnsupportedModuleError(
    `exportOnnx: no ONNX exporter for module '${path}' (${cls}); ${missing}exporters exist for ${registeredModuleNames().join(', ')}; ` +
      `register one with registerOnnxExporter(${cls}, exporter)`,
  );
}

/**
 * What an exporter sees while it writes one module into the ONNX graph: the target opset, the module's dotted
 * path (its state-dict prefix) and methods that add initializers, constants and nodes named after that path, and
 * that export submodules through their own registered exporters.
 */
export class OnnxExportContext {
  /** The `ai.onnx` opset being written; exporters pick ops by it (e.g. `Gelu` from opset 20). */
  readonly opset: number;
  /** Dotted path of the module being exported (`''` for the root, `'0'`, `'encoder.layers.1'`, …). */
  readonly path: string;
  readonly #graph: GraphBuilder;

  /** @internal Exporters receive a context; they never build one. */
  constructor(graph: GraphBuilder, path: string) {
    this.#graph = graph;
    this.opset = graph.opset;
    this.path = path;
  }

  /**
   * Stores `tensor` as an initializer named `<path>.<name>`: for a parameter, pass its state-dict name (`'weight'`)
   * so the initializer carries the PyTorch state-dict key (`0.weight`) and {@link importOnnxWeights} finds it.
   */
  initializer(name: string, tensor: Tensor): OnnxValue {
    return this.#graph.addInitializer(join(this.path, name), tensor);
  }

  /** A `Constant` node holding `tensor` (numbers an op needs that are not weights, so they stay out of the state dict). */
  constant(tensor: Tensor): OnnxValue {
    return this.op('Constant', [], { dtype: tensor.dtype, shape: [...tensor.shape] }, { value: { tensor } });
  }

  /**
   * A `Constant` node holding the 1-D int64 tensor `values` (`value_ints`, opset ≥ 12): the shape and axes operands
   * of ops such as `Reshape`, which accept int64 only.
   */
  int64s(values: readonly number[]): OnnxValue {
    return this.op('Constant', [], { dtype: 'int64', shape: [values.length] }, { value_ints: { ints: values } });
  }

  /** A `Constant` node holding the float32 scalar `value` (a factor such as 1/√d, or `-Infinity` for masks). */
  floatScalar(value: number): OnnxValue {
    return this.constant(new Tensor(new Float32Array([value]), []));
  }

  /** A `Constant` node holding the int64 scalar `value` (`value_int`): the bounds of `Range`, the index of a `Gather`. */
  int64Scalar(value: number): OnnxValue {
    return this.op('Constant', [], { dtype: 'int64', shape: [] }, { value_int: { int: value } });
  }

  /** Adds a node with several outputs (null inputs are omitted optional inputs) and returns the outputs. */
  node(
    opType: string,
    inputs: readonly (OnnxValue | null)[],
    outputs: readonly OnnxValueSpec[],
    attributes: Readonly<Record<string, OnnxAttribute>> = {},
  ): OnnxValue[] {
    return this.#graph.addNode(this.path, opType, inputs, outputs, attributes);
  }

  /** Adds a node with one output and returns it. */
  op(
    opType: string,
    inputs: readonly (OnnxValue | null)[],
    output: OnnxValueSpec,
    attributes: Readonly<Record<string, OnnxAttribute>> = {},
  ): OnnxValue {
    return this.node(opType, inputs, [output], attributes)[0]!;
  }

  /**
   * Exports `module`, the child `name` of the current module (`''` for the current path itself), with the
   * exporter registered for its class, and returns its outputs. `options` is what its `forward` would receive as
   * options (graph values for tensors), e.g. the masks a transformer layer hands to its attention.
   *
   * @throws UnsupportedModuleError when no exporter is registered for the module's class.
   */
  exportModule(name: string, module: Module, inputs: readonly OnnxValue[], options: OnnxForwardOptions = {}): OnnxValue[] {
    const path = join(this.path, name);
    const exporter = onnxExporterFor(module);
    if (!exporter) {
      throw unsupportedModule(path, module);
    }
    const out = exporter(new OnnxExportContext(this.#graph, path), module, inputs, options);
    return Array.isArray(out) ? [...out] : [out as OnnxValue];
  }

  /** An {@link UnsupportedModuleError} for `module` at this path saying what is missing (for exporters to throw). */
  unsupported(module: Module, missing: string): UnsupportedModuleError {
    return new UnsupportedModuleError(`exportOnnx: ${module.constructor.name} at '${this.path}' ${missing}`);
  }

  /** The one input of a one-input module (`Linear`, activations, …), after checking there is exactly one. */
  single(module: Module, inputs: readonly OnnxValue[]): OnnxValue {
    if (inputs.length !== 1) {
      throw new OnnxExportError(`exportOnnx: ${module.constructor.name} at '${this.path}' takes 1 input, got ${inputs.length}`);
    }
    return inputs[0]!;
  }
}
