import { Module, ShapeError, Tensor, ValueError, fmtShape, matmul, maskedFill, reshape, softmax, unsqueeze } from '@elman/core';
import { type KeyPaddingMask, toKeyPaddingMask } from '../mask.js';

/** Per-call options of an attention module's `forward`. */
export interface AttentionOptions {
  /** Values `[B, S, Dv]` to average; default: the keys themselves (the usual encoder memory). */
  values?: Tensor;
  /** Keys to ignore, `[B, S]`: int32 1 = masked out, or nested booleans `true` = masked out. */
  keyPaddingMask?: KeyPaddingMask;
}

/** The result of an attention module: the weighted average of the values and the weights used. */
export interface AttentionResult {
  /** `[B, T, Dv]` for queries `[B, T, Dq]`, or `[B, Dv]` for one query step `[B, Dq]`. */
  context: Tensor;
  /** `[B, T, S]` (or `[B, S]`): sum to 1 over unmasked keys, exactly 0 on masked ones. */
  weights: Tensor;
}

/** Sizes shared by the attention modules. */
export interface AttentionSizeOptions {
  /** Features per query, Dq (the decoder state). */
  querySize: number;
  /** Features per key, Dk (the encoder outputs). */
  keySize: number;
}

/** Checks that `n` is a positive integer. */
export function checkSize(op: string, name: string, n: unknown): number {
  if (!(typeof n === 'number' && Number.isInteger(n) && n >= 1)) throw new ValueError(`${op}: ${name} must be a positive integer, got ${String(n)}`);
  return n;
}

/**
 * Base of the attention modules: a score function e = score(q_t, k_s) `[B, T, S]`, masked positions set to −∞,
 * softmax over keys, then the weighted average of the values. Subclasses implement {@link Attention.score}.
 */
export abstract class Attention extends Module {
  /** Features per query, Dq. */
  readonly querySize: number;
  /** Features per key, Dk. */
  readonly keySize: number;
  /** Op name used in error messages. */
  protected readonly opName: string;

  /**
   * Stores and checks the sizes.
   * @param name - class name used in error messages
   * @param options - query and key sizes
   */
  protected constructor(name: string, options: AttentionSizeOptions) {
    super();
    if (typeof options !== 'object' || options === null) throw new ValueError(`${name}: options must be an object {querySize, keySize}`);
    this.opName = name;
    this.querySize = checkSize(name, 'querySize', options.querySize);
    this.keySize = checkSize(name, 'keySize', options.keySize);
  }

  /** Unnormalised scores `[B, T, S]` of queries `[B, T, Dq]` against keys `[B, S, Dk]`. */
  protected abstract score(query: Tensor, keys: Tensor): Tensor;

  /**
   * Weights `softmax(score)` `[B, T, S]` with masked keys (`mask` int32 `[B, S]`, 1 = masked) at exactly 0, and the
   * context `weights·values` `[B, T, Dv]`, for checked operands `query [B, T, Dq]`, `keys [B, S, Dk]`, `values`.
   * Subclasses whose whole computation has a fused kernel override this.
   */
  protected attend(query: Tensor, keys: Tensor, values: Tensor, mask: Tensor | null): AttentionResult {
    let scores = this.score(query, keys); // [B, T, S]
    if (mask) {
      const [B, S] = mask.shape as [number, number];
      // exp(−∞) = 0 exactly, so masked keys get weight 0 and no gradient.
      scores = maskedFill(scores, reshape(mask, [B, 1, S]), Number.NEGATIVE_INFINITY);
    }
    const weights = softmax(scores, -1); // [B, T, S]
    return { context: matmul(weights, values), weights }; // context [B, T, Dv]
  }

  /**
   * Attends with `query` `[B, T, Dq]` (or one step `[B, Dq]`) over `keys` `[B, S, Dk]`.
   * @returns the context `[B, T, Dv]` and the weights `[B, T, S]` (without the T axis for a one-step query)
   */
  forward(query: Tensor, keys: Tensor, options: AttentionOptions = {}): AttentionResult {
    const op = this.opName;
    if (!(keys instanceof Tensor) || keys.rank !== 3 || keys.shape[2] !== this.keySize) {
      throw new ShapeError(`${op}: keys must be [B, S, Dk] with Dk = keySize ${this.keySize}, got ${shapeOf(keys)}`);
    }
    const [B, S] = keys.shape as [number, number, number];
    if (S === 0) throw new ValueError(`${op}: keys are empty (S = 0)`);
    if (!(query instanceof Tensor) || (query.rank !== 2 && query.rank !== 3) || query.shape[0] !== B || query.shape[query.rank - 1] !== this.querySize) {
      throw new ShapeError(
        `${op}: query must be [B, T, Dq] or [B, Dq] with B = ${B} and Dq = querySize ${this.querySize}, got ${shapeOf(query)} (keys ${fmtShape(keys.shape)})`,
      );
    }
    const step = query.rank === 2;
    const q = step ? unsqueeze(query, 1) : query; // [B, T, Dq]
    if (q.shape[1] === 0) throw new ValueError(`${op}: query is empty (T = 0)`);
    const values = options.values ?? keys;
    if (!(values instanceof Tensor) || values.rank !== 3 || values.shape[0] !== B || values.shape[1] !== S) {
      throw new ShapeError(`${op}: values must be [B, S, Dv] with B = ${B}, S = ${S}, got ${shapeOf(values)}`);
    }
    const mask = options.keyPaddingMask === undefined ? null : toKeyPaddingMask(op, options.keyPaddingMask, B, S);
    const { context, weights } = this.attend(q, keys, values, mask);
    if (!step) return { context, weights };
    return { context: reshape(context, [B, values.shape[2]!]), weights: reshape(weights, [B, S]) };
  }
}

function shapeOf(x: unknown): string {
  return x instanceof Tensor ? fmtShape(x.shape) : String(x);
}
