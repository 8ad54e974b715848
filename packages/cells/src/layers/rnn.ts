import type { Generator, Tensor } from '@elman/core';
import type { SequenceOutputs } from '../kernels/fused-sequence.js';
import type { HiddenGradTracker } from '../kernels/hidden-grad-norms.js';
import { type Nonlinearity, rnnSequence } from '../kernels/rnn-sequence.js';
import type { SequencePlan } from '../kernels/sequence-plan.js';
import type { HiddenState } from '../state.js';
import { type RecurrentWeights, initIrnn } from '../weights.js';
import { checkInitialization, checkNonlinearity, type RnnInitialization } from '../rnn-options.js';
import { SequenceLayer, type SequenceLayerOptions } from './sequence-layer.js';

/** Options of {@link RNN}. */
export interface RNNOptions extends SequenceLayerOptions {
  /** `'tanh'` (default) or `'relu'`. */
  nonlinearity?: Nonlinearity;
  /**
   * `'default'`: PyTorch's U(−1/√H, 1/√H). `'irnn'`: identity recurrent weights, zero biases, input weights
   * N(0, 0.001²) (Le et al. 2015; meant for ReLU, see {@link RNN.irnn}).
   */
  initialization?: RnnInitialization;
}

/**
 * Single-layer, single-direction Elman RNN over whole sequences with a fused kernel (PyTorch's
 * `torch.nn.RNN(num_layers=1, batch_first=True)`): h' = act(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh); state dict
 * `weight_ih_l0 [H, X]`, `weight_hh_l0 [H, H]`, `bias_ih_l0 [H]`, `bias_hh_l0 [H]`; state `{h}` `[B, H]`.
 *
 * @example
 * ```ts run
 * import { Linear, mseLoss } from '@elman/core';
 * import { RNN, addingProblem } from '@elman/cells';
 *
 * const rnn = RNN.irnn({ inputSize: 2, hiddenSize: 32 }); // ReLU RNN with identity recurrent weights (Le et al. 2015)
 * const head = new Linear(32, 1);
 * const { inputs, targets } = addingProblem({ batchSize: 8, length: 30 }); // [8, 30, 2], [8, 1]
 * const run = rnn.forward(inputs, { trackHiddenGrads: true }); // output [8, 30, 32], state.h [8, 32]
 * mseLoss(head.forward(run.state.h), targets).backward();
 * console.log(run.hiddenGradNorms()); // ‖∂L/∂h_t‖ for t = 0…29: how far back the gradient reaches
 * ```
 */
export class RNN extends SequenceLayer<HiddenState> {
  /** `'tanh'` or `'relu'`. */
  readonly nonlinearity: Nonlinearity;
  /** How {@link RNN.resetParameters} initialises the weights. */
  readonly initialization: RnnInitialization;

  /** Creates the layer. */
  constructor(options: RNNOptions) {
    super('RNN', 1, ['h'], options);
    this.nonlinearity = checkNonlinearity('RNN', options.nonlinearity);
    this.initialization = checkInitialization('RNN', options.initialization);
    this.resetParameters(options.generator);
  }

  /**
   * The IRNN preset (Le, Jaitly & Hinton 2015): a ReLU RNN whose recurrent weights start as the identity and biases
   * at 0, so at initialisation the state is carried unchanged and gradients neither vanish nor explode.
   */
  static irnn(options: Omit<RNNOptions, 'nonlinearity' | 'initialization'>): RNN {
    return new RNN({ ...options, nonlinearity: 'relu', initialization: 'irnn' });
  }

  /** Re-draws the parameters according to {@link RNN.initialization}. */
  override resetParameters(generator?: Generator): void {
    if (this.initialization === 'irnn') {
      initIrnn(this.weights, generator);
    } else {
      super.resetParameters(generator);
    }
  }

  /** @internal */
  protected runKernel(
    x: Tensor,
    weights: RecurrentWeights,
    state: HiddenState | null,
    plan: SequencePlan,
    tracker: HiddenGradTracker | null,
  ): SequenceOutputs {
    return rnnSequence(x, weights, state?.h ?? null, this.nonlinearity, plan, tracker);
  }
}
