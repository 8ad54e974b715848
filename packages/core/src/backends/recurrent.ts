/**
 * Argument types of the fused whole-sequence recurrent kernels ({@link Backend.recurrentForward} and
 * {@link Backend.recurrentBackward}). The kernels run the whole time loop of one single-layer, single-direction
 * RNN/LSTM/GRU (PyTorch gate orders and semantics, DESIGN §3) over batch-first `[B, T, ·]` slabs; autograd stays in
 * @elman/cells, which records one tape node per call.
 */
import type { Backend } from './backend.js';

/** Which cell a fused sequence kernel runs. */
export type RecurrentCell =
  | {
      /** Long short-term memory, gates i, f, g, o. */
      readonly kind: 'lstm';
    }
  | {
      /** Gated recurrent unit, gates r, z, n. */
      readonly kind: 'gru';
      /** Reset gate before the n block's recurrent product (Cho et al. 2014) instead of after it (PyTorch, cuDNN). */
      readonly resetBefore: boolean;
    }
  | {
      /** Elman RNN. */
      readonly kind: 'rnn';
      /** The activation of the new state. */
      readonly nonlinearity: 'tanh' | 'relu';
    };

/**
 * Geometry of one call. Processing step s of sequence b works on time step `t = s` (or `len − 1 − s` when
 * `reverse`: only the valid part is reversed) for s below the sequence's length; past it the state is frozen and
 * output rows stay 0 (PyTorch packed-sequence semantics).
 */
export interface SequenceGeometry {
  /** Sequences in the batch, B. */
  readonly batch: number;
  /** Padded time steps, T. */
  readonly steps: number;
  /** Input features, X. */
  readonly inputSize: number;
  /** Hidden features, H. */
  readonly hiddenSize: number;
  /** Valid length of every sequence `[B]`, each in [0, T]. */
  readonly lengths: Int32Array;
  /** The longest valid length: the number of processing steps. */
  readonly maxLen: number;
  /** Process each sequence's valid part from its last valid step back to step 0. */
  readonly reverse: boolean;
}

/** Parameter data of the layer, PyTorch layout: `weight_ih [G·H, X]`, `weight_hh [G·H, H]`, biases `[G·H]`. */
export interface RecurrentWeightData {
  /** `weight_ih` `[G·H, X]`. */
  readonly weightIh: Float32Array;
  /** `weight_hh` `[G·H, H]`. */
  readonly weightHh: Float32Array;
  /** `bias_ih` `[G·H]`, or null for a layer without biases (then `biasHh` is null too). */
  readonly biasIh: Float32Array | null;
  /** `bias_hh` `[G·H]`, or null. */
  readonly biasHh: Float32Array | null;
}

/** What both kernels read. */
export interface RecurrentSequenceArgs {
  /** The cell. */
  readonly cell: RecurrentCell;
  /** Shapes, lengths and direction. */
  readonly geometry: SequenceGeometry;
  /** Input `[B, T, X]`. */
  readonly x: Float32Array;
  /** Parameters. */
  readonly weights: RecurrentWeightData;
}

/** Arguments of {@link Backend.recurrentForward}. */
export interface RecurrentForwardArgs extends RecurrentSequenceArgs {
  /** Hidden state `[B, H]`: the initial state on entry (zeros for none), the final state h_n on return. */
  readonly h: Float32Array;
  /** LSTM cell state `[B, H]`, in and out like `h`; null for the other cells. */
  readonly c: Float32Array | null;
  /**
   * Outputs `[B, T, H]`, zero on entry; the kernel writes the valid rows. Null when the caller reads only the final
   * state (Keras' `return_sequences=False`): no outputs are handed back, and the backward pass gets gradients only
   * through the final state. (The RNN's backward reads its outputs as activations: with `keep` it saves its own copy.)
   */
  readonly output: Float32Array | null;
  /** Save the activations the backward pass needs (false under `noGrad` or without inputs needing gradients). */
  readonly keep: boolean;
}

/**
 * Activations a forward pass saved for its backward pass: per-cell slabs whose layout only the backend that made
 * them reads (LSTM: gates i, f, g, o `[B, T, 4H]`, h_{t−1}, c_{t−1}, tanh(c_t) `[B, T, H]`; GRU: gates r, z, n
 * `[B, T, 3H]`, h_{t−1}, and W_hn h + b_hn (reset after) or r⊙h_{t−1} (reset before) `[B, T, H]`; RNN: h_{t−1} and
 * the outputs h_t `[B, T, H]`, which double as the activations: saved whether or not the caller asked for outputs).
 */
export interface RecurrentSaved {
  /** The slabs, in the order above. */
  readonly slabs: readonly Float32Array[];
}

/** Gradient buffers a backward pass fills; null where no gradient is wanted. */
export interface RecurrentGrads {
  /** ∂L/∂x `[B, T, X]`. */
  readonly x: Float32Array | null;
  /** ∂L/∂weight_ih `[G·H, X]`. */
  readonly weightIh: Float32Array | null;
  /** ∂L/∂weight_hh `[G·H, H]`. */
  readonly weightHh: Float32Array | null;
  /** ∂L/∂bias_ih `[G·H]` (null for a layer without biases). */
  readonly biasIh: Float32Array | null;
  /** ∂L/∂bias_hh `[G·H]` (null for a layer without biases). */
  readonly biasHh: Float32Array | null;
}

/** Arguments of {@link Backend.recurrentBackward} (full BPTT over the call's steps). */
export interface RecurrentBackwardArgs extends RecurrentSequenceArgs {
  /** What the forward pass saved (`keep: true`). */
  readonly saved: RecurrentSaved;
  /** ∂L/∂output `[B, T, H]`, or null when the outputs got no gradient. */
  readonly dOutput: Float32Array | null;
  /** `[B, H]`: ∂L/∂h_n on entry (zeros for none), ∂L/∂h_0 on return. */
  readonly dh: Float32Array;
  /**
   * False when the caller drops ∂L/∂h_0 and ∂L/∂c_0 (no initial state that needs a gradient): a backend may then
   * skip the last step's product with W_hh and leave `dh` and `dc` holding anything on return. Default true.
   */
  readonly initialStateGrads?: boolean;
  /** LSTM `[B, H]`: ∂L/∂c_n on entry, ∂L/∂c_0 on return; null for the other cells. */
  readonly dc: Float32Array | null;
  /**
   * True when no later backward pass reads `saved` (the graph is freed after this one, see `backwardRetainsGraph`):
   * the backend may then overwrite the saved activations with gradients and release them.
   */
  readonly final: boolean;
  /** The gradients to write (overwritten, not accumulated). */
  readonly grads: RecurrentGrads;
  /**
   * If given, `[B·T]` (b-major) receives ‖∂L/∂h_t‖² of every valid (sequence, step): the total gradient reaching the
   * hidden state of step t, for the vanishing-gradient diagnostics. Padded entries are left as they are.
   */
  readonly hiddenGradSquares: Float64Array | null;
}

/** Gate blocks G of a cell: the gate pre-activations of one step are `[B, G·H]`. */
export function gateCount(cell: RecurrentCell): number {
  return cell.kind === 'lstm' ? 4 : cell.kind === 'gru' ? 3 : 1;
}
