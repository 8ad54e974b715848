import { type Generator, Module, ShapeError, ValueError, add, dropout } from '@elman/core';
import type { Tensor } from '@elman/core';
import { type HiddenState, SequenceLayer } from '@elman/cells';
import { Bidirectional, type BidirectionalState } from './bidirectional.js';

/** A layer {@link Stacked} can hold: a single-direction sequence layer or a {@link Bidirectional} one. */
export type StackableLayer = SequenceLayer<HiddenState> | Bidirectional<HiddenState>;

/** State of one stacked layer: `{h}`/`{h, c}` for a sequence layer, `{forward, backward}` for a bidirectional one. */
export type LayerState = HiddenState | BidirectionalState<HiddenState>;

/** Options of {@link Stacked}. */
export interface StackedOptions {
  /** Dropout probability on the output of every layer but the last, in training mode (as torch). Default 0. */
  dropout?: number;
  /**
   * Add each layer's input to its output when their shapes match (residual connections, He et al. 2016, as in deep
   * LSTMs such as Wu et al. 2016's GNMT). Applies from the second layer on, whose inputs are 0 past each sequence's
   * end, so padded outputs stay 0. Default false.
   */
  residual?: boolean;
  /** Random stream for the dropout masks; default: the global generator seeded by `manualSeed`. */
  generator?: Generator;
}

/** Per-call options of {@link Stacked.forward}. */
export interface StackedForwardOptions {
  /** Initial state of every layer, in layer order (each as that layer's `forward` takes it); zeros when omitted. */
  state?: readonly LayerState[];
  /** Valid length of every right-padded sequence, integers in [1, T], passed to every layer. */
  lengths?: readonly number[] | Int32Array;
}

/** The result of {@link Stacked.forward}. */
export interface StackedResult {
  /** Output of the last layer, `[B, T, ·]`. */
  output: Tensor;
  /** Final state of every layer, in layer order. */
  state: LayerState[];
}

/**
 * A deep RNN: sequence layers applied one after the other, each reading the previous one's output sequence, with
 * optional inter-layer dropout (Zaremba et al. 2014) and residual connections. Parameters are named
 * `layers.{i}.{layer key}`; the factories {@link lstm}, {@link gru} and {@link rnn} give torch's flat names instead.
 *
 * @example
 * ```ts run
 * import { randn } from '@elman/core';
 * import { GRU, LSTM } from '@elman/cells';
 * import { Bidirectional, Stacked } from '@elman/wrappers';
 *
 * const deep = new Stacked(
 *   [
 *     new Bidirectional(new LSTM({ inputSize: 8, hiddenSize: 16 }), { merge: 'sum' }), // [B, T, 16]
 *     new GRU({ inputSize: 16, hiddenSize: 16 }),
 *     new GRU({ inputSize: 16, hiddenSize: 16 }),
 *   ],
 *   { dropout: 0.1, residual: true }, // the GRUs add their input to their output
 * );
 * const { output, state } = deep.forward(randn([3, 7, 8]), { lengths: [7, 7, 4] });
 * console.log(output.shape, state.length); // [3, 7, 16] 3
 * ```
 */
export class Stacked extends Module {
  /** The layers, bottom first. */
  readonly layers: StackableLayer[];
  /** Inter-layer dropout probability. */
  readonly dropout: number;
  /** Whether residual connections are added where shapes match. */
  readonly residual: boolean;
  /** Features of the last layer's output. */
  readonly outputSize: number;
  readonly #generator: Generator | undefined;

  /** Stacks `layers`; each layer's `inputSize` must equal the previous layer's output size. */
  constructor(layers: readonly StackableLayer[], options: StackedOptions = {}) {
    super();
    if (!Array.isArray(layers) || layers.length === 0) throw new ValueError('Stacked: layers must be a non-empty array');
    const p = options.dropout ?? 0;
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new ValueError(`Stacked: dropout must be in [0, 1], got ${p}`);
    const residual = options.residual ?? false;
    if (typeof residual !== 'boolean') throw new ValueError(`Stacked: residual must be a boolean, got ${String(residual)}`);
    layers.forEach((layer, i) => {
      if (!(layer instanceof SequenceLayer) && !(layer instanceof Bidirectional)) {
        throw new ValueError(`Stacked: layers[${i}] must be an RNN/LSTM/GRU sequence layer or a Bidirectional`);
      }
      if (i > 0) {
        const prev = outputSizeOf(layers[i - 1]!);
        if (layer.inputSize !== prev) {
          throw new ShapeError(`Stacked: layers[${i}].inputSize is ${layer.inputSize} but layers[${i - 1}] outputs ${prev} features`);
        }
      }
      if (i < layers.length - 1 && !returnsSequences(layer)) {
        throw new ValueError(`Stacked: layers[${i}] must return sequences (returnSequences: true) to feed layers[${i + 1}]`);
      }
    });
    this.layers = [...layers];
    this.dropout = p;
    this.residual = residual;
    this.outputSize = outputSizeOf(layers[layers.length - 1]!);
    this.#generator = options.generator;
  }

  /** Runs every layer in turn over `x [B, T, X]`. */
  forward(x: Tensor, options: StackedForwardOptions = {}): StackedResult {
    const { state, lengths } = options;
    const n = this.layers.length;
    if (state !== undefined && (!Array.isArray(state) || state.length !== n)) {
      throw new ValueError(`Stacked: state must be an array of ${n} layer states, got ${describe(state)}`);
    }
    const finals: LayerState[] = [];
    let input = x; // [B, T, X] for the first layer, [B, T, ·] after
    for (let i = 0; i < n; i++) {
      const layer = this.layers[i]!;
      const r =
        layer instanceof Bidirectional
          ? layer.forward(input, { state: state?.[i] as BidirectionalState | undefined, lengths })
          : layer.forward(input, { state: state?.[i] as HiddenState | undefined, lengths });
      let out = r.output; // [B, T, H·D]
      if (this.residual && i > 0 && sameShape(out, input)) out = add(out, input);
      finals.push(r.state);
      input = i < n - 1 ? dropout(out, this.dropout, { training: this.training, generator: this.#generator }) : out;
    }
    return { output: input, state: finals };
  }

  /** Clears the carried state of every stateful layer. */
  resetState(): void {
    for (const l of this.layers) l.resetState();
  }
}

function sameShape(a: Tensor, b: Tensor): boolean {
  return a.rank === b.rank && a.shape.every((d, i) => d === b.shape[i]);
}

function outputSizeOf(layer: StackableLayer): number {
  return layer instanceof Bidirectional ? layer.outputSize : layer.hiddenSize;
}

function returnsSequences(layer: StackableLayer): boolean {
  return layer instanceof Bidirectional ? layer.forwardLayer.returnSequences : layer.returnSequences;
}

function describe(v: unknown): string {
  return Array.isArray(v) ? `an array of ${v.length}` : v === null ? 'null' : typeof v;
}
