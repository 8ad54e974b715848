import { type Generator, Module, type Parameter, type Tensor, add, linear, relu, tanh, zeros } from '@elman/core';
import type { Nonlinearity } from '../kernels/rnn-sequence.js';
import { type RnnInitialization, checkInitialization, checkNonlinearity } from '../rnn-options.js';
import type { HiddenState } from '../state.js';
import { checkStateObject, checkStateTensor, checkStepInput } from '../validate.js';
import { type RecurrentSizeOptions, checkSizes, createWeights, initDefault, initIrnn } from '../weights.js';

/** Options of {@link RNNCell}. */
export interface RNNCellOptions extends RecurrentSizeOptions {
  /** `'tanh'` (default) or `'relu'`. */
  nonlinearity?: Nonlinearity;
  /** `'default'` (PyTorch's U(−1/√H, 1/√H)) or `'irnn'` (identity recurrent weights, Le et al. 2015). */
  initialization?: RnnInitialization;
}

/**
 * One step of an Elman RNN (PyTorch's `torch.nn.RNNCell`): h' = act(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh).
 * State dict `weight_ih [H, X]`, `weight_hh [H, H]`, `bias_ih [H]`, `bias_hh [H]`. Built from core ops, so autograd
 * composes step by step; for whole sequences the fused {@link RNN} layer is much faster.
 *
 * @example
 * ```ts run
 * import { randn } from '@elman/core';
 * import { RNNCell } from '@elman/cells';
 *
 * const cell = new RNNCell({ inputSize: 3, hiddenSize: 5, nonlinearity: 'tanh' });
 * const xs = randn([4, 7, 3]); // [B, T, X]
 * let state = cell.forward(xs.select(1, 0)); // {h [4, 5]}, from zeros
 * for (let t = 1; t < 7; t++) state = cell.forward(xs.select(1, t), state); // unrolled by hand: BPTT through the loop
 * state.h.sum().backward();
 * console.log(state.h.shape, cell.weight_hh.grad?.shape); // [4, 5] [5, 5]
 * ```
 */
export class RNNCell extends Module {
  /** Features per input, X. */
  readonly inputSize: number;
  /** Features of the hidden state, H. */
  readonly hiddenSize: number;
  /** `'tanh'` or `'relu'`. */
  readonly nonlinearity: Nonlinearity;
  /** How {@link RNNCell.resetParameters} initialises the weights. */
  readonly initialization: RnnInitialization;
  /** `[H, X]`. */
  weight_ih: Parameter;
  /** `[H, H]`. */
  weight_hh: Parameter;
  /** `[H]`, or null without bias. */
  bias_ih: Parameter | null;
  /** `[H]`, or null without bias. */
  bias_hh: Parameter | null;

  /** Creates the cell. */
  constructor(options: RNNCellOptions) {
    super();
    const [inputSize, hiddenSize, bias] = checkSizes('RNNCell', options);
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.nonlinearity = checkNonlinearity('RNNCell', options.nonlinearity);
    this.initialization = checkInitialization('RNNCell', options.initialization);
    const w = createWeights(1, inputSize, hiddenSize, bias);
    this.weight_ih = w.weightIh;
    this.weight_hh = w.weightHh;
    this.bias_ih = w.biasIh;
    this.bias_hh = w.biasHh;
    this.resetParameters(options.generator);
  }

  /** The IRNN preset: a ReLU cell with identity recurrent weights and zero biases (Le, Jaitly & Hinton 2015). */
  static irnn(options: Omit<RNNCellOptions, 'nonlinearity' | 'initialization'>): RNNCell {
    return new RNNCell({ ...options, nonlinearity: 'relu', initialization: 'irnn' });
  }

  /** Re-draws the parameters according to {@link RNNCell.initialization}. */
  resetParameters(generator?: Generator): void {
    const w = { weightIh: this.weight_ih, weightHh: this.weight_hh, biasIh: this.bias_ih, biasHh: this.bias_hh };
    if (this.initialization === 'irnn') initIrnn(w, generator);
    else initDefault(w, this.hiddenSize, generator);
  }

  /** One step: `x [B, X]`, state `{h [B, H]}` (zeros when omitted) → `{h [B, H]}`. */
  forward(x: Tensor, state?: HiddenState): HiddenState {
    const B = checkStepInput('RNNCell', x, this.inputSize);
    let h: Tensor;
    if (state === undefined) {
      h = zeros([B, this.hiddenSize]);
    } else {
      checkStateObject('RNNCell', state, ['h']);
      h = checkStateTensor('RNNCell', 'state.h', state.h, B, this.hiddenSize);
    }
    const pre = add(linear(x, this.weight_ih, this.bias_ih), linear(h, this.weight_hh, this.bias_hh)); // [B, H]
    return { h: this.nonlinearity === 'tanh' ? tanh(pre) : relu(pre) };
  }
}
