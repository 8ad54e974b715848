import { RNN } from '@elman/cells';
import type { Tensor } from '@elman/core';
import type { Bidirectional, BidirectionalState, MergeMode } from '@elman/wrappers';
import type { OnnxExportContext } from '../export-context.js';
import type { OnnxDim, OnnxValue } from '../graph-builder.js';
import { type NodeConfig, directionWeights, f32, isRecurrentLayer, keysFor, modeOf, parameterMap, recurrentNodes } from './recurrent.js';
import { flatState, isLstmLayer, noForwardOptions, layerState, splitFlatInputs, stateCountOf, stateNamesOf } from './recurrent-state.js';

/**
 * `Bidirectional`'s forward on flat inputs `[x, forward.h, (forward.c), backward.h, (backward.c), lengths?]` (the
 * state optional): its outputs flattened, `[output, forward.h, (forward.c), backward.h, (backward.c)]`.
 */
export function bidirectionalForward(m: Bidirectional, inputs: readonly Tensor[], options?: Readonly<Record<string, unknown>>): Tensor[] {
  noForwardOptions('Bidirectional', options);
  const { x, states, lengths } = splitFlatInputs('Bidirectional', inputs, stateCountOf(m), stateNamesOf(m));
  const state = states.length > 0 ? (layerState(m, states) as BidirectionalState) : undefined;
  const r = m.forward(x, { state, lengths: lengths?.data as Int32Array | undefined });
  return [r.output, ...flatState(r.state)];
}

/** Combines the two directions' outputs (same shape) as `mergeDirections` does. */
function merge(ctx: OnnxExportContext, mode: MergeMode, fwd: OnnxValue, bwd: OnnxValue): OnnxValue {
  const last = fwd.shape.length - 1;
  switch (mode) {
    case 'concat': {
      const H = fwd.shape[last] as number;
      return ctx.op('Concat', [fwd, bwd], f32([...fwd.shape.slice(0, last), 2 * H]), { axis: { int: last } }); // [..., 2H]
    }
    case 'sum':
      return ctx.op('Add', [fwd, bwd], fwd);
    case 'mul':
      return ctx.op('Mul', [fwd, bwd], fwd);
    case 'ave':
      return ctx.op('Mul', [ctx.op('Add', [fwd, bwd], fwd), ctx.floatScalar(0.5)], fwd);
  }
}

/**
 * A standalone `Bidirectional` over an `RNN`/`LSTM`/`GRU` → one ONNX recurrent node with `direction =
 * bidirectional` (its reverse direction runs over each sequence's valid part, as Bidirectional's does) and
 * initializers `W{suffix}`, `R{suffix}`, `B{suffix}` holding both directions; the outputs merged by `merge`
 * (`concat`, `sum`, `mul`, `ave`). Inputs `x [B, T, X]`, optional initial states (forward.h, forward.c,
 * backward.h, backward.c as `[B, H]`), optional int32 `lengths [B]`; outputs `output` (`[B, T, 2H]` for concat,
 * `[B, T, H]` otherwise, or the merged final states without `returnSequences`), then the final states in that order.
 */
export function exportBidirectional(ctx: OnnxExportContext, m: Bidirectional, inputs: readonly OnnxValue[]): OnnxValue[] {
  const fwd = m.forwardLayer;
  if (!isRecurrentLayer(fwd)) throw ctx.unsupported(m, `wraps a ${fwd.constructor.name}; only RNN, LSTM and GRU layers export`);
  if (fwd.stateful) throw ctx.unsupported(m, 'is stateful: its carried state is not part of an ONNX graph; export it with stateful: false');
  if (fwd.reverse) {
    throw ctx.unsupported(m, "wraps a reverse layer: ONNX's bidirectional node runs its first direction forwards; wrap a forward layer");
  }
  const mode = modeOf(fwd);
  const lstm = isLstmLayer(m);
  const H = m.hiddenSize;
  const { x, states, lengths } = splitFlatInputs(`Bidirectional at '${ctx.path}'`, inputs, stateCountOf(m), stateNamesOf(m));
  const B: OnnxDim = x.shape[0]!;
  // [B, H] per direction → [2, B, H], ONNX's initial_h / initial_c.
  const pair = (a: OnnxValue, b: OnnxValue): OnnxValue => {
    const one = (s: OnnxValue) => ctx.op('Reshape', [s, ctx.int64s([1, -1, H])], f32([1, B, H])); // [1, B, H]
    return ctx.op('Concat', [one(a), one(b)], f32([2, B, H]), { axis: { int: 0 } }); // [2, B, H]
  };
  const half = states.length / 2;
  const h0 = states.length > 0 ? pair(states[0]!, states[half]!) : null;
  const c0 = lstm && states.length > 0 ? pair(states[1]!, states[half + 1]!) : null;
  const params = parameterMap(m);
  const directions = [directionWeights(params, keysFor(fwd.suffix)), directionWeights(params, keysFor(m.backwardLayer.suffix))];
  const cfg: NodeConfig = { mode, H, D: 2, direction: 'bidirectional', nonlinearity: fwd instanceof RNN ? fwd.nonlinearity : 'tanh' };
  const { y, hs, cs } = recurrentNodes(ctx, cfg, [{ suffix: fwd.suffix, directions, h0, c0 }], x, lengths ?? null);
  // Direction d of a final state [2, B, H] → [B, H].
  const direction = (s: OnnxValue, d: number): OnnxValue => {
    const row = ctx.op('Slice', [s, ctx.int64s([d]), ctx.int64s([d + 1]), ctx.int64s([0])], f32([1, B, H])); // [1, B, H]
    return ctx.op('Reshape', [row, ctx.int64s([-1, H])], f32([B, H])); // [B, H]
  };
  let output: OnnxValue;
  if (fwd.returnSequences) {
    const T: OnnxDim = y.shape[0]!;
    const bt = ctx.op('Transpose', [y], f32([B, T, 2, H]), { perm: { ints: [2, 0, 1, 3] } }); // [B, T, 2, H]
    const steps = (d: number): OnnxValue => {
      const part = ctx.op('Slice', [bt, ctx.int64s([d]), ctx.int64s([d + 1]), ctx.int64s([2])], f32([B, T, 1, H])); // [B, T, 1, H]
      return ctx.op('Reshape', [part, ctx.int64s([0, 0, H])], f32([B, T, H])); // [B, T, H]
    };
    output = merge(ctx, m.merge, steps(0), steps(1));
  } else {
    // Without returnSequences each direction outputs its last processed step: its final hidden state.
    output = merge(ctx, m.merge, direction(hs[0]!, 0), direction(hs[0]!, 1)); // [B, 2H] or [B, H]
  }
  const finals = lstm
    ? [direction(hs[0]!, 0), direction(cs[0]!, 0), direction(hs[0]!, 1), direction(cs[0]!, 1)]
    : [direction(hs[0]!, 0), direction(hs[0]!, 1)];
  return [output, ...finals];
}
