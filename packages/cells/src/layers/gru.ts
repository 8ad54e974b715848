import { type Tensor, ValueError } from '@elman/core';
import { gruSequence } from '../kernels/gru-sequence.js';
import type { SequenceOutputs } from '../kernels/fused-sequence.js';
import type { HiddenGradTracker } from '../kernels/hidden-grad-norms.js';
import type { SequencePlan } from '../kernels/sequence-plan.js';
import type { HiddenState } from '../state.js';
import type { RecurrentWeights } from '../weights.js';
import { SequenceLayer, type SequenceLayerOptions } from './sequence-layer.js';

/** Options of {@link GRU}. */
export interface GRUOptions extends SequenceLayerOptions {
  /**
   * Apply the reset gate before the recurrent product, n = tanh(W_in x + b_in + W_hn (r⊙h) + b_hn), as in Cho et al.
   * 2014, instead of PyTorch's reset-after n = tanh(W_in x + b_in + r⊙(W_hn h + b_hn)). Same parameters. Default false.
   */
  resetBefore?: boolean;
}

/**
 * Single-layer, single-direction GRU over whole sequences with a fused kernel (PyTorch's
 * `torch.nn.GRU(num_layers=1, batch_first=True)`): gates r, z, n, h' = (1 − z)⊙n + z⊙h; state dict
 * `weight_ih_l0 [3H, X]`, `weight_hh_l0 [3H, H]`, `bias_ih_l0 [3H]`, `bias_hh_l0 [3H]`; state `{h}` `[B, H]`.
 *
 * @example
 * ```ts run
 * import { Adam, mseLoss, randn } from '@elman/core';
 * import { GRU } from '@elman/cells';
 *
 * const gru = new GRU({ inputSize: 4, hiddenSize: 8, stateful: true }); // carries its state between calls
 * const opt = new Adam(gru.parameters(), { lr: 1e-2 });
 * const series = randn([2, 40, 4]); // [B, T, X]
 * for (let t = 0; t < 40; t += 10) {
 *   const { output } = gru.forward(series.slice(1, t, t + 10)); // [2, 10, 8]; the state is detached between chunks
 *   opt.zeroGrad();
 *   mseLoss(output, randn(output.shape)).backward(); // truncated BPTT over these 10 steps
 *   opt.step();
 * }
 * gru.resetState();
 * ```
 */
export class GRU extends SequenceLayer<HiddenState> {
  /** Whether the reset gate applies before the recurrent product (Cho et al. 2014). */
  readonly resetBefore: boolean;

  /** Creates the layer, initialised like PyTorch. */
  constructor(options: GRUOptions) {
    super('GRU', 3, ['h'], options);
    const rb = options.resetBefore ?? false;
    if (typeof rb !== 'boolean') throw new ValueError(`GRU: resetBefore must be a boolean, got ${String(rb)}`);
    this.resetBefore = rb;
    this.resetParameters(options.generator);
  }

  /** @internal */
  protected runKernel(
    x: Tensor,
    weights: RecurrentWeights,
    state: HiddenState | null,
    plan: SequencePlan,
    tracker: HiddenGradTracker | null,
  ): SequenceOutputs {
    return gruSequence(x, weights, state?.h ?? null, this.resetBefore, plan, tracker);
  }
}
