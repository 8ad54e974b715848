import {
  type Generator,
  Parameter,
  ValueError,
  eye_,
  normal_,
  rnnDefault_,
  zeros_,
} from '@elman/core';

/** Sizes and bias switch shared by every cell and sequence layer. */
export interface RecurrentSizeOptions {
  /** Features per input step, X. */
  inputSize: number;
  /** Features of the hidden state, H. */
  hiddenSize: number;
  /** Learn `bias_ih` and `bias_hh` (default true). */
  bias?: boolean;
  /** Random stream for the initial weights; default: the global generator seeded by `manualSeed`. */
  generator?: Generator;
}

/**
 * The four tensors of one recurrent layer in PyTorch's layout: `weightIh [G·H, X]`, `weightHh [G·H, H]`,
 * `biasIh [G·H]`, `biasHh [G·H]` (both biases null without bias), with G = 1 (RNN), 4 (LSTM, gates i,f,g,o)
 * or 3 (GRU, gates r,z,n) gate blocks stacked along the first axis.
 */
export interface RecurrentWeights<T = Parameter> {
  /** Input-to-hidden weights `[G·H, X]` (PyTorch `weight_ih`). */
  weightIh: T;
  /** Hidden-to-hidden weights `[G·H, H]` (PyTorch `weight_hh`). */
  weightHh: T;
  /** Input-side bias `[G·H]` (PyTorch `bias_ih`), or null. */
  biasIh: T | null;
  /** Hidden-side bias `[G·H]` (PyTorch `bias_hh`), or null. */
  biasHh: T | null;
}

/** Checks the sizes of a recurrent module's options and returns `[inputSize, hiddenSize, bias]`. */
export function checkSizes(op: string, options: RecurrentSizeOptions): [number, number, boolean] {
  if (typeof options !== 'object' || options === null) {
    throw new ValueError(`${op}: options must be an object {inputSize, hiddenSize, ...}, got ${String(options)}`);
  }
  const { inputSize, hiddenSize } = options;
  if (!(Number.isInteger(inputSize) && inputSize > 0)) {
    throw new ValueError(`${op}: inputSize must be a positive integer, got ${inputSize}`);
  }
  if (!(Number.isInteger(hiddenSize) && hiddenSize > 0)) {
    throw new ValueError(`${op}: hiddenSize must be a positive integer, got ${hiddenSize}`);
  }
  const bias = options.bias ?? true;
  if (typeof bias !== 'boolean') throw new ValueError(`${op}: bias must be a boolean, got ${String(bias)}`);
  return [inputSize, hiddenSize, bias];
}

/** Allocates the (zero) parameters of a recurrent layer with `gates` gate blocks. */
export function createWeights(gates: number, inputSize: number, hiddenSize: number, bias: boolean): RecurrentWeights {
  const rows = gates * hiddenSize;
  return {
    weightIh: new Parameter(new Float32Array(rows * inputSize), [rows, inputSize]),
    weightHh: new Parameter(new Float32Array(rows * hiddenSize), [rows, hiddenSize]),
    biasIh: bias ? new Parameter(new Float32Array(rows), [rows]) : null,
    biasHh: bias ? new Parameter(new Float32Array(rows), [rows]) : null,
  };
}

/**
 * PyTorch's default initialisation of `torch.nn.RNN/LSTM/GRU(Cell)`: every weight and bias U(−1/√H, 1/√H), drawn in
 * the order weight_ih, weight_hh, bias_ih, bias_hh (so a seeded generator gives reproducible weights).
 */
export function initDefault(w: RecurrentWeights, hiddenSize: number, generator?: Generator): void {
  for (const t of [w.weightIh, w.weightHh, w.biasIh, w.biasHh]) if (t) rnnDefault_(t, hiddenSize, { generator });
}

/**
 * IRNN initialisation (Le, Jaitly & Hinton 2015, "A Simple Way to Initialize Recurrent Networks of Rectified Linear
 * Units"): recurrent weights = identity, biases 0, input weights N(0, 0.001²) as in the paper.
 */
export function initIrnn(w: RecurrentWeights, generator?: Generator): void {
  normal_(w.weightIh, 0, 0.001, { generator });
  eye_(w.weightHh);
  if (w.biasIh) zeros_(w.biasIh);
  if (w.biasHh) zeros_(w.biasHh);
}

/**
 * Sets the LSTM forget-gate bias (gate block f, rows [H, 2H)) of `bias_ih` to `value` and of `bias_hh` to 0, so the
 * effective forget bias is `value` (Jozefowicz, Zaremba & Sutskever 2015 recommend 1).
 */
export function setForgetBias(op: string, w: RecurrentWeights, hiddenSize: number, value: number): void {
  if (!Number.isFinite(value)) throw new ValueError(`${op}: forgetBias must be a finite number, got ${value}`);
  if (!w.biasIh || !w.biasHh) throw new ValueError(`${op}: forgetBias needs bias: true`);
  const H = hiddenSize;
  (w.biasIh.data as Float32Array).fill(value, H, 2 * H);
  (w.biasHh.data as Float32Array).fill(0, H, 2 * H);
}
