import { type Generator, Module, type Parameter, ShapeError, type Tensor, ValueError, fmtShape } from '@elman/core';
import type { SequenceOutputs } from '../kernels/fused-sequence.js';
import { HiddenGradTracker } from '../kernels/hidden-grad-norms.js';
import { type SequencePlan, makePlan } from '../kernels/sequence-plan.js';
import type { HiddenState } from '../state.js';
import { checkLengths, checkSequenceInput, checkStateObject, checkStateTensor } from '../validate.js';
import { type RecurrentSizeOptions, type RecurrentWeights, checkSizes, createWeights, initDefault } from '../weights.js';

/** Options shared by the sequence layers {@link RNN}, {@link LSTM} and {@link GRU}. */
export interface SequenceLayerOptions extends RecurrentSizeOptions {
  /**
   * Process each sequence from its last valid step back to step 0 (the backward half of a bidirectional layer).
   * Outputs stay at their time positions; with `lengths` only the valid part is reversed. Default false.
   */
  reverse?: boolean;
  /**
   * Suffix of the state-dict keys `weight_ih{suffix}`, `weight_hh{suffix}`, `bias_ih{suffix}`, `bias_hh{suffix}`.
   * Default `'_l0'`, the keys of `torch.nn.LSTM/GRU/RNN(num_layers=1)`; stacks use `'_l1'`, `'_l0_reverse'`, ….
   */
  suffix?: string;
  /**
   * Carry the final state (detached) from one call to the next: a call without `state` starts where the previous one
   * ended, and gradients stop at the chunk boundary (truncated BPTT). {@link SequenceLayer.resetState} clears it.
   * Default false.
   */
  stateful?: boolean;
  /**
   * Return the output of every step, `output [B, T, H]` (default, as PyTorch), or only the output of the last
   * processed step of each sequence, `output [B, H]` (= `state.h`, Keras' `return_sequences=False`).
   */
  returnSequences?: boolean;
}

/** Per-call options of a sequence layer's `forward`. */
export interface SequenceForwardOptions<S extends HiddenState> {
  /**
   * Initial state, each tensor `[B, H]`; zeros when omitted (or the carried state of a stateful layer). Pass
   * detached tensors (`t.detach()`) to truncate backpropagation through time at this call.
   */
  state?: S;
  /**
   * Valid length of every sequence of a right-padded batch, integers in [1, T] (PyTorch packed-sequence semantics):
   * outputs past a sequence's end are exactly 0 and its final state is the state at its last valid step.
   */
  lengths?: readonly number[] | Int32Array;
  /**
   * Record ‖∂L/∂h_t‖ for every step during backward, read afterwards with
   * {@link SequenceResult.hiddenGradNorms}. Default false.
   */
  trackHiddenGrads?: boolean;
}

/** The result of a sequence layer's `forward`. */
export interface SequenceResult<S extends HiddenState> {
  /** Hidden state of every step `[B, T, H]` (0 past each sequence's end), or `[B, H]` without `returnSequences`. */
  output: Tensor;
  /** Final state, each tensor `[B, H]`: the state after each sequence's last valid step. */
  state: S;
  /**
   * After `backward()`, ‖∂L/∂h_t‖ for t = 0 … T−1, the norm over the batch and all hidden units of the total
   * gradient reaching h_t (from the output at t and from step t + 1). Needs `trackHiddenGrads: true`.
   */
  hiddenGradNorms(): Float32Array;
  /** Like {@link SequenceResult.hiddenGradNorms} for every sequence apart: `[B, T]` row-major, 0 at padded steps. */
  hiddenGradNormsPerSequence(): Float32Array;
}

const SUFFIX = /^[A-Za-z0-9_]*$/;

/**
 * Base of the fused single-layer, single-direction sequence layers: the four PyTorch-named parameters, option and
 * input checks, `lengths`, stateful use and gradient diagnostics. Subclasses supply the kernel.
 */
export abstract class SequenceLayer<S extends HiddenState> extends Module {
  /** Features per input step, X. */
  readonly inputSize: number;
  /** Features of the hidden state, H. */
  readonly hiddenSize: number;
  /** Whether the layer has `bias_ih` and `bias_hh`. */
  readonly bias: boolean;
  /** Whether each sequence is processed from its end (see {@link SequenceLayerOptions.reverse}). */
  readonly reverse: boolean;
  /** Suffix of the state-dict keys, e.g. `'_l0'`. */
  readonly suffix: string;
  /** Whether the final state is carried between calls (see {@link SequenceLayerOptions.stateful}). */
  readonly stateful: boolean;
  /** Whether `output` holds every step (see {@link SequenceLayerOptions.returnSequences}). */
  readonly returnSequences: boolean;
  readonly #name: string;
  readonly #weights: RecurrentWeights;
  readonly #stateKeys: readonly string[];
  #carried: S | null = null;

  /**
   * @param name - class name used in error messages (`LSTM`)
   * @param gates - gate blocks G stacked in the weights (RNN 1, LSTM 4, GRU 3)
   * @param stateKeys - the tensors of the state (`['h']` or `['h', 'c']`)
   * @param options - sizes and layer options
   */
  protected constructor(name: string, gates: number, stateKeys: readonly string[], options: SequenceLayerOptions) {
    super();
    const [inputSize, hiddenSize, bias] = checkSizes(name, options);
    this.#name = name;
    this.#stateKeys = stateKeys;
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.bias = bias;
    this.reverse = flag(name, 'reverse', options.reverse, false);
    this.stateful = flag(name, 'stateful', options.stateful, false);
    this.returnSequences = flag(name, 'returnSequences', options.returnSequences, true);
    const suffix = options.suffix ?? '_l0';
    if (typeof suffix !== 'string' || !SUFFIX.test(suffix)) {
      throw new ValueError(`${name}: suffix must contain only letters, digits and '_', got '${String(suffix)}'`);
    }
    this.suffix = suffix;
    const w = createWeights(gates, inputSize, hiddenSize, bias);
    this.#weights = w;
    this.registerParameter(`weight_ih${suffix}`, w.weightIh);
    this.registerParameter(`weight_hh${suffix}`, w.weightHh);
    if (w.biasIh && w.biasHh) {
      this.registerParameter(`bias_ih${suffix}`, w.biasIh);
      this.registerParameter(`bias_hh${suffix}`, w.biasHh);
    }
  }

  /** Input-to-hidden weights `[G·H, X]` (state-dict key `weight_ih{suffix}`). */
  get weightIh(): Parameter {
    return this.#weights.weightIh;
  }

  /** Hidden-to-hidden weights `[G·H, H]` (`weight_hh{suffix}`). */
  get weightHh(): Parameter {
    return this.#weights.weightHh;
  }

  /** Input-side bias `[G·H]` (`bias_ih{suffix}`), or null without bias. */
  get biasIh(): Parameter | null {
    return this.#weights.biasIh;
  }

  /** Hidden-side bias `[G·H]` (`bias_hh{suffix}`), or null without bias. */
  get biasHh(): Parameter | null {
    return this.#weights.biasHh;
  }

  /**
   * The four parameters as one record (for subclasses' presets and kernels).
   * @internal
   */
  protected get weights(): RecurrentWeights {
    return this.#weights;
  }

  /** The state a stateful layer will start its next call from (detached), or null. */
  get carriedState(): S | null {
    return this.#carried;
  }

  /** Forgets the carried state of a stateful layer: the next call starts from zeros (e.g. at a new document). */
  resetState(): void {
    this.#carried = null;
  }

  /** Re-draws the parameters with PyTorch's default U(−1/√H, 1/√H); subclasses add their presets. */
  resetParameters(generator?: Generator): void {
    initDefault(this.#weights, this.hiddenSize, generator);
  }

  /**
   * Runs the layer over `x [B, T, X]` (batch-first) in one fused kernel: one tape node for the whole sequence.
   * Returns the outputs `[B, T, H]` (or `[B, H]`, see {@link SequenceLayerOptions.returnSequences}) and the final state.
   */
  forward(x: Tensor, options: SequenceForwardOptions<S> = {}): SequenceResult<S> {
    const op = this.#name;
    const [B, T] = checkSequenceInput(op, x, this.inputSize);
    const lengths = checkLengths(op, options.lengths, B, T);
    let state = options.state ?? null;
    if (state) {
      checkStateObject(op, state, this.#stateKeys);
      for (const k of this.#stateKeys) checkStateTensor(op, `state.${k}`, stateTensor(state, k), B, this.hiddenSize);
    } else if (this.stateful && this.#carried) {
      state = this.#carried;
      const h = state.h;
      if (h.shape[0] !== B) {
        throw new ShapeError(
          `${op}: the carried state is ${fmtShape(h.shape)} but the input has ${B} sequences; call resetState() first`,
        );
      }
    }
    const plan = makePlan(x, this.hiddenSize, lengths, this.reverse, this.returnSequences);
    const tracker = options.trackHiddenGrads ? new HiddenGradTracker(op, B, T) : null;
    const { output, finals } = this.runKernel(x, this.#weights, state, plan, tracker);
    const final = {} as Record<string, Tensor>;
    this.#stateKeys.forEach((k, i) => {
      final[k] = finals[i]!;
    });
    const finalState = final as unknown as S;
    if (this.stateful) {
      const carried = {} as Record<string, Tensor>;
      for (const k of this.#stateKeys) carried[k] = final[k]!.detach();
      this.#carried = carried as unknown as S;
    }
    const untracked = (): never => {
      throw new ValueError(`${op}: hidden-state gradient norms need forward(x, {trackHiddenGrads: true})`);
    };
    return {
      output: output ?? finalState.h,
      state: finalState,
      hiddenGradNorms: tracker ? () => tracker.norms() : untracked,
      hiddenGradNormsPerSequence: tracker ? () => tracker.perSequence() : untracked,
    };
  }

  /**
   * Runs the fused kernel: the outputs `[B, T, H]` (null unless `plan.sequenceOutput`) and the final state tensors in
   * state-key order.
   * @internal
   */
  protected abstract runKernel(
    x: Tensor,
    weights: RecurrentWeights,
    state: S | null,
    plan: SequencePlan,
    tracker: HiddenGradTracker | null,
  ): SequenceOutputs;
}

function stateTensor(state: HiddenState, key: string): unknown {
  return (state as unknown as Record<string, unknown>)[key];
}

function flag(op: string, name: string, v: unknown, fallback: boolean): boolean {
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw new ValueError(`${op}: ${name} must be a boolean, got ${String(v)}`);
  return v;
}
