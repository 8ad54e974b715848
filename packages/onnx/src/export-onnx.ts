import { ElmanError, type Module, Tensor, ValueError, fmtShape, noGrad } from '@elman/core';
import { checkModelProto } from './check-model.js';
import { OnnxExportError } from './errors.js';
import { OnnxExportContext, unsupportedModule } from './export-context.js';
import { GraphBuilder, type OnnxDim, type OnnxValue } from './graph-builder.js';
import { onnx } from './proto.js';
import { onnxExporterFor, onnxForwardFor } from './registry.js';
import { irVersionFor } from './versions.js';

/**
 * Axes whose size is chosen at run time, per input or output name (as `torch.onnx.export`'s `dynamic_axes`):
 * `{ input: { 0: 'batch', 1: 'time' } }` names them; `{ input: [0, 1] }` names them `input_dim0`, `input_dim1`.
 * Give two inputs' axes the same name when their sizes must agree. Output axes computed from dynamic input axes
 * are dynamic without being listed; listing an output axis renames (or makes dynamic) its declared size.
 */
export type DynamicAxes = Readonly<Record<string, Readonly<Record<number, string>> | readonly number[]>>;

/** Options of {@link exportOnnx}. */
export interface ExportOnnxOptions {
  /** The `ai.onnx` opset to target, in [{@link MIN_OPSET}, {@link MAX_OPSET}]; default 17. */
  opset?: number;
  /** Axes whose size varies at run time; every other axis is fixed to the example input's size. */
  dynamicAxes?: DynamicAxes;
  /** Names of the graph inputs; default `input` (one input) or `input_0`, `input_1`, …. */
  inputNames?: readonly string[];
  /** Names of the graph outputs; default `output` (one output) or `output_0`, `output_1`, …. */
  outputNames?: readonly string[];
  /** The graph's name; default the module's class name. */
  modelName?: string;
  /**
   * The options argument of the root module's `forward`, passed after the example inputs (torch.onnx.export's
   * kwargs), e.g. `{ srcKeyPaddingMask: mask, isCausal: true }` for a transformer encoder. A Tensor value becomes a
   * graph input named by its key, after the example inputs (list its dynamic axes under that name); any other value
   * is fixed in the graph. Default: none (forward receives only the example inputs).
   */
  forwardOptions?: Readonly<Record<string, unknown>>;
}

function defaultNames(kind: string, n: number): string[] {
  return n === 1 ? [kind] : Array.from({ length: n }, (_, i) => `${kind}_${i}`);
}

function checkNames(kind: string, names: readonly string[], count: number): void {
  if (names.length !== count) {
    throw new ValueError(`exportOnnx: ${kind}Names has ${names.length} names but the module has ${count} ${kind}(s)`);
  }
  for (const [i, name] of names.entries()) {
    if (typeof name !== 'string' || name === '') throw new ValueError(`exportOnnx: ${kind}Names[${i}] must be a non-empty string`);
    if (names.indexOf(name) !== i) throw new ValueError(`exportOnnx: ${kind}Names repeats '${name}'`);
  }
}

/** Appends the forward result's tensors in order: a tensor, an array's items, an object's property values. */
function flattenTensors(v: unknown, path: string, out: Tensor[]): void {
  if (v instanceof Tensor) {
    out.push(v);
  } else if (Array.isArray(v)) {
    for (const [i, item] of v.entries()) flattenTensors(item, `${path}[${i}]`, out);
  } else if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    for (const [k, item] of Object.entries(v)) flattenTensors(item, `${path}.${k}`, out);
  } else {
    throw new OnnxExportError(`exportOnnx: forward returned ${path} = ${String(v)}, which is not a tensor, an array or an object of tensors`);
  }
}

/** The module's eval-mode outputs on the example inputs, without touching the tape or its training flags. */
function referenceOutputs(module: Module, inputs: readonly Tensor[], options: Readonly<Record<string, unknown>> | undefined): Tensor[] {
  const modes = module.modules().map((m) => [m, m.training] as const);
  module.eval();
  try {
    const forward = module.forward as (...args: Tensor[]) => unknown;
    const custom = onnxForwardFor(module);
    const out: Tensor[] = [];
    let result: unknown;
    try {
      result = noGrad(() =>
        custom ? custom(module, inputs, options ?? {}) : forward.apply(module, options ? [...inputs, options as unknown as Tensor] : [...inputs]),
      );
    } catch (e) {
      // Elman's typed errors already name the op, the argument and the shapes; anything else (a TypeError from a
      // missing input) gets the module and the example inputs it was called with.
      if (e instanceof ElmanError) throw e;
      const shapes = inputs.map((t) => `${t.dtype} ${fmtShape(t.shape)}`).join(', ');
      throw new OnnxExportError(
        `exportOnnx: ${module.constructor.name}'s forward failed on the example inputs (${shapes}): ${e instanceof Error ? e.message : String(e)}`,
        { cause: e },
      );
    }
    flattenTensors(result, 'output', out);
    return out;
  } finally {
    for (const [m, training] of modes) m.training = training;
  }
}

/** The dynamic axes of one value as axis → name, validated against its rank. */
function axesOf(dynamicAxes: DynamicAxes, name: string, rank: number): Map<number, string> {
  const spec = dynamicAxes[name];
  const axes = new Map<number, string>();
  if (spec === undefined) return axes;
  const entries: [number, string][] = Array.isArray(spec)
    ? spec.map((a: number) => [a, `${name}_dim${a}`])
    : Object.entries(spec).map(([a, d]) => [Number(a), d as string]);
  for (const [axis, dim] of entries) {
    if (!(Number.isInteger(axis) && axis >= 0 && axis < rank)) {
      throw new ValueError(`exportOnnx: dynamicAxes.${name} names axis ${axis}, but '${name}' has rank ${rank}`);
    }
    if (typeof dim !== 'string' || dim === '') throw new ValueError(`exportOnnx: dynamicAxes.${name}[${axis}] must be a non-empty string`);
    axes.set(axis, dim);
  }
  return axes;
}

/**
 * Checks an exporter's output against the module's own output on the example inputs: same dtype and rank, fixed
 * axes equal, dynamic axes equal to the size bound to their name by the inputs (a name the inputs do not bind,
 * introduced by an exporter, matches any size).
 */
function checkAgainstReference(path: string, value: OnnxValue, ref: Tensor, sizes: ReadonlyMap<string, number>): void {
  const concrete = value.shape.map((d) => (typeof d === 'number' ? d : (sizes.get(d) ?? d)));
  const fits = concrete.length === ref.rank && concrete.every((d, i) => typeof d === 'string' || d === ref.shape[i]);
  if (value.dtype !== ref.dtype || !fits) {
    throw new OnnxExportError(
      `exportOnnx: the exported graph gives ${path} as ${value.dtype} [${concrete.join(', ')}] but the module's forward ` +
        `gives ${ref.dtype} ${fmtShape(ref.shape)} (a bug in the exporter)`,
    );
  }
}

/**
 * Exports a module's inference (eval-mode) computation as an ONNX model that onnxruntime runs in Node, browsers,
 * Python and C++. Like `torch.onnx.export`, it calls the module's `forward` on `exampleInputs` (in eval mode, off
 * the tape, restoring the training flags afterwards) and writes the graph with the exporter registered for each
 * module class: Linear, Embedding, Tanh, ReLU, Sigmoid, GELU, LayerNorm, Dropout (identity), Sequential (a
 * recurrent member passes on its `output`), the recurrent layers RNN, LSTM, GRU, the networks of `rnn()`, `lstm()`,
 * `gru()`, Bidirectional and Stacked (ONNX `RNN`/`LSTM`/`GRU` nodes; flat inputs `x`, optional states, optional
 * int32 `lengths`), the seq2seq Encoder, MultiheadAttention, the transformer encoder and decoder layers and
 * stacks, Transformer, CausalLM (whole-sequence logits) and the positional encodings (primitive ops; masks through
 * `forwardOptions`), plus any added with
 * {@link registerOnnxExporter}. Initializers carry the PyTorch state-dict names (`0.weight`), so
 * {@link importOnnxWeights} reads them back. The result passes {@link checkOnnxModel}.
 *
 * @example
 * ```ts run
 * import { Linear, Sequential, Tanh, randn } from '@elman/core';
 * import { checkOnnxModel, exportOnnx } from '@elman/onnx';
 *
 * const model = new Sequential(new Linear(4, 8), new Tanh(), new Linear(8, 2));
 * const bytes = exportOnnx(model, randn([1, 4]), { dynamicAxes: { input: { 0: 'batch' } } });
 * console.log(bytes.length, checkOnnxModel(bytes)); // … [] (no problems)
 * // bytes is an .onnx file: ort.InferenceSession.create(bytes) in onnxruntime, or write it to model.onnx
 * ```
 *
 * @param module - The model; every module in it needs a registered exporter.
 * @param exampleInputs - The forward's input tensor(s): they fix the inputs' dtypes and ranks and the sizes of
 *   axes not listed in `dynamicAxes`.
 * @param options - Opset, dynamic axes, input/output names and the graph name.
 * @returns The encoded ModelProto (the bytes of a `.onnx` file).
 * @throws UnsupportedModuleError naming the module path, class and what is missing when a module cannot be exported.
 * @throws ValueError for an unsupported opset, bad names or dynamic axes.
 */
export function exportOnnx(module: Module, exampleInputs: Tensor | readonly Tensor[], options: ExportOnnxOptions = {}): Uint8Array {
  const opset = options.opset ?? 17;
  const irVersion = irVersionFor('exportOnnx', opset);
  // Before running forward: a module without an exporter may not even take tensors (a tree net, a cell).
  if (!onnxExporterFor(module)) throw unsupportedModule('', module);
  const inputs = exampleInputs instanceof Tensor ? [exampleInputs] : [...exampleInputs];
  inputs.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new ValueError(`exportOnnx: exampleInputs[${i}] is not a Tensor`);
  });
  const exampleNames = options.inputNames ?? defaultNames('input', inputs.length);
  checkNames('input', exampleNames, inputs.length);
  const forwardOptions = options.forwardOptions;
  if (forwardOptions !== undefined && (typeof forwardOptions !== 'object' || forwardOptions === null || Array.isArray(forwardOptions))) {
    throw new ValueError(`exportOnnx: forwardOptions must be an object of forward options, got ${String(forwardOptions)}`);
  }
  // Tensor-valued forward options are graph inputs too, named by their keys, after the example inputs.
  const optionInputs = Object.entries(forwardOptions ?? {}).filter((e): e is [string, Tensor] => e[1] instanceof Tensor);
  const inputNames = [...exampleNames, ...optionInputs.map(([k]) => k)];
  for (const [k] of optionInputs) {
    if (exampleNames.includes(k)) throw new ValueError(`exportOnnx: forwardOptions.${k} is a tensor, so a graph input '${k}', but inputNames already has '${k}'`);
  }
  const refs = referenceOutputs(module, inputs, forwardOptions);
  const outputNames = options.outputNames ?? defaultNames('output', refs.length);
  checkNames('output', outputNames, refs.length);
  const dynamicAxes = options.dynamicAxes ?? {};
  for (const name of Object.keys(dynamicAxes)) {
    if (!inputNames.includes(name) && !outputNames.includes(name)) {
      throw new ValueError(
        `exportOnnx: dynamicAxes names '${name}', which is neither an input (${inputNames.join(', ')}) nor an output (${outputNames.join(', ')})`,
      );
    }
  }

  const graph = new GraphBuilder(opset);
  const sizes = new Map<string, number>();
  const allInputs = [...inputs, ...optionInputs.map(([, t]) => t)];
  const inputValues = allInputs.map((t, i) => {
    const name = inputNames[i]!;
    const axes = axesOf(dynamicAxes, name, t.rank);
    const shape: OnnxDim[] = t.shape.map((size, axis) => {
      const dim = axes.get(axis);
      if (dim === undefined) return size;
      const bound = sizes.get(dim);
      if (bound !== undefined && bound !== size) {
        throw new ValueError(`exportOnnx: dynamic axis '${dim}' has size ${bound} in one example input and ${size} in '${name}' ${fmtShape(t.shape)}`);
      }
      sizes.set(dim, size);
      return dim;
    });
    return graph.addInput(name, { dtype: t.dtype, shape });
  });

  const exporterOptions: Record<string, unknown> = { ...forwardOptions };
  optionInputs.forEach(([k], i) => {
    exporterOptions[k] = inputValues[inputs.length + i];
  });
  const outputs = new OnnxExportContext(graph, '').exportModule('', module, inputValues.slice(0, inputs.length), exporterOptions);
  if (outputs.length !== refs.length) {
    throw new OnnxExportError(`exportOnnx: the exported graph has ${outputs.length} outputs but the module's forward returns ${refs.length} tensors`);
  }
  const graphOutputs = outputs.map((value, i) => {
    const name = outputNames[i]!;
    checkAgainstReference(`output '${name}'`, value, refs[i]!, sizes);
    const axes = axesOf(dynamicAxes, name, value.shape.length);
    return { value, name, shape: value.shape.map((d, axis) => axes.get(axis) ?? d) };
  });

  const model = onnx.ModelProto.create({
    irVersion,
    opsetImport: [{ domain: '', version: opset }],
    producerName: '@elman/onnx',
    graph: graph.toGraph(options.modelName ?? module.constructor.name, graphOutputs),
  });
  const problems = checkModelProto(model);
  if (problems.length > 0) throw new OnnxExportError(`exportOnnx: the exported model is invalid:\n  ${problems.join('\n  ')}`);
  const bytes = onnx.ModelProto.encode(model).finish();
  // Under Node protobufjs returns a Buffer (pooled when small, and its `slice` shares memory): hand out a plain copy.
  return bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes);
}
