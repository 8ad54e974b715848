import { type Module, Tensor, ValueError, concat, fmtShape, indexSelect, reshape, slice } from '@elman/core';
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
  /**
   * Exclude padded steps from the loss (default true): for a batch with `lengths` and per-step targets, see
   * {@link masksPadding}.
   */
  maskPadding?: boolean;
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
  /** What the loss is a mean over ({@link lossWeight}): examples, or valid steps when padding is masked. */
  weight: number;
}

/**
 * Whether the loss of `batch` covers only the valid steps of its sequences: the batch has `lengths` and per-step
 * targets (`[B, T, ...]` with the input's T), and masking is not switched off. The loss then sees the valid steps
 * flattened to `[N, ...]` (N valid steps in all; the `.data` of PyTorch's packed sequences), so that a mean loss is
 * a mean over real steps and padding contributes neither loss nor gradient.
 */
export function masksPadding(batch: Batch, enabled = true): boolean {
  const { input, target, lengths } = batch;
  return enabled && lengths !== undefined && input.rank >= 2 && target.rank >= 2 && input.shape[1] === target.shape[1];
}

/**
 * What an update's loss is a mean over, to combine updates and batch shards: valid steps in `[lossFrom, end)` when
 * padding is masked, else the batch's examples (`update` null) or examples × steps of the window.
 */
export function lossWeight(batch: Batch, update: TbpttUpdate | null, masked: boolean): number {
  const rows = batch.input.shape[0]!;
  const from = update ? update.lossFrom : 0;
  const to = update ? update.end : (batch.input.shape[1] ?? 1);
  if (masked && batch.lengths) {
    let n = 0;
    for (let b = 0; b < rows; b++) n += Math.max(0, Math.min(to, batch.lengths[b]!) - from);
    return n;
  }
  return update ? rows * (to - from) : rows;
}

/** The time steps a TBPTT schedule covers: up to the longest valid length when padding is masked, else T. */
export function tbpttSteps(batch: Batch, masked: boolean): number {
  const steps = batch.input.shape[1]!;
  return masked && batch.lengths ? Math.min(steps, Math.max(...batch.lengths)) : steps;
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
  const masked = masksPadding(batch, ctx.maskPadding);
  const mask = masked ? batch.lengths : undefined;
  if (!update) {
    const { output } = runModel(ctx, batch.input, { lengths: batch.lengths });
    return finish(ctx, output, batch.target, undefined, mask, 0, lossWeight(batch, null, masked));
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
    // With masking, a sequence that has ended runs one step past its end (sequence layers take lengths >= 1):
    // that step's output is excluded from the loss and its state never reaches a valid step, so it adds nothing.
    const lo = masked ? 1 : 0;
    const lengths = batch.lengths ? Int32Array.from(batch.lengths, (n) => Math.min(Math.max(n - a, lo), b - a)) : undefined;
    const r = runModel(ctx, x, { state: current, lengths });
    outputs.push(r.output); // [B, b − a, ...]
    current = r.state;
  }
  if (update.carryAt === update.end) carry = current === undefined ? undefined : detachState(current);
  const window = outputs.length === 1 ? outputs[0]! : concat(outputs, 1); // [B, end − start, ...]
  const output =
    update.lossFrom === update.start ? window : slice(window, 1, update.lossFrom - update.start, update.end - update.start);
  const target = timeSlice(batch.target, update.lossFrom, update.end);
  return finish(ctx, output, target, carry, mask, update.lossFrom, lossWeight(batch, update, masked));
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

/**
 * The valid steps of `[B, t, ...]` outputs or targets whose step 0 is time `offset`, flattened to `[N, ...]`
 * (row-major: sequence by sequence, then time).
 */
export function validSteps(x: Tensor, lengths: Int32Array, offset: number): Tensor {
  const [rows, steps] = [x.shape[0]!, x.shape[1]!];
  let n = 0;
  for (let b = 0; b < rows; b++) n += Math.max(0, Math.min(steps, lengths[b]! - offset));
  const index = new Int32Array(n);
  let k = 0;
  for (let b = 0; b < rows; b++) {
    const valid = Math.max(0, Math.min(steps, lengths[b]! - offset));
    for (let s = 0; s < valid; s++) index[k++] = b * steps + s;
  }
  const flat = reshape(x, [rows * steps, ...x.shape.slice(2)]); // [B·t, ...]
  return indexSelect(flat, 0, new Tensor(index, [n])); // [N, ...]
}

function finish(
  ctx: StepContext,
  output: Tensor,
  target: Tensor,
  carry: RecurrentState | undefined,
  mask: Int32Array | undefined,
  offset: number,
  weight: number,
): UpdateResult {
  // A shard whose sequences all ended before this window has nothing to learn from it: zero loss and gradient.
  if (weight === 0) return { loss: 0, output: output.detach(), target, carry, weight };
  const lossTensor = mask ? ctx.loss(validSteps(output, mask, offset), validSteps(target, mask, offset)) : ctx.loss(output, target);
  if (lossTensor.size !== 1) {
    throw new ValueError(`Trainer: the loss must return a one-element tensor, got ${fmtShape(lossTensor.shape)}`);
  }
  const loss = lossTensor.item();
  // A non-finite loss is reported, not backpropagated: its gradients would be garbage anyway.
  if (Number.isFinite(loss)) lossTensor.backward();
  return { loss, output: output.detach(), target, carry, weight };
}
