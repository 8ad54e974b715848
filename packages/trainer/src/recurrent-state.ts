import { Tensor, ValueError } from '@elman/core';

/**
 * The recurrent state a model carries between calls: a tensor (`h [B, H]`), a record of tensors (`{h, c}`), an
 * array of them, or null.
 */
export type RecurrentState = Tensor | null | readonly RecurrentState[] | { readonly [key: string]: RecurrentState };

/**
 * A copy-free, structured-clone-safe form of a {@link RecurrentState} (tensors become `{shape, data}`), for
 * passing states between threads.
 */
export type PackedState = PackedTensor | null | readonly PackedState[] | PackedRecord;

/** A tensor in a {@link PackedState}. */
export interface PackedTensor {
  /** Shape and elements of the tensor. */
  readonly tensor: {
    /** Dimensions. */
    readonly shape: readonly number[];
    /** Elements, row-major. */
    readonly data: Float32Array | Int32Array;
  };
}

/** A record of states (`{h, c}`) in a {@link PackedState}. */
export interface PackedRecord {
  /** The packed entries by key. */
  readonly record: { readonly [key: string]: PackedState };
}

/**
 * Cuts every tensor of a state from the autograd tape (truncated BPTT's cut: gradients stop here) while keeping
 * the values. Other structure is preserved.
 */
export function detachState(state: RecurrentState): RecurrentState {
  return mapState(state, (t) => t.detach());
}

/** Applies `fn` to every tensor of a state, preserving its structure. */
export function mapState(state: RecurrentState, fn: (t: Tensor) => Tensor): RecurrentState {
  if (state === null) return null;
  if (state instanceof Tensor) return fn(state);
  if (Array.isArray(state)) return state.map((s: RecurrentState) => mapState(s, fn));
  const out: Record<string, RecurrentState> = {};
  for (const [k, v] of Object.entries(state)) out[k] = mapState(v, fn);
  return out;
}

/** Packs a state for `postMessage` (the tensors' data are shared, not copied; clone them first if needed). */
export function packState(state: RecurrentState): PackedState {
  if (state === null) return null;
  if (state instanceof Tensor) return { tensor: { shape: state.shape, data: state.data } };
  if (Array.isArray(state)) return state.map((s: RecurrentState) => packState(s));
  const record: Record<string, PackedState> = {};
  for (const [k, v] of Object.entries(state)) record[k] = packState(v);
  return { record };
}

/** Rebuilds a state from {@link packState}'s form. */
export function unpackState(packed: PackedState): RecurrentState {
  if (packed === null) return null;
  if (Array.isArray(packed)) return packed.map((p: PackedState) => unpackState(p));
  if ('tensor' in packed) return new Tensor(packed.tensor.data, packed.tensor.shape);
  if ('record' in packed) {
    const out: Record<string, RecurrentState> = {};
    for (const [k, v] of Object.entries(packed.record)) out[k] = unpackState(v);
    return out;
  }
  throw new ValueError('unpackState: not a packed recurrent state');
}
