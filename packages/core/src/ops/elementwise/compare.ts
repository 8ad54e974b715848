import type { BinaryOp } from '../../backends/backend.js';
import type { Tensor, TensorLike } from '../../tensor.js';
import { binaryKernel, operands } from '../util.js';

function compare(op: BinaryOp, a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands(op, a, b);
  return binaryKernel(op, op, x, y, 'int32');
}

/** `a == b` element-wise with broadcasting → int32 0/1 (not differentiable). */
export function eq(a: TensorLike, b: TensorLike): Tensor {
  return compare('eq', a, b);
}
/** `a != b` → int32 0/1. */
export function ne(a: TensorLike, b: TensorLike): Tensor {
  return compare('ne', a, b);
}
/** `a > b` → int32 0/1. */
export function gt(a: TensorLike, b: TensorLike): Tensor {
  return compare('gt', a, b);
}
/** `a >= b` → int32 0/1. */
export function ge(a: TensorLike, b: TensorLike): Tensor {
  return compare('ge', a, b);
}
/** `a < b` → int32 0/1. */
export function lt(a: TensorLike, b: TensorLike): Tensor {
  return compare('lt', a, b);
}
/** `a <= b` → int32 0/1. */
export function le(a: TensorLike, b: TensorLike): Tensor {
  return compare('le', a, b);
}
