import type { BinaryOp, UnaryOp } from '../backends/backend.js';
import { getBackend } from '../backends/registry.js';
import { DTypeError, fmtShape } from '../errors.js';
import { broadcastShapes, sameShape, sizeOf } from '../shape.js';
import { type DType, Tensor, type TensorLike } from '../tensor.js';

/** A new zero-filled tensor of a dtype (internal allocation helper for op outputs). */
export function empty(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  const n = sizeOf(shape);
  return new Tensor(dtype === 'float32' ? new Float32Array(n) : new Int32Array(n), shape);
}

/** Throws `DTypeError` unless `t` is float32. */
export function checkFloat(op: string, arg: string, t: Tensor): void {
  if (t.dtype !== 'float32') {
    throw new DTypeError(`${op}: ${arg} must be float32, got ${t.dtype} ${fmtShape(t.shape)}`);
  }
}

/** Throws `DTypeError` unless `t` is int32. */
export function checkInt(op: string, arg: string, t: Tensor): void {
  if (t.dtype !== 'int32') {
    throw new DTypeError(`${op}: ${arg} must be int32, got ${t.dtype} ${fmtShape(t.shape)}`);
  }
}

/** Turns operands into tensors: a number adopts the other operand's dtype (float32 if both are numbers). */
export function operands(op: string, a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  const dtype: DType = a instanceof Tensor ? a.dtype : b instanceof Tensor ? b.dtype : 'float32';
  const x = a instanceof Tensor ? a : numberOperand(op, a, dtype, b);
  const y = b instanceof Tensor ? b : numberOperand(op, b, dtype, a);
  if (x.dtype !== y.dtype) {
    throw new DTypeError(
      `${op}: dtypes differ: a is ${x.dtype} ${fmtShape(x.shape)}, b is ${y.dtype} ${fmtShape(y.shape)}; use cast()`,
    );
  }
  return [x, y];
}

/** A number operand as a 0-d tensor; a fraction or ±Infinity next to an int32 tensor would silently truncate. */
function numberOperand(op: string, v: number, dtype: DType, other: TensorLike): Tensor {
  if (dtype === 'int32' && !Number.isInteger(v)) {
    const shape = other instanceof Tensor ? fmtShape(other.shape) : '';
    throw new DTypeError(`${op}: the number ${v} cannot be used with int32 tensor ${shape}; cast() it to float32 first`);
  }
  return scalar(v, dtype);
}

/** A 0-d tensor holding `v`. */
export function scalar(v: number, dtype: DType = 'float32'): Tensor {
  return new Tensor(dtype === 'float32' ? new Float32Array([v]) : new Int32Array([v]), []);
}

/** Runs a unary kernel into a new float32 tensor. */
export function unaryKernel(op: string, kernel: UnaryOp, x: Tensor): Tensor {
  checkFloat(op, 'input', x);
  const out = empty(x.shape);
  getBackend().unary(kernel, x.data as Float32Array, out.data as Float32Array);
  return out;
}

/** Runs a broadcasting binary kernel into a new tensor of `dtype` (the inputs' dtype unless given). */
export function binaryKernel(op: string, kernel: BinaryOp, a: Tensor, b: Tensor, dtype: DType = a.dtype): Tensor {
  const shape = broadcastShapes(op, a.shape, b.shape);
  const out = empty(shape, dtype);
  getBackend().binary(kernel, a.data, a.shape, b.data, b.shape, out.data, shape);
  return out;
}

/**
 * Sums a broadcast gradient back to the shape of the operand it came from: leading axes are summed away and
 * axes where the operand had size 1 are summed with keepDims. Returns `g` itself when no reduction is needed.
 */
export function sumToShape(g: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const backend = getBackend();
  let cur = g;
  const lead = g.shape.length - shape.length;
  // Collapse leading axes in one pass by viewing g as [prod(lead), rest].
  if (lead > 0) {
    const outer = sizeOf(g.shape.slice(0, lead));
    const rest = g.shape.slice(lead);
    const out = empty(rest);
    backend.reduce('sum', cur.data, 1, outer, sizeOf(rest), out.data);
    cur = out;
  }
  for (let ax = 0; ax < shape.length; ax++) {
    if (shape[ax] === 1 && cur.shape[ax] !== 1) {
      const outer = sizeOf(cur.shape.slice(0, ax));
      const n = cur.shape[ax]!;
      const inner = sizeOf(cur.shape.slice(ax + 1));
      const nextShape = [...cur.shape];
      nextShape[ax] = 1;
      const out = empty(nextShape);
      backend.reduce('sum', cur.data, outer, n, inner, out.data);
      cur = out;
    }
  }
  return cur;
}
