import { backward as runBackward } from './autograd/backward.js';
import type { Node } from './autograd/node.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from './errors.js';
import * as ops from './ops/index.js';
import { sizeOf } from './shape.js';

/** Element types: float32 for values, int32 for indices, labels and masks. */
export type DType = 'float32' | 'int32';

/** The typed array of a dtype. */
export type DataFor<D extends DType> = D extends 'float32' ? Float32Array : Int32Array;

/** A number, or a tensor used as an operand. */
export type TensorLike = Tensor | number;

/**
 * A contiguous, row-major n-d array of float32 or int32 with optional gradient tracking.
 * Every op exists both as a function (`matmul(a, b)`) and as a method (`a.matmul(b)`).
 *
 * @example
 * ```ts run
 * import { tensor } from '@elman/core';
 *
 * const x = tensor([[1, 2], [3, 4]], undefined, { requiresGrad: true }); // [2, 2]
 * const y = x.matmul(x).tanh().sum(); // the same as sum(tanh(matmul(x, x)))
 * y.backward();
 * console.log(x.shape, x.dtype, y.item(), x.grad?.toArray()); // [2, 2] 'float32' …
 * ```
 */
export class Tensor {
  /** Dimensions, outermost first; `[]` for a scalar. */
  readonly shape: readonly number[];
  /** Element type. */
  readonly dtype: DType;
  /** The elements, row-major. May be re-pointed into a shared slab by `Module.bindParameters`. */
  data: Float32Array | Int32Array;
  /** Whether gradients flow to this tensor. Leaves with `requiresGrad` accumulate into {@link Tensor.grad}. */
  requiresGrad: boolean;
  /** Accumulated gradient (same shape), set by {@link Tensor.backward} on leaves and retained tensors. */
  grad: Tensor | null = null;
  /** @internal The tape node that produced this tensor (null for leaves). */
  _node: Node | null = null;
  /** @internal Which output of `_node` this tensor is. */
  _outputIndex = 0;

  constructor(data: Float32Array | Int32Array, shape: readonly number[], requiresGrad = false) {
    if (data.length !== sizeOf(shape)) {
      throw new ShapeError(`Tensor: data has ${data.length} elements but shape ${fmtShape(shape)} needs ${sizeOf(shape)}`);
    }
    this.data = data;
    this.shape = Object.freeze([...shape]);
    this.dtype = data instanceof Int32Array ? 'int32' : 'float32';
    if (requiresGrad && this.dtype !== 'float32') {
      throw new DTypeError(`Tensor: only float32 tensors can require gradients, got ${this.dtype}`);
    }
    this.requiresGrad = requiresGrad;
  }

  /** Number of elements. */
  get size(): number {
    return this.data.length;
  }

  /** Number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }

  /** True for tensors not produced by a recorded op (parameters, inputs). */
  get isLeaf(): boolean {
    return this._node === null;
  }

  /** The float32 data; throws `DTypeError` for int32 tensors. */
  get f32(): Float32Array {
    if (!(this.data instanceof Float32Array)) throw new DTypeError(`f32: tensor is ${this.dtype}, not float32`);
    return this.data;
  }

  /** The int32 data; throws `DTypeError` for float32 tensors. */
  get i32(): Int32Array {
    if (!(this.data instanceof Int32Array)) throw new DTypeError(`i32: tensor is ${this.dtype}, not int32`);
    return this.data;
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) {
      throw new ValueError(`item: tensor must have exactly one element, got shape ${fmtShape(this.shape)}`);
    }
    return this.data[0]!;
  }

  /** Nested JavaScript arrays (a number for a scalar). */
  toArray(): NestedArray {
    return toNested(this.data, this.shape, 0, 0) as NestedArray;
  }

  /** A tensor sharing this data but cut from the tape: gradients stop here (truncated BPTT cuts here). */
  detach(): Tensor {
    return new Tensor(this.data, this.shape, false);
  }

  /** A deep copy of the data, off the tape. */
  clone(): Tensor {
    return new Tensor(this.data.slice(), this.shape, false);
  }

  /** Marks a leaf as requiring gradients (in place) and returns it. */
  requiresGrad_(flag = true): this {
    if (flag && this.dtype !== 'float32') {
      throw new DTypeError(`requiresGrad_: only float32 tensors can require gradients, got ${this.dtype}`);
    }
    this.requiresGrad = flag;
    return this;
  }

  /**
   * Keeps `.grad` on this non-leaf tensor after backward (PyTorch's `retain_grad`), e.g. to read ‖∂L/∂h_t‖ of
   * every hidden state of an unrolled RNN.
   */
  retainGrad(): this {
    const node = this._node;
    if (node) {
      node.retained ??= new Array<Tensor | null>(node.numOutputs).fill(null);
      node.retained[this._outputIndex] = this;
    }
    return this;
  }

  /**
   * Backpropagates from this tensor. Without `grad` the tensor must hold one finite element (a loss).
   * Gradients accumulate into `.grad` of the leaves; the graph is freed unless `retainGraph`.
   */
  backward(grad?: Tensor, options: { retainGraph?: boolean } = {}): void {
    runBackward(this, grad, options.retainGraph ?? false);
  }

  /** Human-readable summary, e.g. `Tensor(float32, [2, 3])`. */
  toString(): string {
    return `Tensor(${this.dtype}, ${fmtShape(this.shape)}${this.requiresGrad ? ', requiresGrad' : ''})`;
  }

  // ---- op methods: thin wrappers over the functional ops (see ops/) ----
  /** @see {@link ops.add} */ add(b: TensorLike): Tensor { return ops.add(this, b); }
  /** @see {@link ops.sub} */ sub(b: TensorLike): Tensor { return ops.sub(this, b); }
  /** @see {@link ops.mul} */ mul(b: TensorLike): Tensor { return ops.mul(this, b); }
  /** @see {@link ops.div} */ div(b: TensorLike): Tensor { return ops.div(this, b); }
  /** @see {@link ops.pow} */ pow(b: TensorLike): Tensor { return ops.pow(this, b); }
  /** @see {@link ops.maximum} */ maximum(b: TensorLike): Tensor { return ops.maximum(this, b); }
  /** @see {@link ops.minimum} */ minimum(b: TensorLike): Tensor { return ops.minimum(this, b); }
  /** @see {@link ops.neg} */ neg(): Tensor { return ops.neg(this); }
  /** @see {@link ops.exp} */ exp(): Tensor { return ops.exp(this); }
  /** @see {@link ops.log} */ log(): Tensor { return ops.log(this); }
  /** @see {@link ops.sqrt} */ sqrt(): Tensor { return ops.sqrt(this); }
  /** @see {@link ops.square} */ square(): Tensor { return ops.square(this); }
  /** @see {@link ops.tanh} */ tanh(): Tensor { return ops.tanh(this); }
  /** @see {@link ops.sigmoid} */ sigmoid(): Tensor { return ops.sigmoid(this); }
  /** @see {@link ops.relu} */ relu(): Tensor { return ops.relu(this); }
  /** @see {@link ops.gelu} */ gelu(): Tensor { return ops.gelu(this); }
  /** @see {@link ops.softplus} */ softplus(): Tensor { return ops.softplus(this); }
  /** @see {@link ops.abs} */ abs(): Tensor { return ops.abs(this); }
  /** @see {@link ops.clamp} */ clamp(min: number | null, max: number | null): Tensor { return ops.clamp(this, min, max); }
  /** @see {@link ops.matmul} */ matmul(b: Tensor): Tensor { return ops.matmul(this, b); }
  /** @see {@link ops.reshape} */ reshape(shape: readonly number[]): Tensor { return ops.reshape(this, shape); }
  /** @see {@link ops.flatten} */ flatten(startAxis = 0, endAxis = -1): Tensor { return ops.flatten(this, startAxis, endAxis); }
  /** @see {@link ops.squeeze} */ squeeze(axis?: number): Tensor { return ops.squeeze(this, axis); }
  /** @see {@link ops.unsqueeze} */ unsqueeze(axis: number): Tensor { return ops.unsqueeze(this, axis); }
  /** @see {@link ops.permute} */ permute(perm: readonly number[]): Tensor { return ops.permute(this, perm); }
  /** @see {@link ops.transpose} */ transpose(axis0 = -2, axis1 = -1): Tensor { return ops.transpose(this, axis0, axis1); }
  /** @see {@link ops.slice} */ slice(axis: number, start: number, end?: number): Tensor { return ops.slice(this, axis, start, end); }
  /** @see {@link ops.select} */ select(axis: number, index: number): Tensor { return ops.select(this, axis, index); }
  /** @see {@link ops.split} */ split(sizes: number | readonly number[], axis = 0): Tensor[] { return ops.split(this, sizes, axis); }
  /** @see {@link ops.expand} */ expand(shape: readonly number[]): Tensor { return ops.expand(this, shape); }
  /** @see {@link ops.indexSelect} */ indexSelect(axis: number, index: Tensor | readonly number[]): Tensor { return ops.indexSelect(this, axis, index); }
  /** @see {@link ops.gather} */ gather(axis: number, index: Tensor): Tensor { return ops.gather(this, axis, index); }
  /** @see {@link ops.maskedFill} */ maskedFill(mask: Tensor, value: number): Tensor { return ops.maskedFill(this, mask, value); }
  /** @see {@link ops.sum} */ sum(axis?: number | readonly number[], keepDims = false): Tensor { return ops.sum(this, axis, keepDims); }
  /** @see {@link ops.mean} */ mean(axis?: number | readonly number[], keepDims = false): Tensor { return ops.mean(this, axis, keepDims); }
  /** @see {@link ops.max} */ max(axis?: number, keepDims = false): Tensor { return ops.max(this, axis, keepDims); }
  /** @see {@link ops.min} */ min(axis?: number, keepDims = false): Tensor { return ops.min(this, axis, keepDims); }
  /** @see {@link ops.argmax} */ argmax(axis?: number, keepDims = false): Tensor { return ops.argmax(this, axis, keepDims); }
  /** @see {@link ops.argmin} */ argmin(axis?: number, keepDims = false): Tensor { return ops.argmin(this, axis, keepDims); }
  /** @see {@link ops.softmax} */ softmax(axis = -1): Tensor { return ops.softmax(this, axis); }
  /** @see {@link ops.logSoftmax} */ logSoftmax(axis = -1): Tensor { return ops.logSoftmax(this, axis); }
  /** @see {@link ops.cast} */ cast(dtype: DType): Tensor { return ops.cast(this, dtype); }
  /** @see {@link ops.eq} */ eq(b: TensorLike): Tensor { return ops.eq(this, b); }
  /** @see {@link ops.gt} */ gt(b: TensorLike): Tensor { return ops.gt(this, b); }
  /** @see {@link ops.lt} */ lt(b: TensorLike): Tensor { return ops.lt(this, b); }
}

/** Nested arrays of numbers, as returned by {@link Tensor.toArray}. */
export type NestedArray = number | NestedArray[];

function toNested(data: Float32Array | Int32Array, shape: readonly number[], axis: number, offset: number): NestedArray {
  if (axis === shape.length) return data[offset]!;
  const n = shape[axis]!;
  let stride = 1;
  for (let i = axis + 1; i < shape.length; i++) stride *= shape[i]!;
  const out: NestedArray[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = toNested(data, shape, axis + 1, offset + i * stride);
  return out;
}
