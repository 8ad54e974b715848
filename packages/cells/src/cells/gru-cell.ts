import { type Generator, Module, type Parameter, type Tensor, ValueError, add, linear, mul, sigmoid, slice, split, sub, tanh, zeros } from '@elman/core';
import type { HiddenState } from '../state.js';
import { checkStateObject, checkStateTensor, checkStepInput } from '../validate.js';
import { type RecurrentSizeOptions, checkSizes, createWeights, initDefault } from '../weights.js';

/** Options of {@link GRUCell}. */
export interface GRUCellOptions extends RecurrentSizeOptions {
  /**
   * Apply the reset gate before the recurrent product, n = tanh(W_in x + b_in + W_hn (r⊙h) + b_hn) (Cho et al. 2014),
   * instead of PyTorch's reset-after n = tanh(W_in x + b_in + r⊙(W_hn h + b_hn)). Default false.
   */
  resetBefore?: boolean;
}

/**
 * One step of a GRU (Cho et al. 2014; PyTorch's `torch.nn.GRUCell`), gates r, z, n: r = σ(·), z = σ(·),
 * n = tanh(W_in x + b_in + r⊙(W_hn h + b_hn)), h' = (1 − z)⊙n + z⊙h. State dict `weight_ih [3H, X]`,
 * `weight_hh [3H, H]`, `bias_ih [3H]`, `bias_hh [3H]`. Built from core ops; for sequences use the fused {@link GRU}.
 *
 * @example
 * ```ts run
 * import { randn } from '@elman/core';
 * import { GRUCell } from '@elman/cells';
 *
 * const cell = new GRUCell({ inputSize: 3, hiddenSize: 5 });
 * const x = randn([2, 3]); // [B, X]: one time step
 * const h1 = cell.forward(x); // {h [2, 5]}, from zeros
 * const h2 = cell.forward(x, h1);
 * console.log(h2.h.shape, cell.weight_ih.shape); // [2, 5] [15, 3]: gates r, z, n stacked
 * ```
 */
export class GRUCell extends Module {
  /** Features per input, X. */
  readonly inputSize: number;
  /** Features of the hidden state, H. */
  readonly hiddenSize: number;
  /** Whether the reset gate applies before the recurrent product (Cho et al. 2014). */
  readonly resetBefore: boolean;
  /** `[3H, X]`, gate blocks r, z, n. */
  weight_ih: Parameter;
  /** `[3H, H]`. */
  weight_hh: Parameter;
  /** `[3H]`, or null without bias. */
  bias_ih: Parameter | null;
  /** `[3H]`, or null without bias. */
  bias_hh: Parameter | null;

  /** Creates the cell, initialised like PyTorch. */
  constructor(options: GRUCellOptions) {
    super();
    const [inputSize, hiddenSize, bias] = checkSizes('GRUCell', options);
    const rb = options.resetBefore ?? false;
    if (typeof rb !== 'boolean') throw new ValueError(`GRUCell: resetBefore must be a boolean, got ${String(rb)}`);
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.resetBefore = rb;
    const w = createWeights(3, inputSize, hiddenSize, bias);
    this.weight_ih = w.weightIh;
    this.weight_hh = w.weightHh;
    this.bias_ih = w.biasIh;
    this.bias_hh = w.biasHh;
    this.resetParameters(options.generator);
  }

  /** Re-draws the parameters with PyTorch's default U(−1/√H, 1/√H). */
  resetParameters(generator?: Generator): void {
    const w = { weightIh: this.weight_ih, weightHh: this.weight_hh, biasIh: this.bias_ih, biasHh: this.bias_hh };
    initDefault(w, this.hiddenSize, generator);
  }

  /** One step: `x [B, X]`, state `{h [B, H]}` (zeros when omitted) → `{h [B, H]}`. */
  forward(x: Tensor, state?: HiddenState): HiddenState {
    const B = checkStepInput('GRUCell', x, this.inputSize);
    const H = this.hiddenSize;
    let h: Tensor;
    if (state === undefined) {
      h = zeros([B, H]);
    } else {
      checkStateObject('GRUCell', state, ['h']);
      h = checkStateTensor('GRUCell', 'state.h', state.h, B, H);
    }
    const [xr, xz, xn] = split(linear(x, this.weight_ih, this.bias_ih), H, 1) as [Tensor, Tensor, Tensor]; // each [B, H]
    let r: Tensor;
    let z: Tensor;
    let n: Tensor;
    if (!this.resetBefore) {
      const [hr, hz, hn] = split(linear(h, this.weight_hh, this.bias_hh), H, 1) as [Tensor, Tensor, Tensor]; // each [B, H]
      r = sigmoid(add(xr, hr));
      z = sigmoid(add(xz, hz));
      n = tanh(add(xn, mul(r, hn)));
    } else {
      // Only the r, z blocks see h itself; the n block's recurrent product takes r⊙h.
      const b = this.bias_hh;
      const hrz = linear(h, slice(this.weight_hh, 0, 0, 2 * H), b ? slice(b, 0, 0, 2 * H) : null); // [B, 2H]
      const [hr, hz] = split(hrz, H, 1) as [Tensor, Tensor];
      r = sigmoid(add(xr, hr));
      z = sigmoid(add(xz, hz));
      const hn = linear(mul(r, h), slice(this.weight_hh, 0, 2 * H, 3 * H), b ? slice(b, 0, 2 * H, 3 * H) : null); // [B, H]
      n = tanh(add(xn, hn));
    }
    return { h: add(n, mul(z, sub(h, n))) }; // (1 − z)⊙n + z⊙h
  }
}
