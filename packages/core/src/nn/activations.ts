import { gelu } from '../ops/elementwise/gelu.js';
import { relu } from '../ops/elementwise/relu.js';
import { sigmoid } from '../ops/elementwise/sigmoid.js';
import { tanh } from '../ops/elementwise/tanh.js';
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';

/** Element-wise tanh as a module (for {@link Sequential}). */
export class Tanh extends Module {
  /** tanh(x). */
  forward(x: Tensor): Tensor {
    return tanh(x);
  }
}

/** Element-wise max(x, 0) as a module. */
export class ReLU extends Module {
  /** max(x, 0). */
  forward(x: Tensor): Tensor {
    return relu(x);
  }
}

/** Element-wise logistic sigmoid as a module. */
export class Sigmoid extends Module {
  /** 1 / (1 + e^−x). */
  forward(x: Tensor): Tensor {
    return sigmoid(x);
  }
}

/** Element-wise exact GELU x·Φ(x) as a module (Hendrycks & Gimpel 2016; PyTorch's default `nn.GELU`). */
export class GELU extends Module {
  /** x·Φ(x). */
  forward(x: Tensor): Tensor {
    return gelu(x);
  }
}
