import { LSTM } from '@elman/cells';
import type { Tensor } from '@elman/core';
import { Bidirectional, type LayerState, type StackableLayer } from '@elman/wrappers';
import { OnnxExportError } from '../errors.js';

/**
 * The flat inputs of a wrapper recurrence (graph values or example tensors): float32 `x`, then either no state or
 * exactly `stateCount` float32 state tensors, then optionally int32 `lengths`. The int32 dtype tells lengths from states.
 */
export function splitFlatInputs<T extends { readonly dtype: string }>(
  what: string,
  inputs: readonly T[],
  stateCount: number,
  stateNames: string,
): { x: T; states: T[]; lengths: T | undefined } {
  const last = inputs[inputs.length - 1];
  const lengths = inputs.length > 1 && last?.dtype === 'int32' ? last : undefined;
  const floats = lengths ? inputs.slice(0, -1) : inputs;
  if (floats.length < 1 || (floats.length !== 1 && floats.length !== 1 + stateCount) || floats.some((v) => v.dtype !== 'float32')) {
    throw new OnnxExportError(
      `exportOnnx: ${what} takes inputs x [B, T, X], optionally the ${stateCount} initial state tensors ${stateNames}, optionally int32 lengths [B]; ` +
        `got ${inputs.length} inputs (${inputs.map((v) => v.dtype).join(', ')})`,
    );
  }
  return { x: floats[0]!, states: floats.slice(1), lengths };
}

/**
 * Refuses forward options for a recurrence, whose initial state and lengths are flat example inputs (so they become
 * graph inputs in a fixed order) rather than options.
 */
export function noForwardOptions(what: string, options: Readonly<Record<string, unknown>> | undefined): void {
  const keys = Object.keys(options ?? {});
  if (keys.length > 0) {
    throw new OnnxExportError(
      `exportOnnx: ${what} takes no forwardOptions (got ${keys.join(', ')}); pass the initial state and int32 lengths as example inputs after x`,
    );
  }
}

/** Whether a stackable layer is an LSTM (its states carry `c`). */
export function isLstmLayer(layer: StackableLayer): boolean {
  return (layer instanceof Bidirectional ? layer.forwardLayer : layer) instanceof LSTM;
}

/**
 * Number of flat state tensors of a stackable layer, in the order its state flattens: `h` (and `c`) for a layer,
 * `forward.h` (`forward.c`), `backward.h` (`backward.c`) for a Bidirectional.
 */
export function stateCountOf(layer: StackableLayer): number {
  return (isLstmLayer(layer) ? 2 : 1) * (layer instanceof Bidirectional ? 2 : 1);
}

/** Names of a layer's flat state tensors, for messages. */
export function stateNamesOf(layer: StackableLayer): string {
  const one = isLstmLayer(layer) ? ['h', 'c'] : ['h'];
  return layer instanceof Bidirectional ? [...one.map((n) => `forward.${n}`), ...one.map((n) => `backward.${n}`)].join(', ') : one.join(', ');
}

/** A layer's state object from its flat state tensors (the inverse of {@link flatState}). */
export function layerState(layer: StackableLayer, flat: readonly Tensor[]): LayerState {
  const one = (s: readonly Tensor[]) => (s.length === 2 ? { h: s[0]!, c: s[1]! } : { h: s[0]! });
  if (!(layer instanceof Bidirectional)) return one(flat);
  const half = flat.length / 2;
  return { forward: one(flat.slice(0, half)), backward: one(flat.slice(half)) };
}

/** A layer state's tensors in flattening order: `h`, `c`, or `forward.h`, `forward.c`, `backward.h`, `backward.c`. */
export function flatState(state: LayerState): Tensor[] {
  const one = (s: { h: Tensor; c?: Tensor }) => (s.c ? [s.h, s.c] : [s.h]);
  return 'forward' in state ? [...one(state.forward), ...one(state.backward)] : one(state as { h: Tensor; c?: Tensor });
}
