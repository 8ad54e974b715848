import { DTypeError, ShapeError, Tensor, ValueError, fmtShape } from '@elman/core';

/** Throws unless `t` is a float32 Tensor; `what` names it in the message (e.g. `input`, `state.h`). */
function checkFloatTensor(op: string, what: string, t: unknown): asserts t is Tensor {
  if (!(t instanceof Tensor)) throw new ValueError(`${op}: ${what} must be a Tensor, got ${t === null ? 'null' : typeof t}`);
  if (t.dtype !== 'float32') throw new DTypeError(`${op}: ${what} must be float32, got ${t.dtype} ${fmtShape(t.shape)}`);
}

/** Checks a cell's one-step input `[B, X]` and returns B. */
export function checkStepInput(op: string, x: Tensor, inputSize: number): number {
  checkFloatTensor(op, 'input', x);
  if (x.rank !== 2 || x.shape[1] !== inputSize) {
    throw new ShapeError(`${op}: input must be [B, X] with X = inputSize ${inputSize}, got ${fmtShape(x.shape)}`);
  }
  return x.shape[0]!;
}

/** Checks a sequence layer's input `[B, T, X]` and returns `[B, T]`; B and T must be at least 1. */
export function checkSequenceInput(op: string, x: Tensor, inputSize: number): [number, number] {
  checkFloatTensor(op, 'input', x);
  if (x.rank !== 3 || x.shape[2] !== inputSize) {
    throw new ShapeError(`${op}: input must be [B, T, X] with X = inputSize ${inputSize}, got ${fmtShape(x.shape)}`);
  }
  const [B, T] = x.shape as [number, number, number];
  if (B < 1 || T < 1) {
    throw new ShapeError(`${op}: input needs at least one sequence and one time step, got ${fmtShape(x.shape)}`);
  }
  return [B, T];
}

/** Checks one tensor of a recurrent state (`state.h`, `state.c`): float32 `[B, H]`. */
export function checkStateTensor(op: string, what: string, t: unknown, batch: number, hiddenSize: number): Tensor {
  checkFloatTensor(op, what, t);
  if (t.rank !== 2 || t.shape[0] !== batch || t.shape[1] !== hiddenSize) {
    throw new ShapeError(`${op}: ${what} must be [B, H] = [${batch}, ${hiddenSize}], got ${fmtShape(t.shape)}`);
  }
  return t;
}

/** Checks that a state is an object holding the named tensors (e.g. an LSTM state without `c`). */
export function checkStateObject(op: string, state: unknown, keys: readonly string[]): void {
  if (typeof state !== 'object' || state === null) {
    throw new ValueError(`${op}: state must be an object {${keys.join(', ')}}, got ${state === null ? 'null' : typeof state}`);
  }
  for (const k of keys) {
    if (!(k in state) || (state as Record<string, unknown>)[k] === undefined) {
      throw new ValueError(`${op}: state must have ${keys.map((n) => `'${n}'`).join(' and ')}; '${k}' is missing`);
    }
  }
}

/**
 * Valid lengths of right-padded sequences (PyTorch packed-sequence semantics): one integer in [1, T] per sequence.
 * Returns a fresh Int32Array; without `lengths` every sequence is T long.
 */
export function checkLengths(
  op: string,
  lengths: readonly number[] | Int32Array | undefined,
  batch: number,
  steps: number,
): Int32Array {
  const out = new Int32Array(batch);
  if (lengths === undefined) return out.fill(steps);
  if (!Array.isArray(lengths) && !(lengths instanceof Int32Array)) {
    throw new ValueError(`${op}: lengths must be a number[] or Int32Array, got ${typeof lengths}`);
  }
  if (lengths.length !== batch) {
    throw new ShapeError(`${op}: lengths has ${lengths.length} entries but the input has ${batch} sequences (B)`);
  }
  for (let b = 0; b < batch; b++) {
    const n = lengths[b]!;
    if (!Number.isInteger(n)) throw new ValueError(`${op}: lengths[${b}] = ${n} is not an integer`);
    if (n < 1 || n > steps) throw new ValueError(`${op}: lengths[${b}] = ${n} is out of range [1, T = ${steps}]`);
    out[b] = n;
  }
  return out;
}
