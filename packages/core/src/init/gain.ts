import { ValueError, fmtShape } from '../errors.js';

/** Nonlinearities known to {@link calculateGain}. */
export type Nonlinearity = 'linear' | 'identity' | 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'selu';

/**
 * The recommended gain for a nonlinearity, as PyTorch's `nn.init.calculate_gain`: 1 for linear/identity/sigmoid,
 * 5/3 for tanh, √2 for ReLU, √(2 / (1 + slope²)) for leaky ReLU (`param` = negative slope, default 0.01), 3/4 for SELU.
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear':
    case 'identity':
    case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leakyRelu': {
      const slope = param ?? 0.01;
      if (!Number.isFinite(slope)) throw new ValueError(`calculateGain: negative slope must be finite, got ${slope}`);
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu':
      return 3 / 4;
    default:
      throw new ValueError(`calculateGain: unknown nonlinearity '${String(nonlinearity)}'`);
  }
}

/**
 * Fan-in and fan-out of a weight shape as PyTorch computes them: a weight is `[out, in, ...receptive field]`, so
 * fanIn = in·receptive and fanOut = out·receptive. Needs at least 2 dimensions.
 */
export function fanInAndFanOut(shape: readonly number[]): {
  /** Inputs feeding each output unit. */
  fanIn: number;
  /** Outputs fed by each input unit. */
  fanOut: number;
} {
  if (shape.length < 2) {
    throw new ValueError(`fanInAndFanOut: fan in and fan out need a tensor with at least 2 dimensions, got ${fmtShape(shape)}`);
  }
  let receptive = 1;
  for (let i = 2; i < shape.length; i++) receptive *= shape[i]!;
  return { fanIn: shape[1]! * receptive, fanOut: shape[0]! * receptive };
}
