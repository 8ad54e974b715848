import { type Module, Tensor, ValueError } from '@elman/core';
import type { RecurrentState } from './recurrent-state.js';

/** Options the trainer passes as the second argument of `forward` (only when one of them is set). */
export interface ForwardOptions {
  /** Initial recurrent state of this call (truncated BPTT carries it between chunks); absent means zeros. */
  state?: RecurrentState;
  /** Valid lengths of right-padded sequences (`[B]`), from a batch that has them. */
  lengths?: Int32Array;
}

/**
 * What a model's forward returns: the output tensor, or (recurrent models) `{output, state}` with the final state,
 * as the sequence layers of `@elman/cells` do: `forward(x [B, T, X], {state, lengths}) → {output [B, T, H], state}`.
 */
export type ModelOutput = Tensor | RecurrentOutput;

/** The output of a recurrent model: `forward(x, {state}) → {output, state}`. */
export interface RecurrentOutput {
  /** `[B, T, ...]` outputs. */
  output: Tensor;
  /** The state after the last step (what the next chunk starts from). */
  state?: RecurrentState;
}

/** A model call split into its output and state (undefined for stateless models). */
export interface ModelRun {
  /** The output tensor. */
  output: Tensor;
  /** The final state, when the model returns one. */
  state: RecurrentState | undefined;
}

/**
 * Runs a model on a batch input. The default calls `model.forward(input)`, or `model.forward(input, options)`
 * when a state or lengths are present; supply your own for models with another signature.
 */
export type ForwardFn = (model: Module, input: Tensor, options: ForwardOptions) => ModelOutput;

/**
 * A training loss: a scalar tensor from outputs and targets. It must be a mean over examples (each example
 * weighing the same, as every built-in loss with the default `reduction: 'mean'`), so that batch shards can be
 * combined by their sizes.
 */
export type LossFn = (output: Tensor, target: Tensor) => Tensor;

/** The default {@link ForwardFn}. */
export function defaultForward(model: Module, input: Tensor, options: ForwardOptions): ModelOutput {
  const forward = model.forward as unknown as (...args: unknown[]) => ModelOutput;
  const hasOptions = options.state !== undefined || options.lengths !== undefined;
  return hasOptions ? forward.call(model, input, options) : forward.call(model, input);
}

/** Splits a {@link ModelOutput} into the output tensor and the state (undefined for stateless models). */
export function splitOutput(op: string, result: ModelOutput): ModelRun {
  if (result instanceof Tensor) return { output: result, state: undefined };
  if (typeof result === 'object' && result !== null && result.output instanceof Tensor) {
    return { output: result.output, state: result.state };
  }
  throw new ValueError(`${op}: the model's forward must return a Tensor or {output: Tensor, state}, got ${describe(result)}`);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v !== 'object') return typeof v;
  return `an object with keys [${Object.keys(v).join(', ')}]`;
}
