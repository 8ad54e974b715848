import { GRU, LSTM, RNN, type RecurrentWeights } from '@elman/cells';
import type { Module, Parameter, Tensor } from '@elman/core';
import { Bidirectional, RecurrentNetwork, type RecurrentMode, toOnnx } from '@elman/wrappers';
import { OnnxExportError } from '../errors.js';
import { noForwardOptions } from './recurrent-state.js';
import type { OnnxExportContext } from '../export-context.js';
import type { OnnxDim, OnnxValue } from '../graph-builder.js';

/** A fused single-layer recurrence of @elman/cells. */
export type RecurrentLayer = RNN | LSTM | GRU;

/** Whether `m` is exactly an `RNN`, `LSTM` or `GRU` layer (subclasses may compute something else). */
export function isRecurrentLayer(m: unknown): m is RecurrentLayer {
  const cls = (m as { constructor?: unknown } | null)?.constructor;
  return cls === RNN || cls === LSTM || cls === GRU;
}

/** The ONNX op of each recurrence. */
const OP_TYPE: Readonly<Record<RecurrentMode, string>> = { rnn: 'RNN', lstm: 'LSTM', gru: 'GRU' };

/**
 * One ONNX recurrent node's worth of parameters: a layer's directions (forward first, then `_reverse`) as
 * state-dict keys relative to the module, and the suffix of the node's initializers `W{suffix}`, `R{suffix}`,
 * `B{suffix}`.
 */
export interface RecurrentGroup {
  /** The recurrence. */
  mode: RecurrentMode;
  /** Suffix of the ONNX initializer names, the layer's state-dict suffix (`_l0`, `_l1`, …). */
  suffix: string;
  /** State-dict keys of each direction's four tensors (the biases may be absent from the module). */
  keys: RecurrentWeights<string>[];
}

/** The state-dict keys of one direction with state-dict suffix `suffix` (`_l0`, `_l0_reverse`). */
export function keysFor(suffix: string): RecurrentWeights<string> {
  return { weightIh: `weight_ih${suffix}`, weightHh: `weight_hh${suffix}`, biasIh: `bias_ih${suffix}`, biasHh: `bias_hh${suffix}` };
}

/** The recurrence of a layer. */
export function modeOf(layer: RecurrentLayer): RecurrentMode {
  return layer instanceof LSTM ? 'lstm' : layer instanceof GRU ? 'gru' : 'rnn';
}

/**
 * The ONNX recurrent nodes a module exports to, one per layer, or null when the module is not an exportable
 * recurrence (exactly `RNN`, `LSTM`, `GRU` or a factory-built `RecurrentNetwork`); shared with `importOnnxWeights`.
 */
export function recurrentGroups(m: Module): RecurrentGroup[] | null {
  const cls = m.constructor;
  if (cls === RNN || cls === LSTM || cls === GRU) {
    const layer = m as RecurrentLayer;
    return [{ mode: modeOf(layer), suffix: layer.suffix, keys: [keysFor(layer.suffix)] }];
  }
  if (cls === Bidirectional && isRecurrentLayer((m as Bidirectional).forwardLayer)) {
    const { forwardLayer, backwardLayer } = m as Bidirectional;
    const mode = modeOf(forwardLayer as RecurrentLayer);
    return [{ mode, suffix: forwardLayer.suffix, keys: [keysFor(forwardLayer.suffix), keysFor(backwardLayer.suffix)] }];
  }
  if (cls === RecurrentNetwork) {
    const net = m as RecurrentNetwork;
    return Array.from({ length: net.numLayers }, (_, k) => ({
      mode: net.mode,
      suffix: `_l${k}`,
      keys: Array.from({ length: net.numDirections }, (_, d) => keysFor(`_l${k}${d === 1 ? '_reverse' : ''}`)),
    }));
  }
  return null;
}

/** The inputs of an exported recurrence: `x`, then optionally `h` (and `c` for LSTM), then optionally int32 `lengths`. */
export interface RecurrentInputs<T> {
  /** The sequences `[B, T, X]`. */
  x: T;
  /** Initial hidden state. */
  h?: T;
  /** Initial cell state (LSTM). */
  c?: T;
  /** Valid length of every sequence, int32 `[B]`. */
  lengths?: T;
}

/**
 * Reads the flat inputs of a recurrence (graph values or example tensors): float32 `x`, then `h` (and `c` for LSTM)
 * when an initial state is given, then int32 `lengths` when given. The int32 dtype tells lengths from states.
 */
export function splitRecurrentInputs<T extends { readonly dtype: string }>(
  what: string,
  lstm: boolean,
  inputs: readonly T[],
): RecurrentInputs<T> {
  const last = inputs[inputs.length - 1];
  const lengths = inputs.length > 1 && last?.dtype === 'int32' ? last : undefined;
  const floats = lengths ? inputs.slice(0, -1) : inputs;
  const stateCount = floats.length - 1;
  const expected = lstm ? 'x [B, T, X], optionally h and c, optionally int32 lengths [B]' : 'x [B, T, X], optionally h, optionally int32 lengths [B]';
  if (floats.length < 1 || (stateCount !== 0 && stateCount !== (lstm ? 2 : 1)) || floats.some((v) => v.dtype !== 'float32')) {
    throw new OnnxExportError(`exportOnnx: ${what} takes inputs ${expected}; got ${inputs.length} inputs (${inputs.map((v) => v.dtype).join(', ')})`);
  }
  return { x: floats[0]!, h: stateCount > 0 ? floats[1] : undefined, c: stateCount > 1 ? floats[2] : undefined, lengths };
}

/** The outputs an exported recurrence computes: `output`, `state.h`, `state.c` (LSTM). */
export interface RecurrentOutputs {
  /** `[B, T, D·H]`, or `[B, H]` for a layer without `returnSequences`. */
  output: Tensor;
  /** Final states. */
  state: {
    /** `[B, H]` (layer) or `[L·D, B, H]` (network). */
    h: Tensor;
    /** Same shape as `h`, LSTM only. */
    c?: Tensor;
  };
}

/** A recurrence's forward on its flat inputs `[x, h?, c?, lengths?]`: `forward(x, {state, lengths})`'s outputs. */
export function recurrentForward(
  m: RecurrentLayer | RecurrentNetwork,
  inputs: readonly Tensor[],
  forwardOptions?: Readonly<Record<string, unknown>>,
): RecurrentOutputs {
  noForwardOptions(m.constructor.name, forwardOptions);
  const lstm = m instanceof LSTM || (m instanceof RecurrentNetwork && m.mode === 'lstm');
  const { x, h, c, lengths } = splitRecurrentInputs(m.constructor.name, lstm, inputs);
  const state = h ? (c ? { h, c } : { h }) : undefined;
  const options = { state, lengths: lengths ? (lengths.data as Int32Array) : undefined };
  const r = (m.forward as (x: Tensor, o: typeof options) => RecurrentOutputs).call(m, x, options);
  const out = { h: r.state.h, ...(lstm ? { c: r.state.c } : {}) };
  return { output: r.output, state: out };
}

/** A float32 node-output spec of `shape`. */
export function f32(shape: readonly OnnxDim[]): { dtype: 'float32'; shape: OnnxDim[] } {
  return { dtype: 'float32', shape: [...shape] };
}

/** What the ONNX recurrent nodes of one recurrence share. */
export interface NodeConfig {
  /** The recurrence. */
  mode: RecurrentMode;
  /** Hidden size. */
  H: number;
  /** Directions, 1 or 2. */
  D: number;
  /** The nodes' `direction` attribute. */
  direction: 'forward' | 'reverse' | 'bidirectional';
  /** Activation of a vanilla RNN. */
  nonlinearity: 'tanh' | 'relu';
}

/**
 * Runs the layers as ONNX `RNN`/`LSTM`/`GRU` nodes (layout 0, time-major: onnxruntime's CPU kernels reject the
 * batch-first `layout = 1`) between `Transpose`s, with the weights permuted by `toOnnx` (LSTM gates i,o,f,c; GRU
 * z,r,h with `linear_before_reset = 1`, which is PyTorch's GRU: r multiplies `W_hn h + b_hn`). `h0`/`c0` are the
 * per-layer initial states `[D, B, H]`. Returns the last layer's `Y [T, D, B, H]` and every layer's `Y_h`, `Y_c`.
 */
export function recurrentNodes(
  ctx: OnnxExportContext,
  cfg: NodeConfig,
  layers: readonly { suffix: string; directions: RecurrentWeights<Tensor>[]; h0: OnnxValue | null; c0: OnnxValue | null }[],
  x: OnnxValue,
  lengths: OnnxValue | null,
): { y: OnnxValue; hs: OnnxValue[]; cs: OnnxValue[] } {
  const { mode, H, D } = cfg;
  const [B, T] = x.shape as [OnnxDim, OnnxDim];
  const lstm = mode === 'lstm';
  let seq = ctx.op('Transpose', [x], f32([T, B, x.shape[2]!]), { perm: { ints: [1, 0, 2] } }); // [T, B, X]
  let y: OnnxValue | null = null;
  const hs: OnnxValue[] = [];
  const cs: OnnxValue[] = [];
  const attrs: Parameters<OnnxExportContext['node']>[3] = {
    hidden_size: { int: H },
    direction: { string: cfg.direction },
    ...(mode === 'gru' ? { linear_before_reset: { int: 1 } } : {}),
    ...(mode === 'rnn' ? { activations: { strings: new Array<string>(D).fill(cfg.nonlinearity === 'relu' ? 'Relu' : 'Tanh') } } : {}),
  };
  for (const [k, layer] of layers.entries()) {
    if (k > 0) {
      const tbdh = ctx.op('Transpose', [y!], f32([T, B, D, H]), { perm: { ints: [0, 2, 1, 3] } }); // [T, B, D, H]
      seq = ctx.op('Reshape', [tbdh, ctx.int64s([0, 0, D * H])], f32([T, B, D * H])); // [T, B, D·H]
    }
    const w = toOnnx(mode, layer.directions);
    const W = ctx.initializer(`W${layer.suffix}`, w.W); // [D, G·H, X]
    const R = ctx.initializer(`R${layer.suffix}`, w.R); // [D, G·H, H]
    const bias = w.B ? ctx.initializer(`B${layer.suffix}`, w.B) : null; // [D, 2·G·H]
    const ins: (OnnxValue | null)[] = [seq, W, R, bias, lengths, layer.h0, lstm ? layer.c0 : null];
    while (ins.length > 3 && ins[ins.length - 1] === null) ins.pop(); // trailing optional inputs are left out
    const state = f32([D, B, H]);
    const outs = ctx.node(OP_TYPE[mode], ins, lstm ? [f32([T, D, B, H]), state, state] : [f32([T, D, B, H]), state], attrs);
    y = outs[0]!; // [T, D, B, H]
    hs.push(outs[1]!); // [D, B, H]
    if (lstm) cs.push(outs[2]!); // [D, B, H]
  }
  return { y: y!, hs, cs };
}

/** `Y [T, D, B, H]` as Elman's batch-first output `[B, T, D·H]`. */
function batchFirstOutput(ctx: OnnxExportContext, y: OnnxValue, D: number, H: number): OnnxValue {
  const [T, , B] = y.shape as [OnnxDim, number, OnnxDim];
  const bt = ctx.op('Transpose', [y], f32([B, T, D, H]), { perm: { ints: [2, 0, 1, 3] } }); // [B, T, D, H]
  return ctx.op('Reshape', [bt, ctx.int64s([0, 0, D * H])], f32([B, T, D * H])); // [B, T, D·H]
}

/** A module's parameters by state-dict name. */
export function parameterMap(m: Module): Map<string, Parameter> {
  return new Map(m.namedParameters());
}

/** One direction's weights looked up by its state-dict keys (biases null when absent). */
export function directionWeights(params: ReadonlyMap<string, Parameter>, keys: RecurrentWeights<string>): RecurrentWeights<Tensor> {
  return {
    weightIh: params.get(keys.weightIh)!,
    weightHh: params.get(keys.weightHh)!,
    biasIh: params.get(keys.biasIh!) ?? null,
    biasHh: params.get(keys.biasHh!) ?? null,
  };
}

/**
 * `RNN`/`LSTM`/`GRU` (one layer, one direction; `reverse` → `direction = reverse`) → one ONNX recurrent node with
 * initializers `W{suffix}`, `R{suffix}`, `B{suffix}` (`W_l0`, …). Inputs `x [B, T, X]`, optional state `h [B, H]`
 * (and `c`), optional int32 `lengths [B]`; outputs as `forward`: `output [B, T, H]` (or `[B, H]` without
 * `returnSequences`), then `state.h [B, H]` (and `state.c`).
 */
export function exportRecurrentLayer(ctx: OnnxExportContext, m: RecurrentLayer, inputs: readonly OnnxValue[]): OnnxValue[] {
  if (m.stateful) throw ctx.unsupported(m, 'is stateful: its carried state is not part of an ONNX graph; export it with stateful: false');
  const mode = modeOf(m);
  const H = m.hiddenSize;
  const { x, h, c, lengths } = splitRecurrentInputs(`${m.constructor.name} at '${ctx.path}'`, mode === 'lstm', inputs);
  const B = x.shape[0]!;
  // [B, H] → [1, B, H]: Reshape rather than Unsqueeze, whose axes moved from attribute to input in opset 13.
  const toLayer = (s: OnnxValue | undefined): OnnxValue | null =>
    s ? ctx.op('Reshape', [s, ctx.int64s([1, -1, H])], f32([1, B, H])) : null; // [1, B, H]
  const fromLayer = (s: OnnxValue): OnnxValue => ctx.op('Reshape', [s, ctx.int64s([-1, H])], f32([B, H])); // [B, H]
  const directions = [directionWeights(parameterMap(m), keysFor(m.suffix))];
  const cfg: NodeConfig = {
    mode,
    H,
    D: 1,
    direction: m.reverse ? 'reverse' : 'forward',
    nonlinearity: m instanceof RNN ? m.nonlinearity : 'tanh',
  };
  const { y, hs, cs } = recurrentNodes(ctx, cfg, [{ suffix: m.suffix, directions, h0: toLayer(h), c0: toLayer(c) }], x, lengths ?? null);
  const hN = fromLayer(hs[0]!);
  const output = m.returnSequences ? batchFirstOutput(ctx, y, 1, H) : hN;
  return mode === 'lstm' ? [output, hN, fromLayer(cs[0]!)] : [output, hN];
}

/**
 * A factory-built `RecurrentNetwork` (`lstm()`, `gru()`, `rnn()`: L layers, D directions) → one ONNX recurrent
 * node per layer (`direction = bidirectional` when D = 2) with initializers `W_l{k}`, `R_l{k}`, `B_l{k}`; inter-layer
 * dropout is the identity in eval mode. Inputs `x [B, T, X]`, optional `h [L·D, B, H]` (and `c`), optional int32
 * `lengths [B]`; outputs as `forward`: `output [B, T, D·H]`, `state.h [L·D, B, H]` (and `state.c`).
 */
export function exportRecurrentNetwork(ctx: OnnxExportContext, m: RecurrentNetwork, inputs: readonly OnnxValue[]): OnnxValue[] {
  const { mode, hiddenSize: H, numLayers: L, numDirections: D } = m;
  const { x, h, c, lengths } = splitRecurrentInputs(`${m.constructor.name} at '${ctx.path}'`, mode === 'lstm', inputs);
  const B = x.shape[0]!;
  // Layer k's initial state: rows k·D … k·D + D − 1 of `[L·D, B, H]`.
  const slice = (s: OnnxValue | undefined, k: number): OnnxValue | null =>
    !s ? null : L === 1 ? s : ctx.op('Slice', [s, ctx.int64s([k * D]), ctx.int64s([(k + 1) * D]), ctx.int64s([0])], f32([D, B, H])); // [D, B, H]
  const params = parameterMap(m);
  const first = m.layers[0]!;
  const cell = first instanceof Bidirectional ? first.forwardLayer : first;
  const layers = recurrentGroups(m)!.map((g, k) => ({
    suffix: g.suffix,
    directions: g.keys.map((keys) => directionWeights(params, keys)),
    h0: slice(h, k),
    c0: slice(c, k),
  }));
  const cfg: NodeConfig = {
    mode,
    H,
    D,
    direction: D === 2 ? 'bidirectional' : 'forward',
    nonlinearity: cell instanceof RNN ? cell.nonlinearity : 'tanh',
  };
  const { y, hs, cs } = recurrentNodes(ctx, cfg, layers, x, lengths ?? null);
  const concat = (parts: OnnxValue[]): OnnxValue =>
    parts.length === 1 ? parts[0]! : ctx.op('Concat', parts, f32([L * D, B, H]), { axis: { int: 0 } }); // [L·D, B, H]
  const output = batchFirstOutput(ctx, y, D, H);
  return mode === 'lstm' ? [output, concat(hs), concat(cs)] : [output, concat(hs)];
}
