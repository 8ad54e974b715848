/**
 * Typed errors. Every message names the op, the argument and the shapes involved, e.g.
 * `matmul: inner dimensions differ: a is [32, 64], b is [128, 256]`.
 */

/** Base class of every error Elman throws on purpose. */
export class ElmanError extends Error {
  /** Class name, shown in stack traces. */
  override name = 'ElmanError';
}

/** Shapes that do not fit together (broadcasting, matmul, reshape, state dicts, …). */
export class ShapeError extends ElmanError {
  /** Class name, shown in stack traces. */
  override name = 'ShapeError';
}

/** An argument with a bad value: out-of-range axis, negative size, non-finite loss, unknown option. */
export class ValueError extends ElmanError {
  /** Class name, shown in stack traces. */
  override name = 'ValueError';
}

/** An op received a tensor of the wrong dtype (float32 where int32 is needed or the reverse). */
export class DTypeError extends ElmanError {
  /** Class name, shown in stack traces. */
  override name = 'DTypeError';
}

/** `loadStateDict` found missing, unexpected or wrong-shape keys; the message lists them all. */
export class StateDictError extends ElmanError {
  /** Class name, shown in stack traces. */
  override name = 'StateDictError';
}

/** A safetensors (or other) file is truncated, malformed or inconsistent. */
export class SerializationError extends ElmanError {
  /** Class name, shown in stack traces. */
  override name = 'SerializationError';
}

/** An unknown backend was requested, or a backend failed to initialise. */
export class BackendError extends ElmanError {
  /** Class name, shown in stack traces. */
  override name = 'BackendError';
}

/** Autograd misuse: backward through a freed graph, a gradient whose shape differs from its input's. */
export class GradientError extends ElmanError {
  /** Class name, shown in stack traces. */
  override name = 'GradientError';
}

/** Formats a shape as `[2, 3]` for error messages. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
