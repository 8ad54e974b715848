import type { Tensor } from '../tensor.js';
import { isGradEnabled } from './grad-mode.js';
import { type Grads, nextNodeId } from './node.js';

/**
 * Records a single-output op on the tape when grad mode is on and some input requires a gradient.
 * `saved` is what the op keeps for backward (declared at the call site, next to the forward code);
 * `backward(grad, saved)` returns the gradient of each input in order (null where not needed).
 */
export function record<S>(
  op: string,
  inputs: readonly Tensor[],
  output: Tensor,
  saved: S,
  backward: (grad: Tensor, saved: S) => Grads,
): Tensor {
  if (!needsGrad(inputs)) return output;
  attach(op, inputs, [output], (grads) => backward(grads[0] as Tensor, saved));
  return output;
}

/**
 * Records an op with several outputs (e.g. a fused sequence kernel returning outputs and final states).
 * `backward` receives one gradient per output, null for outputs that received none.
 */
export function recordMulti<S>(
  op: string,
  inputs: readonly Tensor[],
  outputs: readonly Tensor[],
  saved: S,
  backward: (grads: ReadonlyArray<Tensor | null>, saved: S) => Grads,
): Tensor[] {
  if (!needsGrad(inputs)) return [...outputs];
  attach(op, inputs, outputs, (grads) => backward(grads, saved));
  return [...outputs];
}

/** True when recording is on and an input requires a gradient. */
export function needsGrad(inputs: readonly Tensor[]): boolean {
  if (!isGradEnabled()) return false;
  for (const t of inputs) if (t.requiresGrad) return true;
  return false;
}

function attach(
  op: string,
  inputs: readonly Tensor[],
  outputs: readonly Tensor[],
  backward: (grads: ReadonlyArray<Tensor | null>) => Grads,
): void {
  const node = {
    id: nextNodeId(),
    op,
    inputs,
    numOutputs: outputs.length,
    backward,
    outGrads: new Array<Tensor | null>(outputs.length).fill(null),
    retained: null,
  };
  outputs.forEach((out, i) => {
    out.requiresGrad = true;
    out._node = node;
    out._outputIndex = i;
  });
}
