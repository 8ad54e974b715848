import { type Module, type Tensor, ValueError, concat, fmtShape, slice } from '@elman/core';
import type { Batch } from './data/dataset.js';
import { type ForwardFn, type ForwardOptions, type LossFn, type ModelRun, splitOutput } from './model.js';
import { type RecurrentState, detachState } from './recurrent-state.js';
import { type TbpttUpdate, segmentBounds } from './tbptt.js';

/** The model, its forward function and its loss: everything one gradient computation needs. */
export interface StepContext {
  /** The model (or a worker's replica of it). */
  model: Module;
  /** How to call the model. */
  forward: ForwardFn;
  /** The training loss. */
  loss: LossFn;
}

/** What {@link forwardBackward} computed. */
export interface UpdateResult {
  /** The loss value (may be NaN or infinite; then no backward pass ran). */
  loss: number;
  /** The outputs the loss covered, off the tape (for metrics). */
  output: Tensor;
  /** The matching targets. */
  target: Tensor;
  /** The detached state to start the next update of the same sequences from (TBPTT only). */
  carry: RecurrentState | undefined;
}

/**
 * Forward pass, loss and (when the loss is finite) backward pass for one parameter update: a whole batch, or one
 * TBPTT window of it (`update`, time on axis 1) starting from `state`. Gradients accumulate into the parameters'
 * `.grad`; the caller zeroes them first. Used by the trainer's main thread and by every data-parallel worker, so
 * both compute the same thing.
 */
export function forwardBackward(
  ctx: StepContext,
  batch: Batch,
  update: TbpttUpdate | null,
  state: RecurrentState | undefined,
): UpdateResult {
  if (!update) {
    const { output } = runModel(ctx, batch.input, { lengths: batch.lengths });
    return finish(ctx, output, batch.target, undefined);
  }
  const bounds = segmentBounds(update);
  const outputs: Tensor[] = [];
  let carry: RecurrentState | undefined;
  let current = state === undefined ? undefined : detachState(state);
  for (let j = 0; j + 1 < bounds.length; j++) {
    const a = bounds[j]!;
    const b = bounds[j + 1]!;
    if (a === update.carryAt) carry = current === undefined ? undefined : detachState(current);
    // The truncation itself: gradients of later steps stop at this state (Williams & Peng 1990).
    if (a > update.start && update.detachEvery > 0 && (a - update.start) % update.detachEvery === 0 && current !== undefined) {
      current = detachState(current);
    }
    const x = timeSlice(batch.input, a, b); // [B, b − a, ...]
    const lengths = batch.lengths ? Int32Array.from(batch.lengths, (n) => Math.min(Math.max(n - a, 0), b - a)) : undefined;
    const r = runModel(ctx, x, { state: current, lengths });
    outputs.push(r.output); // [B, b − a, ...]
    current = r.state;
  }
  if (update.carryAt === update.end) carry = current === undefined ? undefined : detachState(current);
  const window = outputs.length === 1 ? outputs[0]! : concat(outputs, 1); // [B, end − start, ...]
  const output =
    update.lossFrom === update.start ? window : slice(window, 1, update.lossFrom - update.start, update.end - update.start);
  return finish(ctx, output, timeSlice(batch.target, update.lossFrom, update.end), carry);
}

/** Calls the model through `ctx.forward`, passing only the options that are set. */
export function runModel(ctx: StepContext, input: Tensor, options: ForwardOptions): ModelRun {
  const clean: ForwardOptions = {};
  if (options.state !== undefined) clean.state = options.state;
  if (options.lengths !== undefined) clean.lengths = options.lengths;
  return splitOutput('Trainer', ctx.forward(ctx.model, input, clean));
}

/** Steps `[a, b)` of a batch-first sequence tensor (the tensor itself when that is all of it). */
function timeSlice(t: Tensor, a: number, b: number): Tensor {
  return a === 0 && b === t.shape[1] ? t : slice(t, 1, a, b);
}

function finish(ctx: StepContext, output: Tensor, target: Tensor, carry: RecurrentState | undefined): UpdateResult {
  const lossTensor = ctx.loss(output, target);
  if (lossTensor.size !== 1) {
    throw new ValueError(`Trainer: the loss must return a one-element tensor, got ${fmtShape(lossTensor.shape)}`);
  }
  const loss = lossTensor.item();
  // A non-finite loss is reported, not backpropagated: its gradients would be garbage anyway.
  if (Number.isFinite(loss)) lossTensor.backward();
  return { loss, output: output.detach(), target, carry };
}
