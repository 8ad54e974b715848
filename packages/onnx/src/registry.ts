import { GRU, LSTM, RNN } from '@elman/cells';
import { Dropout, Embedding, GELU, LayerNorm, Linear, type Module, ReLU, Sequential, Sigmoid, Tanh, type Tensor } from '@elman/core';
import {
  CausalLM,
  LearnedPositionalEncoding,
  MultiheadAttention,
  SinusoidalPositionalEncoding,
  Transformer,
  TransformerDecoder,
  TransformerDecoderLayer,
  TransformerEncoder,
  TransformerEncoderLayer,
} from '@elman/transformer';
import { Encoder } from '@elman/seq2seq';
import { Bidirectional, RecurrentNetwork, Stacked } from '@elman/wrappers';
import type { OnnxExportContext } from './export-context.js';
import { exportGelu, exportRelu, exportSigmoid, exportTanh } from './exporters/activations.js';
import { bidirectionalForward, exportBidirectional } from './exporters/bidirectional.js';
import { exportDropout } from './exporters/dropout.js';
import { exportEmbedding } from './exporters/embedding.js';
import { exportLayerNorm } from './exporters/layer-norm.js';
import { exportLinear } from './exporters/linear.js';
import { exportRecurrentLayer, exportRecurrentNetwork, recurrentForward } from './exporters/recurrent.js';
import { exportMultiheadAttention, multiheadAttentionForward } from './exporters/multihead-attention.js';
import { exportLearnedPositionalEncoding, exportSinusoidalPositionalEncoding } from './exporters/positional-encoding.js';
import { encoderForward, exportEncoder } from './exporters/seq2seq-encoder.js';
import { exportSequential } from './exporters/sequential.js';
import { exportStacked, stackedForward } from './exporters/stacked.js';
import { exportTransformerDecoder, exportTransformerDecoderLayer } from './exporters/transformer-decoder.js';
import { exportTransformerEncoder, exportTransformerEncoderLayer } from './exporters/transformer-encoder.js';
import { exportCausalLM, exportTransformer } from './exporters/transformer-model.js';
import type { OnnxValue } from './graph-builder.js';

/**
 * The options argument of a module's `forward` as an exporter sees it (torch.onnx.export's kwargs): tensors are
 * graph values ({@link OnnxValue}: graph inputs, or values a parent exporter computed), everything else
 * (`isCausal: true`) is as the caller gave it and fixed in the graph.
 */
export type OnnxForwardOptions = Readonly<Record<string, unknown>>;

/**
 * Writes one module into the graph: receives the context, the module, the values of its inputs and its forward
 * options, adds initializers and nodes, and returns the values of its outputs, in the order its `forward` returns
 * them (a tensor; an array; or an object's tensors in property order, nested objects flattened).
 */
export type OnnxExporter<M extends Module = Module> = (
  ctx: OnnxExportContext,
  module: M,
  inputs: readonly OnnxValue[],
  options: OnnxForwardOptions,
) => OnnxValue | readonly OnnxValue[];

/** A module class (abstract or concrete) as a registry key. */
export type ModuleClass<M extends Module> = abstract new (...args: never[]) => M;

// biome-ignore lint/suspicious/noExplicitAny: the map pairs each class with an exporter for exactly that class.
const exporters = new Map<ModuleClass<Module>, OnnxExporter<any>>([
  [Linear, exportLinear],
  [Embedding, exportEmbedding],
  [Tanh, exportTanh],
  [ReLU, exportRelu],
  [Sigmoid, exportSigmoid],
  [GELU, exportGelu],
  [LayerNorm, exportLayerNorm],
  [Dropout, exportDropout],
  [Sequential, exportSequential],
  [RNN, exportRecurrentLayer],
  [LSTM, exportRecurrentLayer],
  [GRU, exportRecurrentLayer],
  [RecurrentNetwork, exportRecurrentNetwork],
  [Bidirectional, exportBidirectional],
  [Stacked, exportStacked],
  [Encoder, exportEncoder],
  [MultiheadAttention, exportMultiheadAttention],
  [TransformerEncoderLayer, exportTransformerEncoderLayer],
  [TransformerEncoder, exportTransformerEncoder],
  [TransformerDecoderLayer, exportTransformerDecoderLayer],
  [TransformerDecoder, exportTransformerDecoder],
  [Transformer, exportTransformer],
  [CausalLM, exportCausalLM],
  [SinusoidalPositionalEncoding, exportSinusoidalPositionalEncoding],
  [LearnedPositionalEncoding, exportLearnedPositionalEncoding],
]);

/**
 * Runs a module's forward on its flat graph inputs (as example tensors) and the `forwardOptions` given to
 * `exportOnnx` (tensors as tensors), and returns the outputs the graph computes (a tensor, an array or an object of
 * tensors), for modules whose forward takes more than tensors or returns more than tensors (a recurrence's
 * `forward(x, {state, lengths})` returning `{output, state, hiddenGradNorms}`).
 */
export type OnnxForward<M extends Module = Module> = (module: M, inputs: readonly Tensor[], options: Readonly<Record<string, unknown>>) => unknown;

// biome-ignore lint/suspicious/noExplicitAny: as above, each class is paired with an adapter for that class.
const forwardOf = new Map<ModuleClass<Module>, OnnxForward<any>>([
  [RNN, recurrentForward],
  [LSTM, recurrentForward],
  [GRU, recurrentForward],
  [RecurrentNetwork, recurrentForward],
  [Bidirectional, bidirectionalForward],
  [Stacked, stackedForward],
  [Encoder, encoderForward],
  [MultiheadAttention, multiheadAttentionForward],
]);

/**
 * Registers (or replaces) the exporter {@link exportOnnx} uses for modules of exactly class `cls`. Subclasses are
 * not matched, since a subclass may compute something else: register them explicitly. When the module's `forward`
 * takes or returns more than tensors, `forward` runs it on the flat graph inputs and returns just the graph's
 * outputs (used when the module is the exported root, to compute the reference outputs).
 *
 * @example
 * ```ts run
 * import { Module, Parameter, type Tensor, mul, ones } from '@elman/core';
 * import { exportOnnx, registerOnnxExporter } from '@elman/onnx';
 *
 * class Scale extends Module {
 *   factor = Parameter.from(ones([8]));
 *   forward(x: Tensor): Tensor {
 *     return mul(x, this.factor); // [..., 8]
 *   }
 * }
 * registerOnnxExporter(Scale, (ctx, m, inputs) => {
 *   const x = ctx.single(m, inputs); // [..., 8]
 *   return ctx.op('Mul', [x, ctx.initializer('factor', m.factor)], x); // same type and shape as x
 * });
 * const bytes = exportOnnx(new Scale(), ones([2, 8])); // a graph with one Mul node
 * ```
 */
export function registerOnnxExporter<M extends Module>(
  cls: ModuleClass<M>,
  exporter: OnnxExporter<M>,
  forward?: OnnxForward<M>,
): void {
  exporters.set(cls, exporter);
  if (forward) forwardOf.set(cls, forward);
  else forwardOf.delete(cls);
}

/** The reference forward registered for the module's exact class, if any. */
export function onnxForwardFor(module: Module): OnnxForward | undefined {
  return forwardOf.get(module.constructor as ModuleClass<Module>);
}

/** The exporter registered for the module's exact class, if any. */
export function onnxExporterFor(module: Module): OnnxExporter | undefined {
  return exporters.get(module.constructor as ModuleClass<Module>);
}

/** Class names with a registered exporter, for error messages. */
export function registeredModuleNames(): string[] {
  return [...exporters.keys()].map((c) => c.name);
}
