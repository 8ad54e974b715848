import { Module, ValueError } from '@elman/core';
import type { Generator, Tensor } from '@elman/core';
import type { HiddenState, SequenceLayer } from '@elman/cells';
import { type MergeMode, checkMergeMode, mergeDirections, mergedSize } from './merge.js';
import { mirrorLayer } from './mirror.js';

/** Options of {@link Bidirectional}. */
export interface BidirectionalOptions {
  /** How the two directions' outputs are combined: `'concat'` (default, `[B, T, 2H]`), `'sum'`, `'mul'` or `'ave'`. */
  merge?: MergeMode;
  /** Random stream for the backward direction's initial weights; default: the global generator. */
  generator?: Generator;
}

/** State of a bidirectional layer: one state per direction, each tensor `[B, H]`. */
export interface BidirectionalState<S extends HiddenState = HiddenState> {
  /** State of the forward direction (after each sequence's last valid step). */
  forward: S;
  /** State of the backward direction (after it reached step 0). */
  backward: S;
}

/** Per-call options of {@link Bidirectional.forward}. */
export interface BidirectionalForwardOptions<S extends HiddenState> {
  /** Initial state of each direction; zeros when omitted. */
  state?: BidirectionalState<S>;
  /** Valid length of every right-padded sequence, integers in [1, T]; the backward direction starts at each end. */
  lengths?: readonly number[] | Int32Array;
}

/** The result of {@link Bidirectional.forward}. */
export interface BidirectionalResult<S extends HiddenState> {
  /** Merged outputs `[B, T, 2H]` (concat) or `[B, T, H]`; `[B, ·]` for layers without `returnSequences`. */
  output: Tensor;
  /** Final state of each direction. */
  state: BidirectionalState<S>;
}

/**
 * Bidirectional RNN (Schuster & Paliwal 1997): runs a sequence layer forwards and a copy of it (same class and
 * options, `reverse` flipped, state-dict suffix `_reverse`) backwards over each sequence's valid part, then merges
 * the two outputs step by step. The parameters are registered flat, so a bidirectional `LSTM` with suffix `_l0` has
 * exactly the state-dict keys of `torch.nn.LSTM(num_layers=1, bidirectional=True)`.
 *
 * @example
 * ```ts run
 * import { randn } from '@elman/core';
 * import { LSTM } from '@elman/cells';
 * import { Bidirectional } from '@elman/wrappers';
 *
 * const bi = new Bidirectional(new LSTM({ inputSize: 8, hiddenSize: 16 }), { merge: 'concat' });
 * const { output } = bi.forward(randn([2, 5, 8]), { lengths: [5, 3] }); // [2, 5, 32]
 * // The backward direction reads each sequence from its last valid step: steps 2, 1, 0 for the second one.
 * console.log(output.shape, Object.keys(bi.stateDict()).length); // [2, 5, 32] 8 (…_l0 and …_l0_reverse)
 * ```
 */
export class Bidirectional<S extends HiddenState = HiddenState> extends Module {
  /** Features per input step, X. */
  readonly inputSize: number;
  /** Features of each direction's hidden state, H. */
  readonly hiddenSize: number;
  /** Features of the merged output: 2H for `'concat'`, H otherwise. */
  readonly outputSize: number;
  /** How the directions are combined. */
  readonly merge: MergeMode;
  readonly #forward: SequenceLayer<S>;
  readonly #backward: SequenceLayer<S>;

  /** Wraps `layer` (the forward direction, used as is) and creates its mirrored backward copy. */
  constructor(layer: SequenceLayer<S>, options: BidirectionalOptions = {}) {
    super();
    this.merge = checkMergeMode('Bidirectional', options.merge);
    this.#forward = layer;
    this.#backward = mirrorLayer('Bidirectional', layer, options.generator);
    this.inputSize = layer.inputSize;
    this.hiddenSize = layer.hiddenSize;
    this.outputSize = mergedSize(this.merge, layer.hiddenSize);
    for (const l of [this.#forward, this.#backward]) {
      for (const [name, p] of l.namedParameters()) this.registerParameter(name, p);
    }
  }

  /** The forward-direction layer (the one passed to the constructor). */
  get forwardLayer(): SequenceLayer<S> {
    return this.#forward;
  }

  /** The backward-direction layer (`reverse` flipped, suffix `_reverse`). */
  get backwardLayer(): SequenceLayer<S> {
    return this.#backward;
  }

  /** Clears the carried state of stateful directions. */
  resetState(): void {
    this.#forward.resetState();
    this.#backward.resetState();
  }

  /** Runs both directions over `x [B, T, X]` and merges their outputs. */
  forward(x: Tensor, options: BidirectionalForwardOptions<S> = {}): BidirectionalResult<S> {
    const { state, lengths } = options;
    if (state !== undefined && (typeof state !== 'object' || state === null || !state.forward || !state.backward)) {
      throw new ValueError("Bidirectional: state must be an object {forward, backward} holding each direction's state");
    }
    const f = this.#forward.forward(x, { state: state?.forward, lengths }); // output [B, T, H]
    const b = this.#backward.forward(x, { state: state?.backward, lengths }); // output [B, T, H]
    return { output: mergeDirections(this.merge, f.output, b.output), state: { forward: f.state, backward: b.state } };
  }
}
