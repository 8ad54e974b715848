import { DTypeError, ShapeError, Tensor, ValueError, fmtShape } from '@elman/core';
import type { RecurrentWeights } from '@elman/cells';
import type { RecurrentMode } from '../recurrent-network.js';

/** Gate blocks per recurrence: RNN 1, LSTM 4, GRU 3. */
export const GATES: Readonly<Record<RecurrentMode, number>> = { rnn: 1, lstm: 4, gru: 3 };

/** Checks a recurrence name for the layout converters. */
export function checkMode(op: string, mode: unknown): RecurrentMode {
  if (mode !== 'rnn' && mode !== 'lstm' && mode !== 'gru') {
    throw new ValueError(`${op}: mode must be 'rnn', 'lstm' or 'gru', got '${String(mode)}'`);
  }
  return mode;
}

/** Throws unless `t` is a float32 Tensor of exactly `shape`; `what` names it. */
export function checkTensor(op: string, what: string, t: unknown, shape: readonly number[]): Tensor {
  if (!(t instanceof Tensor)) throw new ValueError(`${op}: ${what} must be a Tensor ${fmtShape(shape)}, got ${t === null ? 'null' : typeof t}`);
  if (t.dtype !== 'float32') throw new DTypeError(`${op}: ${what} must be float32, got ${t.dtype}`);
  if (t.rank !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    throw new ShapeError(`${op}: ${what} must be ${fmtShape(shape)}, got ${fmtShape(t.shape)}`);
  }
  return t;
}

/**
 * Checks the four tensors of one direction in PyTorch's layout and returns `[H, X, hasBias]`
 * (`weight_ih [G·H, X]`, `weight_hh [G·H, H]`, both biases `[G·H]` or both null).
 */
export function checkTorchWeights(op: string, mode: RecurrentMode, w: RecurrentWeights<Tensor>): [number, number, boolean] {
  if (typeof w !== 'object' || w === null) throw new ValueError(`${op}: weights must be {weightIh, weightHh, biasIh, biasHh}`);
  const G = GATES[mode];
  const hh = w.weightHh;
  if (!(hh instanceof Tensor) || hh.rank !== 2 || hh.shape[0] !== G * hh.shape[1]!) {
    throw new ShapeError(`${op}: weightHh must be [${G}·H, H] for ${mode}, got ${hh instanceof Tensor ? fmtShape(hh.shape) : typeof hh}`);
  }
  const H = hh.shape[1]!;
  checkTensor(op, 'weightHh', hh, [G * H, H]);
  const ih = w.weightIh;
  if (!(ih instanceof Tensor) || ih.rank !== 2) throw new ShapeError(`${op}: weightIh must be [${G * H}, X]`);
  const X = ih.shape[1]!;
  checkTensor(op, 'weightIh', ih, [G * H, X]);
  if ((w.biasIh == null) !== (w.biasHh == null)) throw new ValueError(`${op}: biasIh and biasHh must both be given or both be null`);
  if (w.biasIh) checkTensor(op, 'biasIh', w.biasIh, [G * H]);
  if (w.biasHh) checkTensor(op, 'biasHh', w.biasHh, [G * H]);
  return [H, X, w.biasIh != null];
}

/**
 * Copies `rows` rows of `cols` values, gate block by gate block: block `order[j]` of `src` (each H rows) becomes
 * block j of `dst`, both row-major starting at the given offsets.
 */
export function permuteBlocks(
  src: Float32Array,
  srcOff: number,
  dst: Float32Array,
  dstOff: number,
  order: readonly number[],
  H: number,
  cols: number,
): void {
  const block = H * cols;
  order.forEach((from, to) => {
    dst.set(src.subarray(srcOff + from * block, srcOff + (from + 1) * block), dstOff + to * block);
  });
}

/** `a [rows, cols]` (row-major) transposed into a fresh `[cols, rows]` array. */
export function transposed(a: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = a[r * cols + c]!;
  return out;
}

/** The inverse of a block permutation: `inverse(order)[order[j]] = j`. */
export function inverse(order: readonly number[]): number[] {
  const inv = new Array<number>(order.length);
  order.forEach((from, to) => {
    inv[from] = to;
  });
  return inv;
}
