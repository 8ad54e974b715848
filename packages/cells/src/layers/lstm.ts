import type { Generator, Tensor } from '@elman/core';
import type { SequenceOutputs } from '../kernels/fused-sequence.js';
import type { HiddenGradTracker } from '../kernels/hidden-grad-norms.js';
import { lstmSequence } from '../kernels/lstm-sequence.js';
import type { SequencePlan } from '../kernels/sequence-plan.js';
import type { LstmState } from '../state.js';
import { type RecurrentWeights, setForgetBias } from '../weights.js';
import { SequenceLayer, type SequenceLayerOptions } from './sequence-layer.js';

/** Options of {@link LSTM}. */
export interface LSTMOptions extends SequenceLayerOptions {
  /**
   * Initial forget-gate bias: the f block of `bias_ih` is set to this value and that of `bias_hh` to 0, so the
   * cell starts out remembering (Jozefowicz et al. 2015 recommend 1). Default: PyTorch's random init.
   */
  forgetBias?: number;
}

/**
 * Single-layer, single-direction LSTM over whole sequences with a fused kernel (PyTorch's
 * `torch.nn.LSTM(num_layers=1, batch_first=True)`): gates i, f, g, o; state dict `weight_ih_l0 [4H, X]`,
 * `weight_hh_l0 [4H, H]`, `bias_ih_l0 [4H]`, `bias_hh_l0 [4H]`; state `{h, c}`, each `[B, H]`.
 *
 * @example
 * ```ts run
 * import { randn } from '@elman/core';
 * import { LSTM } from '@elman/cells';
 *
 * const lstm = new LSTM({ inputSize: 8, hiddenSize: 16 });
 * const x = randn([2, 5, 8]); // [B, T, X], the second sequence right-padded after 3 steps
 * const { output, state } = lstm.forward(x, { lengths: [5, 3] }); // output [2, 5, 16], zero past each end
 * console.log(output.shape, state.h.shape, state.c.shape); // state: at each sequence's last valid step, [2, 16]
 * console.log(Object.keys(lstm.stateDict())); // ['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0'] as torch
 * ```
 */
export class LSTM extends SequenceLayer<LstmState> {
  /** The forget-gate bias preset, if any. */
  readonly forgetBias: number | undefined;

  /** Creates the layer, initialised like PyTorch (plus the `forgetBias` preset). */
  constructor(options: LSTMOptions) {
    super('LSTM', 4, ['h', 'c'], options);
    this.forgetBias = options.forgetBias;
    this.resetParameters(options.generator);
  }

  /** Re-draws the parameters (PyTorch's default), then applies the `forgetBias` preset. */
  override resetParameters(generator?: Generator): void {
    super.resetParameters(generator);
    if (this.forgetBias !== undefined) {
      setForgetBias('LSTM', this.weights, this.hiddenSize, this.forgetBias);
    }
  }

  /** @internal */
  protected runKernel(
    x: Tensor,
    weights: RecurrentWeights,
    state: LstmState | null,
    plan: SequencePlan,
    tracker: HiddenGradTracker | null,
  ): SequenceOutputs {
    return lstmSequence(x, weights, state?.h ?? null, state?.c ?? null, plan, tracker);
  }
}
