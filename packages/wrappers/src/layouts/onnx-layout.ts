import { type Tensor, ShapeError, ValueError, fmtShape, tensor } from '@elman/core';
import type { RecurrentWeights } from '@elman/cells';
import type { RecurrentMode } from '../recurrent-network.js';
import { GATES, checkMode, checkTensor, checkTorchWeights, inverse, permuteBlocks } from './gate-blocks.js';

/** The weight inputs of an ONNX `RNN`, `LSTM` or `GRU` node (`linear_before_reset=1` for GRU). */
export interface OnnxWeights {
  /** Input weights `W [D, G·H, X]` (LSTM gates i,o,f,c; GRU z,r,h). */
  W: Tensor;
  /** Recurrent weights `R [D, G·H, H]`. */
  R: Tensor;
  /** Biases `B [D, 2·G·H]`: the input biases Wb then the recurrent biases Rb; null without bias. */
  B: Tensor | null;
}

/** ONNX's gate order in PyTorch's gate indices: LSTM i,o,f,c = torch [0, 3, 1, 2]; GRU z,r,h = torch [1, 0, 2]. */
const ONNX_ORDER: Readonly<Record<RecurrentMode, readonly number[]>> = { rnn: [0], lstm: [0, 3, 1, 2], gru: [1, 0, 2] };

/**
 * Converts the PyTorch-layout weights of one layer's directions (forward first, then `_reverse`) to the `W`, `R`, `B`
 * inputs of an ONNX node with `direction` `forward` (one entry) or `bidirectional` (two).
 *
 * @example
 * ```ts run
 * import { GRU } from '@elman/cells';
 * import { Bidirectional, fromOnnx, toOnnx } from '@elman/wrappers';
 *
 * const bi = new Bidirectional(new GRU({ inputSize: 8, hiddenSize: 16 }));
 * const { W, R, B } = toOnnx('gru', [bi.forwardLayer, bi.backwardLayer]); // zrh, linear_before_reset = 1
 * console.log(W.shape, R.shape, B?.shape); // [2, 48, 8] [2, 48, 16] [2, 96]
 * const [forward, backward] = fromOnnx('gru', { W, R, B }); // PyTorch layout again, one record per direction
 * console.log(forward?.weightIh.shape, backward?.weightHh.shape); // [48, 8] [48, 16]
 * ```
 */
export function toOnnx(mode: RecurrentMode, directions: readonly RecurrentWeights<Tensor>[]): OnnxWeights {
  const op = 'toOnnx';
  checkMode(op, mode);
  if (!Array.isArray(directions) || directions.length < 1 || directions.length > 2) {
    throw new ValueError(`${op}: directions must hold 1 or 2 weight records (forward, then reverse)`);
  }
  const dims = directions.map((w) => checkTorchWeights(op, mode, w));
  const [H, X, hasBias] = dims[0]!;
  if (dims.some(([h, x, b]) => h !== H || x !== X || b !== hasBias)) {
    throw new ShapeError(`${op}: both directions must have the same shapes and bias`);
  }
  const D = directions.length;
  const GH = GATES[mode] * H;
  const order = ONNX_ORDER[mode];
  const W = new Float32Array(D * GH * X);
  const R = new Float32Array(D * GH * H);
  const B = hasBias ? new Float32Array(D * 2 * GH) : null;
  directions.forEach((w, d) => {
    permuteBlocks(w.weightIh.data as Float32Array, 0, W, d * GH * X, order, H, X);
    permuteBlocks(w.weightHh.data as Float32Array, 0, R, d * GH * H, order, H, H);
    if (B) {
      permuteBlocks(w.biasIh!.data as Float32Array, 0, B, d * 2 * GH, order, H, 1);
      permuteBlocks(w.biasHh!.data as Float32Array, 0, B, d * 2 * GH + GH, order, H, 1);
    }
  });
  return { W: tensor(W, [D, GH, X]), R: tensor(R, [D, GH, H]), B: B ? tensor(B, [D, 2 * GH]) : null };
}

/** Converts an ONNX node's `W`, `R`, `B` to PyTorch-layout weights, one record per direction (forward first). */
export function fromOnnx(mode: RecurrentMode, weights: OnnxWeights): RecurrentWeights<Tensor>[] {
  const op = 'fromOnnx';
  checkMode(op, mode);
  if (typeof weights !== 'object' || weights === null) throw new ValueError(`${op}: weights must be {W, R, B}`);
  const G = GATES[mode];
  const r = weights.R;
  const shapeOf = (t: unknown): string => (t && typeof t === 'object' && 'shape' in t ? fmtShape((t as Tensor).shape) : typeof t);
  const D = r?.shape?.[0];
  const H = r?.shape?.[2];
  if (D === undefined || H === undefined || r.rank !== 3 || (D !== 1 && D !== 2) || r.shape[1] !== G * H) {
    throw new ShapeError(`${op}: R must be [D, ${G}·H, H] with D 1 or 2 for ${mode}, got ${shapeOf(r)}`);
  }
  const GH = G * H;
  const X = weights.W?.shape?.[2] ?? 0;
  checkTensor(op, 'W', weights.W, [D, GH, X]);
  if (weights.B) checkTensor(op, 'B', weights.B, [D, 2 * GH]);
  const back = inverse(ONNX_ORDER[mode]);
  const out: RecurrentWeights<Tensor>[] = [];
  for (let d = 0; d < D; d++) {
    const ih = new Float32Array(GH * X);
    const hh = new Float32Array(GH * H);
    permuteBlocks(weights.W.data as Float32Array, d * GH * X, ih, 0, back, H, X);
    permuteBlocks(r.data as Float32Array, d * GH * H, hh, 0, back, H, H);
    let biasIh: Tensor | null = null;
    let biasHh: Tensor | null = null;
    if (weights.B) {
      const bi = new Float32Array(GH);
      const bh = new Float32Array(GH);
      permuteBlocks(weights.B.data as Float32Array, d * 2 * GH, bi, 0, back, H, 1);
      permuteBlocks(weights.B.data as Float32Array, d * 2 * GH + GH, bh, 0, back, H, 1);
      biasIh = tensor(bi, [GH]);
      biasHh = tensor(bh, [GH]);
    }
    out.push({ weightIh: tensor(ih, [GH, X]), weightHh: tensor(hh, [GH, H]), biasIh, biasHh });
  }
  return out;
}
