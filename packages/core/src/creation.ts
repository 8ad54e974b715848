import { ShapeError, ValueError, fmtShape } from './errors.js';
import { type Generator, defaultGenerator } from './random.js';
import { checkShape, sizeOf } from './shape.js';
import { type DType, type NestedArray, Tensor } from './tensor.js';

/** Options shared by the tensor factories. */
export interface TensorOptions {
  /** Element type; default float32 (int32 for `arange` of integers is still float32 unless asked). */
  dtype?: DType;
  /** Track gradients for this leaf. Default false. */
  requiresGrad?: boolean;
}

/** Options of the random factories. */
export interface RandomOptions extends TensorOptions {
  /** Random stream; default: the global generator seeded by `manualSeed`. */
  generator?: Generator;
}

function alloc(n: number, dtype: DType): Float32Array | Int32Array {
  return dtype === 'int32' ? new Int32Array(n) : new Float32Array(n);
}

/**
 * Creates a tensor from a number, nested arrays, or a typed array (with `shape`). Nested arrays must be
 * rectangular. A typed array's dtype wins unless `dtype` says otherwise (then it is converted).
 *
 * @example
 * ```ts run
 * import { tensor } from '@elman/core';
 *
 * const a = tensor([[1, 2, 3], [4, 5, 6]]); // float32 [2, 3] from nested arrays
 * const ids = tensor([3, 1, 4], [3], { dtype: 'int32' }); // int32 [3], e.g. token ids
 * const b = tensor(new Float32Array(6), [3, 2]); // a typed array needs its shape
 * console.log(a.shape, ids.dtype, b.shape); // [2, 3] 'int32' [3, 2]
 * ```
 */
export function tensor(
  values: NestedArray | Float32Array | Int32Array | readonly number[],
  shape?: readonly number[],
  options: TensorOptions = {},
): Tensor {
  let flat: ArrayLike<number>;
  let inferred: number[];
  if (values instanceof Float32Array || values instanceof Int32Array) {
    flat = values;
    inferred = [values.length];
  } else {
    inferred = inferShape(values);
    flat = flatten(values, inferred);
  }
  const target = shape ?? inferred;
  checkShape('tensor', target);
  if (sizeOf(target) !== flat.length) {
    throw new ShapeError(`tensor: ${flat.length} values do not fill shape ${fmtShape(target)}`);
  }
  const dtype = options.dtype ?? (values instanceof Int32Array ? 'int32' : 'float32');
  let data: Float32Array | Int32Array;
  if (dtype === 'float32') data = flat instanceof Float32Array ? flat : Float32Array.from(flat);
  else data = flat instanceof Int32Array ? flat : Int32Array.from(flat, checkInt);
  return new Tensor(data, target, options.requiresGrad ?? false);
}

function checkInt(v: number): number {
  if (!Number.isInteger(v)) throw new ValueError(`tensor: int32 values must be integers, got ${v}`);
  return v;
}

function inferShape(v: NestedArray | readonly number[]): number[] {
  const shape: number[] = [];
  let cur: unknown = v;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    cur = cur[0];
  }
  return shape;
}

function flatten(v: NestedArray | readonly number[], shape: readonly number[]): number[] {
  const out: number[] = [];
  const stack: Array<[unknown, number]> = [[v, 0]];
  // Iterative walk in order: push children reversed so they pop first-to-last.
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (depth === shape.length) {
      if (typeof node !== 'number') throw new ShapeError(`tensor: nested arrays are ragged or hold a non-number at depth ${depth}`);
      out.push(node);
      continue;
    }
    if (!Array.isArray(node) || node.length !== shape[depth]) {
      throw new ShapeError(`tensor: nested arrays are ragged: expected length ${shape[depth]} at depth ${depth}`);
    }
    for (let i = node.length - 1; i >= 0; i--) stack.push([node[i], depth + 1]);
  }
  return out;
}

/** A tensor filled with `value`. */
export function full(shape: readonly number[], value: number, options: TensorOptions = {}): Tensor {
  checkShape('full', shape);
  const data = alloc(sizeOf(shape), options.dtype ?? 'float32');
  data.fill(value);
  return new Tensor(data, shape, options.requiresGrad ?? false);
}

/** A tensor of zeros. */
export function zeros(shape: readonly number[], options: TensorOptions = {}): Tensor {
  return full(shape, 0, options);
}

/** A tensor of ones. */
export function ones(shape: readonly number[], options: TensorOptions = {}): Tensor {
  return full(shape, 1, options);
}

/** Zeros with the shape (and dtype) of `t`. */
export function zerosLike(t: Tensor, options: TensorOptions = {}): Tensor {
  return zeros(t.shape, { dtype: t.dtype, ...options });
}

/** Ones with the shape (and dtype) of `t`. */
export function onesLike(t: Tensor, options: TensorOptions = {}): Tensor {
  return ones(t.shape, { dtype: t.dtype, ...options });
}

/** Samples from U(0, 1) (float32). */
export function rand(shape: readonly number[], options: RandomOptions = {}): Tensor {
  checkShape('rand', shape);
  const data = (options.generator ?? defaultGenerator).fillUniform(new Float32Array(sizeOf(shape)));
  return new Tensor(data, shape, options.requiresGrad ?? false);
}

/** Samples from N(0, 1) (float32). */
export function randn(shape: readonly number[], options: RandomOptions = {}): Tensor {
  checkShape('randn', shape);
  const data = (options.generator ?? defaultGenerator).fillNormal(new Float32Array(sizeOf(shape)));
  return new Tensor(data, shape, options.requiresGrad ?? false);
}

/** Uniform integers in [low, high) as int32. */
export function randint(low: number, high: number, shape: readonly number[], options: RandomOptions = {}): Tensor {
  checkShape('randint', shape);
  if (!(Number.isInteger(low) && Number.isInteger(high) && high > low)) {
    throw new ValueError(`randint: need integers low < high, got low ${low}, high ${high}`);
  }
  const gen = options.generator ?? defaultGenerator;
  const data = new Int32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = low + gen.randint(high - low);
  return new Tensor(data, shape);
}

/** `start, start+step, …` up to (not including) `end`; `arange(n)` is 0..n−1. */
export function arange(start: number, end?: number, step = 1, options: TensorOptions = {}): Tensor {
  const [s, e] = end === undefined ? [0, start] : [start, end];
  if (step === 0 || !Number.isFinite(step)) throw new ValueError(`arange: step must be a non-zero finite number, got ${step}`);
  const n = Math.max(0, Math.ceil((e - s) / step));
  const data = alloc(n, options.dtype ?? 'float32');
  for (let i = 0; i < n; i++) data[i] = s + i * step;
  return new Tensor(data, [n], options.requiresGrad ?? false);
}

/** The n×m identity (m defaults to n). */
export function eye(n: number, m = n, options: TensorOptions = {}): Tensor {
  const t = zeros([n, m], options);
  for (let i = 0; i < Math.min(n, m); i++) t.data[i * m + i] = 1;
  return t;
}
