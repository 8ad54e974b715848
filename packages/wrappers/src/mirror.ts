import { type Generator, ValueError } from '@elman/core';
import { GRU, LSTM, RNN, type SequenceLayer, type HiddenState } from '@elman/cells';

/**
 * A fresh layer with the same class and configuration as `layer` but the opposite direction and the state-dict
 * suffix `{suffix}_reverse` (the backward half of a bidirectional layer, named like PyTorch's `weight_ih_l0_reverse`).
 * Its weights are newly initialised (PyTorch's default, plus the layer's presets) from `generator` (default: global).
 */
export function mirrorLayer<S extends HiddenState>(
  op: string,
  layer: SequenceLayer<S>,
  generator?: Generator,
): SequenceLayer<S> {
  const common = {
    inputSize: layer.inputSize,
    hiddenSize: layer.hiddenSize,
    bias: layer.bias,
    reverse: !layer.reverse,
    suffix: `${layer.suffix}_reverse`,
    stateful: layer.stateful,
    returnSequences: layer.returnSequences,
    generator,
  };
  let copy: SequenceLayer<HiddenState>;
  if (layer instanceof LSTM) {
    copy = new LSTM({ ...common, forgetBias: layer.forgetBias });
  } else if (layer instanceof GRU) {
    copy = new GRU({ ...common, resetBefore: layer.resetBefore });
  } else if (layer instanceof RNN) {
    copy = new RNN({ ...common, nonlinearity: layer.nonlinearity, initialization: layer.initialization });
  } else {
    throw new ValueError(`${op}: layer must be an RNN, LSTM or GRU sequence layer from @elman/cells`);
  }
  return copy as unknown as SequenceLayer<S>;
}
