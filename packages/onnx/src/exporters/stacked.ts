import type { Tensor } from '@elman/core';
import type { LayerState, Stacked } from '@elman/wrappers';
import type { OnnxExportContext } from '../export-context.js';
import type { OnnxValue } from '../graph-builder.js';
import { flatState, layerState, noForwardOptions, splitFlatInputs, stateCountOf, stateNamesOf } from './recurrent-state.js';

function stateNames(m: Stacked): string {
  return m.layers.map((l, i) => stateNamesOf(l).replace(/(^|, )/g, `$1layers.${i}.`)).join(', ');
}

/**
 * `Stacked`'s forward on flat inputs `[x, …every layer's state…, lengths?]` (the states all or none, each layer's
 * as it flattens: `h`, `c`, or `forward.h`, …): `[output, …every layer's final state…]`.
 */
export function stackedForward(m: Stacked, inputs: readonly Tensor[], options?: Readonly<Record<string, unknown>>): Tensor[] {
  noForwardOptions('Stacked', options);
  const counts = m.layers.map(stateCountOf);
  const { x, states, lengths } = splitFlatInputs('Stacked', inputs, counts.reduce((a, b) => a + b, 0), stateNames(m));
  let at = 0;
  const state: LayerState[] | undefined =
    states.length === 0
      ? undefined
      : m.layers.map((layer, i) => {
          const own = states.slice(at, at + counts[i]!);
          at += counts[i]!;
          return layerState(layer, own);
        });
  const r = m.forward(x, { state, lengths: lengths?.data as Int32Array | undefined });
  return [r.output, ...r.state.flatMap(flatState)];
}

/** Same rank and the same size (or the same dynamic axis name) on every axis. */
function sameShape(a: OnnxValue, b: OnnxValue): boolean {
  return a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);
}

/**
 * `Stacked` → each layer's graph in turn under `layers.{i}` (one ONNX recurrent node per layer, a Bidirectional's
 * holding both directions), inter-layer dropout the identity (inference), residual `Add`s where `forward` adds them
 * (from the second layer on, when the layer's output has its input's shape). Inputs `x [B, T, X]`, optionally
 * every layer's initial state (flattened in layer order), optional int32 `lengths [B]` passed to every layer.
 * Outputs `output` (the last layer's), then every layer's final state in layer order.
 */
export function exportStacked(ctx: OnnxExportContext, m: Stacked, inputs: readonly OnnxValue[]): OnnxValue[] {
  const counts = m.layers.map(stateCountOf);
  const what = `Stacked at '${ctx.path}'`;
  const { x, states, lengths } = splitFlatInputs(what, inputs, counts.reduce((a, b) => a + b, 0), stateNames(m));
  let input = x; // [B, T, X], then [B, T, ·]
  let at = 0;
  const finals: OnnxValue[] = [];
  m.layers.forEach((layer, i) => {
    const own = states.length === 0 ? [] : states.slice(at, at + counts[i]!);
    at += counts[i]!;
    const [out, ...state] = ctx.exportModule(`layers.${i}`, layer, [input, ...own, ...(lengths ? [lengths] : [])]);
    let y = out!; // [B, T, H·D]
    if (m.residual && i > 0 && sameShape(y, input)) y = ctx.op('Add', [y, input], y);
    finals.push(...state);
    input = y;
  });
  return [input, ...finals];
}
