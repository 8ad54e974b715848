import { type Generator, Module, type Parameter, type Tensor, add, linear, mul, sigmoid, split, tanh, zeros } from '@elman/core';
import type { LstmState } from '../state.js';
import { checkStateObject, checkStateTensor, checkStepInput } from '../validate.js';
import { type RecurrentSizeOptions, checkSizes, createWeights, initDefault, setForgetBias } from '../weights.js';

/** Options of {@link LSTMCell}. */
export interface LSTMCellOptions extends RecurrentSizeOptions {
  /**
   * Initial forget-gate bias: the f block of `bias_ih` is set to this value and that of `bias_hh` to 0
   * (Jozefowicz et al. 2015 recommend 1). Default: PyTorch's random init.
   */
  forgetBias?: number;
}

/**
 * One step of an LSTM (Hochreiter & Schmidhuber 1997; PyTorch's `torch.nn.LSTMCell`), gates i, f, g, o:
 * c' = σ(f)⊙c + σ(i)⊙tanh(g), h' = σ(o)⊙tanh(c'). State dict `weight_ih [4H, X]`, `weight_hh [4H, H]`,
 * `bias_ih [4H]`, `bias_hh [4H]`. Built from core ops; for whole sequences use the fused {@link LSTM} layer.
 *
 * @example
 * ```ts run
 * import { randn } from '@elman/core';
 * import { LSTMCell } from '@elman/cells';
 *
 * const cell = new LSTMCell({ inputSize: 3, hiddenSize: 5, forgetBias: 1 });
 * const xs = randn([4, 6, 3]); // [B, T, X]
 * let state = cell.forward(xs.select(1, 0)); // {h, c}, each [4, 5]
 * for (let t = 1; t < 6; t++) state = cell.forward(xs.select(1, t), state);
 * console.log(state.h.shape, state.c.shape, Object.keys(cell.stateDict())); // …, ['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh']
 * ```
 */
export class LSTMCell extends Module {
  /** Features per input, X. */
  readonly inputSize: number;
  /** Features of the hidden and cell state, H. */
  readonly hiddenSize: number;
  /** The forget-gate bias preset, if any. */
  readonly forgetBias: number | undefined;
  /** `[4H, X]`, gate blocks i, f, g, o. */
  weight_ih: Parameter;
  /** `[4H, H]`. */
  weight_hh: Parameter;
  /** `[4H]`, or null without bias. */
  bias_ih: Parameter | null;
  /** `[4H]`, or null without bias. */
  bias_hh: Parameter | null;

  /** Creates the cell, initialised like PyTorch (plus the `forgetBias` preset). */
  constructor(options: LSTMCellOptions) {
    super();
    const [inputSize, hiddenSize, bias] = checkSizes('LSTMCell', options);
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.forgetBias = options.forgetBias;
    const w = createWeights(4, inputSize, hiddenSize, bias);
    this.weight_ih = w.weightIh;
    this.weight_hh = w.weightHh;
    this.bias_ih = w.biasIh;
    this.bias_hh = w.biasHh;
    this.resetParameters(options.generator);
  }

  /** Re-draws the parameters (PyTorch's default), then applies the `forgetBias` preset. */
  resetParameters(generator?: Generator): void {
    const w = { weightIh: this.weight_ih, weightHh: this.weight_hh, biasIh: this.bias_ih, biasHh: this.bias_hh };
    initDefault(w, this.hiddenSize, generator);
    if (this.forgetBias !== undefined) setForgetBias('LSTMCell', w, this.hiddenSize, this.forgetBias);
  }

  /** One step: `x [B, X]`, state `{h, c}` each `[B, H]` (zeros when omitted) → `{h, c}`. */
  forward(x: Tensor, state?: LstmState): LstmState {
    const B = checkStepInput('LSTMCell', x, this.inputSize);
    const H = this.hiddenSize;
    let h: Tensor;
    let c: Tensor;
    if (state === undefined) {
      h = zeros([B, H]);
      c = zeros([B, H]);
    } else {
      checkStateObject('LSTMCell', state, ['h', 'c']);
      h = checkStateTensor('LSTMCell', 'state.h', state.h, B, H);
      c = checkStateTensor('LSTMCell', 'state.c', state.c, B, H);
    }
    const gates = add(linear(x, this.weight_ih, this.bias_ih), linear(h, this.weight_hh, this.bias_hh)); // [B, 4H]
    const [i, f, g, o] = split(gates, H, 1) as [Tensor, Tensor, Tensor, Tensor]; // each [B, H]
    const cNext = add(mul(sigmoid(f), c), mul(sigmoid(i), tanh(g))); // [B, H]
    return { h: mul(sigmoid(o), tanh(cNext)), c: cNext };
  }
}
