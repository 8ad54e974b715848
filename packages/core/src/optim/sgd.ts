import { ValueError } from '../errors.js';
import {
  type Hyperparameters,
  Optimizer,
  type ParamGroup,
  type ParamState,
  type ParamsInput,
  checkAtLeast,
  checkBoolean,
} from './optimizer.js';

/** Hyperparameters of {@link SGD} (per parameter group). */
export interface SGDHyperparameters extends Hyperparameters {
  /** Momentum factor μ. Default 0 (plain gradient descent). */
  momentum: number;
  /** Dampening of the gradient's share of the momentum buffer. Default 0. */
  dampening: number;
  /** L2 penalty added to the gradient (`g + λθ`). Default 0. */
  weightDecay: number;
  /** Nesterov momentum (needs momentum > 0 and dampening 0). Default false. */
  nesterov: boolean;
}

/** Options of {@link SGD}: defaults for every parameter group. */
export type SGDOptions = Partial<SGDHyperparameters>;

/**
 * Stochastic gradient descent with momentum, exactly as `torch.optim.SGD` (defaults: lr 1e-3, no momentum):
 * g ← g + λθ; b ← g on the first step, else μb + (1 − dampening)g; g ← g + μb (Nesterov) or b; θ ← θ − lr·g.
 * Nesterov momentum in this form follows Sutskever et al. 2013, "On the importance of initialization and momentum".
 *
 * @example
 * ```ts run
 * import { Linear, SGD, crossEntropy, randn, tensor } from '@elman/core';
 *
 * const model = new Linear(4, 3);
 * const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 1e-4 });
 * const x = randn([6, 4]);
 * const labels = tensor([0, 1, 2, 0, 1, 2], [6], { dtype: 'int32' });
 * for (let step = 0; step < 20; step++) {
 *   opt.zeroGrad();
 *   crossEntropy(model.forward(x), labels).backward();
 *   opt.step();
 * }
 * ```
 */
export class SGD extends Optimizer<SGDHyperparameters> {
  protected readonly bufferNames = ['momentum_buffer'] as const;

  /** Class name used in error messages and state dicts. */
  get name(): string {
    return 'SGD';
  }

  /**
   * @param params Parameters or parameter groups (`{params, lr?, momentum?, …}`).
   * @param options Default hyperparameters.
   */
  constructor(params: ParamsInput<SGDHyperparameters>, options: SGDOptions = {}) {
    super(params, {
      lr: options.lr ?? 1e-3,
      momentum: options.momentum ?? 0,
      dampening: options.dampening ?? 0,
      weightDecay: options.weightDecay ?? 0,
      nesterov: options.nesterov ?? false,
    });
  }

  protected validate(h: SGDHyperparameters, where: string): void {
    checkAtLeast('SGD', 'lr', h.lr, 0, where);
    checkAtLeast('SGD', 'momentum', h.momentum, 0, where);
    if (typeof h.dampening !== 'number' || !Number.isFinite(h.dampening)) {
      throw new ValueError(`SGD: dampening must be a finite number, got ${h.dampening}${where}`);
    }
    checkAtLeast('SGD', 'weightDecay', h.weightDecay, 0, where);
    checkBoolean('SGD', 'nesterov', h.nesterov, where);
    if (h.nesterov && (h.momentum <= 0 || h.dampening !== 0)) {
      throw new ValueError(
        `SGD: nesterov needs momentum > 0 and dampening 0, got momentum ${h.momentum}, dampening ${h.dampening}${where}`,
      );
    }
  }

  protected update(param: Float32Array, grad: Float32Array, group: ParamGroup<SGDHyperparameters>, state: ParamState): void {
    const { lr, momentum, dampening, weightDecay: wd, nesterov } = group;
    const n = param.length;
    if (momentum === 0) {
      for (let i = 0; i < n; i++) {
        const p = param[i]!;
        param[i] = p - lr * (grad[i]! + wd * p);
      }
      return;
    }
    let buf = state.buffers.momentum_buffer;
    // torch initialises the buffer with the first gradient itself (no dampening on step one).
    const first = buf === undefined;
    if (!buf) buf = state.buffers.momentum_buffer = new Float32Array(n);
    const keep = 1 - dampening;
    for (let i = 0; i < n; i++) {
      const p = param[i]!;
      const g = grad[i]! + wd * p;
      const b = first ? g : momentum * buf[i]! + keep * g;
      buf[i] = b;
      param[i] = p - lr * (nesterov ? g + momentum * b : b);
    }
  }
}
