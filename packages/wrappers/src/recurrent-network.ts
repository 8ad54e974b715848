import {
  DTypeError,
  type Generator,
  Module,
  ShapeError,
  Tensor,
  ValueError,
  fmtShape,
  select,
  stack,
} from '@elman/core';
import { GRU, type HiddenState, LSTM, type LstmState, type Nonlinearity, RNN, type SequenceLayer } from '@elman/cells';
import { Bidirectional, type BidirectionalState } from './bidirectional.js';
import { type LayerState, type StackableLayer, Stacked } from './stacked.js';

/** The recurrence of a {@link RecurrentNetwork}: PyTorch's `nn.RNN`, `nn.LSTM` or `nn.GRU`. */
export type RecurrentMode = 'rnn' | 'lstm' | 'gru';

/** Options of the factories {@link lstm}, {@link gru} and {@link rnn} (PyTorch's constructor arguments). */
export interface RecurrentNetworkOptions {
  /** Features per input step, X. */
  inputSize: number;
  /** Features of each direction's hidden state, H. */
  hiddenSize: number;
  /** Number of stacked layers L (default 1). */
  numLayers?: number;
  /** Run every layer in both directions, D = 2 (default false, D = 1). */
  bidirectional?: boolean;
  /** Dropout probability on the outputs of every layer but the last, in training mode (default 0). */
  dropout?: number;
  /** Learn `bias_ih_l{k}` and `bias_hh_l{k}` (default true). */
  bias?: boolean;
  /** Inputs are `[B, T, X]`; only `true` is supported (Elman is batch-first throughout). */
  batchFirst?: true;
  /** Random stream for the initial weights and dropout masks; default: the global generator. */
  generator?: Generator;
}

/** Options of {@link rnn}: {@link RecurrentNetworkOptions} plus the nonlinearity. */
export interface RNNNetworkOptions extends RecurrentNetworkOptions {
  /** `'tanh'` (default) or `'relu'`. */
  nonlinearity?: Nonlinearity;
}

/** State of a {@link RecurrentNetwork} in PyTorch's layout: index `layer·D + direction` along the first axis. */
export interface NetworkState {
  /** Hidden state `[L·D, B, H]` (PyTorch `h_n`). */
  h: Tensor;
  /** Cell state `[L·D, B, H]` (PyTorch `c_n`), LSTM only. */
  c?: Tensor;
}

/** Per-call options of {@link RecurrentNetwork.forward}. */
export interface NetworkForwardOptions {
  /** Initial state `{h [L·D, B, H], c?}` (`c` required for LSTM); zeros when omitted. */
  state?: NetworkState;
  /** Valid length of every right-padded sequence, integers in [1, T] (PyTorch packed-sequence semantics). */
  lengths?: readonly number[] | Int32Array;
}

/** The result of {@link RecurrentNetwork.forward}. */
export interface NetworkResult {
  /** Last layer's outputs `[B, T, D·H]` (both directions concatenated), 0 past each sequence's end. */
  output: Tensor;
  /** Final states `{h [L·D, B, H], c?}` in PyTorch's `h_n`/`c_n` layout. */
  state: NetworkState;
}

/**
 * A multi-layer, optionally bidirectional RNN/LSTM/GRU equivalent to `torch.nn.RNN/LSTM/GRU(batch_first=True)`: same
 * state-dict keys and shapes (`weight_ih_l{k}[_reverse]`, `weight_hh_l{k}[_reverse]`, `bias_ih_l{k}[_reverse]`,
 * `bias_hh_l{k}[_reverse]`, `weight_ih_l{k}` being `[G·H, D·H]` for k > 0), same outputs and the same `h_n`/`c_n`
 * layout. Built from the fused layers of @elman/cells, a {@link Bidirectional} per layer when D = 2, and a
 * {@link Stacked} for depth; create it with {@link lstm}, {@link gru} or {@link rnn}.
 */
export class RecurrentNetwork extends Module {
  /** `'rnn'`, `'lstm'` or `'gru'`. */
  readonly mode: RecurrentMode;
  /** Features per input step, X. */
  readonly inputSize: number;
  /** Features of each direction's hidden state, H. */
  readonly hiddenSize: number;
  /** Number of layers, L. */
  readonly numLayers: number;
  /** Whether every layer runs in both directions. */
  readonly bidirectional: boolean;
  /** Inter-layer dropout probability. */
  readonly dropout: number;
  readonly #name: string;
  readonly #stack: Stacked;

  /**
   * Builds the network; prefer the factories {@link lstm}, {@link gru}, {@link rnn}.
   * @param mode - the recurrence
   * @param options - PyTorch's constructor arguments
   */
  constructor(mode: RecurrentMode, options: RNNNetworkOptions) {
    super();
    const name = mode;
    if (typeof options !== 'object' || options === null) {
      throw new ValueError(`${name}: options must be an object {inputSize, hiddenSize, ...}, got ${String(options)}`);
    }
    const numLayers = options.numLayers ?? 1;
    if (!(Number.isInteger(numLayers) && numLayers >= 1)) {
      throw new ValueError(`${name}: numLayers must be a positive integer, got ${numLayers}`);
    }
    const bidirectional = options.bidirectional ?? false;
    if (typeof bidirectional !== 'boolean') {
      throw new ValueError(`${name}: bidirectional must be a boolean, got ${String(bidirectional)}`);
    }
    if (options.batchFirst !== undefined && options.batchFirst !== true) {
      throw new ValueError(`${name}: only batchFirst: true is supported (inputs are [B, T, X]), got ${String(options.batchFirst)}`);
    }
    if (mode !== 'rnn' && options.nonlinearity !== undefined) {
      throw new ValueError(`${name}: nonlinearity applies to rnn() only`);
    }
    const D = bidirectional ? 2 : 1;
    const layers: StackableLayer[] = [];
    for (let k = 0; k < numLayers; k++) {
      const base = {
        inputSize: k === 0 ? options.inputSize : D * options.hiddenSize,
        hiddenSize: options.hiddenSize,
        bias: options.bias,
        suffix: `_l${k}`,
        generator: options.generator,
      };
      const layer: SequenceLayer<HiddenState> =
        mode === 'lstm'
          ? new LSTM(base)
          : mode === 'gru'
            ? new GRU(base)
            : new RNN({ ...base, nonlinearity: options.nonlinearity });
      layers.push(bidirectional ? new Bidirectional(layer, { merge: 'concat', generator: options.generator }) : layer);
    }
    this.#stack = new Stacked(layers, { dropout: options.dropout, generator: options.generator });
    this.#name = name;
    this.mode = mode;
    this.inputSize = options.inputSize;
    this.hiddenSize = options.hiddenSize;
    this.numLayers = numLayers;
    this.bidirectional = bidirectional;
    this.dropout = this.#stack.dropout;
    // torch's flat names: every layer's parameters registered directly on this module, layer by layer.
    for (const layer of layers) for (const [key, p] of layer.namedParameters()) this.registerParameter(key, p);
  }

  /** Number of directions, D (1 or 2). */
  get numDirections(): number {
    return this.bidirectional ? 2 : 1;
  }

  /** The layers, bottom first (a {@link Bidirectional} per layer when bidirectional). */
  get layers(): readonly StackableLayer[] {
    return this.#stack.layers;
  }

  /** Runs the network over `x [B, T, X]`; returns the last layer's outputs and every layer's final state. */
  forward(x: Tensor, options: NetworkForwardOptions = {}): NetworkResult {
    const op = this.#name;
    const { state, lengths } = options;
    const L = this.numLayers;
    const D = this.numDirections;
    const H = this.hiddenSize;
    const isLstm = this.mode === 'lstm';
    if (!(x instanceof Tensor) || x.rank !== 3) {
      throw new ShapeError(`${op}: input must be [B, T, X] with X = inputSize ${this.inputSize}, got ${describe(x)}`);
    }
    const B = x.shape[0]!;
    let layerStates: LayerState[] | undefined;
    if (state !== undefined) {
      if (typeof state !== 'object' || state === null) throw new ValueError(`${op}: state must be an object {h${isLstm ? ', c' : ''}}`);
      const h = checkState(op, 'state.h', state.h, L * D, B, H);
      const c = isLstm ? checkState(op, 'state.c', state.c, L * D, B, H) : null;
      if (!isLstm && state.c !== undefined) throw new ValueError(`${op}: state.c is only for lstm()`);
      layerStates = [];
      for (let l = 0; l < L; l++) {
        const dir = (d: number): HiddenState => {
          const k = l * D + d;
          return c ? ({ h: select(h, 0, k), c: select(c, 0, k) } as LstmState) : { h: select(h, 0, k) }; // [B, H]
        };
        layerStates.push(D === 2 ? ({ forward: dir(0), backward: dir(1) } as BidirectionalState) : dir(0));
      }
    }
    this.#stack.train(this.training);
    const r = this.#stack.forward(x, { state: layerStates, lengths });
    const finals: HiddenState[] = [];
    for (const s of r.state) {
      if (D === 2) {
        const bi = s as BidirectionalState;
        finals.push(bi.forward, bi.backward);
      } else {
        finals.push(s as HiddenState);
      }
    }
    const hN = stack(finals.map((s) => s.h), 0); // [L·D, B, H]
    const out: NetworkState = { h: hN };
    if (isLstm) out.c = stack(finals.map((s) => (s as LstmState).c), 0); // [L·D, B, H]
    return { output: r.output, state: out };
  }
}

function checkState(op: string, what: string, t: unknown, LD: number, B: number, H: number): Tensor {
  if (!(t instanceof Tensor)) throw new ValueError(`${op}: ${what} must be a Tensor [L·D, B, H] = [${LD}, ${B}, ${H}], got ${describe(t)}`);
  if (t.dtype !== 'float32') throw new DTypeError(`${op}: ${what} must be float32, got ${t.dtype} ${fmtShape(t.shape)}`);
  if (t.rank !== 3 || t.shape[0] !== LD || t.shape[1] !== B || t.shape[2] !== H) {
    throw new ShapeError(`${op}: ${what} must be [L·D, B, H] = [${LD}, ${B}, ${H}], got ${fmtShape(t.shape)}`);
  }
  return t;
}

function describe(v: unknown): string {
  if (v instanceof Tensor) return fmtShape(v.shape);
  return v === null ? 'null' : typeof v;
}
