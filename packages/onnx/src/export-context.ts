import type { Module, Tensor } from '@elman/core';
import { OnnxExportError, UnsupportedModuleError } from './errors.js';
import type { GraphBuilder, OnnxAttribute, OnnxValue, OnnxValueSpec } from './graph-builder.js';
import { onnxExporterFor, registeredModuleNames } from './registry.js';

function join(prefix: string, name: string): string {
  return prefix === '' ? name : name === '' ? prefix : `${prefix}.${name}`;
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
   * exporter registered for its class, and returns its outputs.
   *
   * @throws UnsupportedModuleError when no exporter is registered for the module's class.
   */
  exportModule(name: string, module: Module, inputs: readonly OnnxValue[]): OnnxValue[] {
    const path = join(this.path, name);
    const exporter = onnxExporterFor(module);
    if (!exporter) {
      const cls = module.constructor.name;
      throw new UnsupportedModuleError(
        `exportOnnx: no ONNX exporter for module '${path}' (${cls}); exporters exist for ${registeredModuleNames().join(', ')}; ` +
          `register one with registerOnnxExporter(${cls}, exporter)`,
      );
    }
    const out = exporter(new OnnxExportContext(this.#graph, path), module, inputs);
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
