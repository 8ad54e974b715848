import { type Tensor, ShapeError, ValueError, fmtShape, tensor } from '@elman/core';
import type { RecurrentWeights } from '@elman/cells';
import type { RecurrentMode } from '../recurrent-network.js';
import { GATES, checkMode, checkTensor, checkTorchWeights, inverse, permuteBlocks, transposed } from './gate-blocks.js';

/**
 * One direction of a Keras / tfjs-layers recurrent layer (`SimpleRNN`, `LSTM`, `GRU` with `reset_after=True`), in the
 * order of `layer.get_weights()` / `layer.getWeights()`.
 */
export interface KerasWeights {
  /** Input kernel `[X, G·H]`, gate blocks along the columns (LSTM i,f,c,o; GRU z,r,h). */
  kernel: Tensor;
  /** Recurrent kernel `[H, G·H]`. */
  recurrentKernel: Tensor;
  /** Bias `[G·H]` (SimpleRNN, LSTM) or `[2, G·H]` (GRU with reset_after: input row, recurrent row); null without bias. */
  bias: Tensor | null;
}

/**
 * Keras' gate order expressed in PyTorch's gate indices: LSTM i,f,c,o is torch's i,f,g,o unchanged; GRU z,r,h is
 * torch's blocks [z = 1, r = 0, n = 2].
 */
const KERAS_ORDER: Readonly<Record<RecurrentMode, readonly number[]>> = { rnn: [0], lstm: [0, 1, 2, 3], gru: [1, 0, 2] };

/**
 * Converts one direction of PyTorch-layout weights (a layer's `weightIh`, `weightHh`, `biasIh`, `biasHh`) to Keras'
 * layout: kernels transposed, GRU gates reordered to z,r,h with the `(2, 3H)` reset-after bias; SimpleRNN and LSTM have
 * one bias, `bias_ih + bias_hh`.
 *
 * @example
 * ```ts run
 * import { LSTM } from '@elman/cells';
 * import { fromKeras, toKeras } from '@elman/wrappers';
 *
 * const lstm = new LSTM({ inputSize: 8, hiddenSize: 16 });
 * const keras = toKeras('lstm', lstm); // kernel [8, 64], recurrentKernel [16, 64], bias [64]: tf.keras.layers.LSTM's
 * console.log(keras.kernel.shape, keras.recurrentKernel.shape, keras.bias?.shape);
 * // And back, e.g. weights read from a Keras model: gates reordered and transposed to PyTorch's layout.
 * const w = fromKeras('lstm', keras);
 * lstm.loadStateDict({ weight_ih_l0: w.weightIh, weight_hh_l0: w.weightHh, bias_ih_l0: w.biasIh!, bias_hh_l0: w.biasHh! });
 * ```
 */
export function toKeras(mode: RecurrentMode, weights: RecurrentWeights<Tensor>): KerasWeights {
  const op = 'toKeras';
  checkMode(op, mode);
  const [H, X, hasBias] = checkTorchWeights(op, mode, weights);
  const G = GATES[mode];
  const order = KERAS_ORDER[mode];
  const kernelOf = (w: Tensor, cols: number): Tensor => {
    const rows = new Float32Array(G * H * cols);
    permuteBlocks(w.data as Float32Array, 0, rows, 0, order, H, cols); // [G·H, cols], Keras gate order
    return tensor(transposed(rows, G * H, cols), [cols, G * H]);
  };
  let bias: Tensor | null = null;
  if (hasBias) {
    const bi = new Float32Array(G * H);
    const bh = new Float32Array(G * H);
    permuteBlocks(weights.biasIh!.data as Float32Array, 0, bi, 0, order, H, 1);
    permuteBlocks(weights.biasHh!.data as Float32Array, 0, bh, 0, order, H, 1);
    if (mode === 'gru') {
      const both = new Float32Array(2 * G * H);
      both.set(bi, 0);
      both.set(bh, G * H);
      bias = tensor(both, [2, G * H]);
    } else {
      for (let i = 0; i < bi.length; i++) bi[i]! += bh[i]!;
      bias = tensor(bi, [G * H]);
    }
  }
  return { kernel: kernelOf(weights.weightIh, X), recurrentKernel: kernelOf(weights.weightHh, H), bias };
}

/**
 * Converts one direction of Keras-layout weights to PyTorch's layout (load the result into a layer with
 * `loadStateDict`). SimpleRNN and LSTM biases become `bias_ih` (with `bias_hh` = 0), which gives the same sums.
 */
export function fromKeras(mode: RecurrentMode, weights: KerasWeights): RecurrentWeights<Tensor> {
  const op = 'fromKeras';
  checkMode(op, mode);
  if (typeof weights !== 'object' || weights === null) throw new ValueError(`${op}: weights must be {kernel, recurrentKernel, bias}`);
  const G = GATES[mode];
  const rk = weights.recurrentKernel;
  const H = rk?.shape?.[0];
  if (H === undefined || rk.rank !== 2 || rk.shape[1] !== G * H) {
    throw new ShapeError(`${op}: recurrentKernel must be [H, ${G}·H] for ${mode}, got ${rk?.shape ? fmtShape(rk.shape) : typeof rk}`);
  }
  checkTensor(op, 'recurrentKernel', rk, [H, G * H]);
  const X = weights.kernel?.shape?.[0] ?? 0;
  checkTensor(op, 'kernel', weights.kernel, [X, G * H]);
  const back = inverse(KERAS_ORDER[mode]);
  const weightOf = (k: Tensor, cols: number): Tensor => {
    const rows = transposed(k.data as Float32Array, cols, G * H); // [G·H, cols], Keras gate order
    const out = new Float32Array(G * H * cols);
    permuteBlocks(rows, 0, out, 0, back, H, cols);
    return tensor(out, [G * H, cols]);
  };
  let biasIh: Tensor | null = null;
  let biasHh: Tensor | null = null;
  if (weights.bias) {
    const rowsB = mode === 'gru' ? 2 : 1;
    checkTensor(op, 'bias', weights.bias, mode === 'gru' ? [2, G * H] : [G * H]);
    const src = weights.bias.data as Float32Array;
    const bi = new Float32Array(G * H);
    const bh = new Float32Array(G * H);
    permuteBlocks(src, 0, bi, 0, back, H, 1);
    if (rowsB === 2) permuteBlocks(src, G * H, bh, 0, back, H, 1);
    biasIh = tensor(bi, [G * H]);
    biasHh = tensor(bh, [G * H]);
  }
  return { weightIh: weightOf(weights.kernel, X), weightHh: weightOf(rk, H), biasIh, biasHh };
}
