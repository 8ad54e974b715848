import { ValueError } from '@elman/core';

/**
 * Truncated backpropagation through time, TBPTT(k1, k2) (Williams & Peng 1990; Sutskever 2013, §2.8): the
 * optimizer steps every `k1` time steps and each step's gradient flows back at most `k2` steps.
 *
 * @example
 * ```ts run
 * import { Adam, Linear, Module, type Tensor, mseLoss, tensor } from '@elman/core';
 * import { LSTM, type LstmState } from '@elman/cells';
 * import { Trainer } from '@elman/trainer';
 *
 * // A recurrent model: forward(x [B, t, X], {state}) → {output, state}, so the trainer can carry the state.
 * class Forecaster extends Module {
 *   lstm = new LSTM({ inputSize: 1, hiddenSize: 16 });
 *   head = new Linear(16, 1);
 *   forward(x: Tensor, options: { state?: LstmState } = {}): { output: Tensor; state: LstmState } {
 *     const { output, state } = this.lstm.forward(x, options); // [B, t, 16]
 *     return { output: this.head.forward(output), state }; // [B, t, 1]
 *   }
 * }
 * const wave = Float32Array.from({ length: 4 * 201 }, (_, i) => Math.sin(i / 6));
 * const rows = [0, 1, 2, 3].map((b) => wave.subarray(b * 201, b * 201 + 201));
 * const inputs = tensor(Float32Array.from(rows.flatMap((r) => [...r.subarray(0, 200)])), [4, 200, 1]); // [B, T, 1]
 * const targets = tensor(Float32Array.from(rows.flatMap((r) => [...r.subarray(1)])), [4, 200, 1]); // one step ahead
 * const model = new Forecaster();
 * const trainer = new Trainer({ model, optimizer: new Adam(model.parameters(), { lr: 0.02 }), loss: mseLoss, tbptt: { k1: 25, k2: 25 }, progress: false });
 * const history = await trainer.fit({ inputs, targets }, { epochs: 3, batchSize: 4 }); // 8 updates per batch of 200 steps
 * console.log(history.epochs.map((e) => e.logs.loss?.toFixed(4)));
 * ```
 */
export interface TbpttOptions {
  /** Time steps between parameter updates (each step's loss covers these `k1` new outputs). */
  k1: number;
  /** Time steps the gradient is backpropagated. `k1 = k2 = T` is full BPTT over sequences of length T. */
  k2: number;
}

/**
 * One parameter update of a TBPTT schedule over a sequence, in time steps (end exclusive). The model runs forward
 * from the state at `start` (detached) over `[start, end)`; the loss covers the outputs `[lossFrom, end)`.
 * - `k2 ≤ k1`: `start = lossFrom` and the state is detached every `k2` steps inside the window
 *   (`detachEvery = k2`), so no gradient path is longer than `k2` steps;
 * - `k2 > k1`: the window reaches back `k2` steps, re-running the `k2 − k1` steps before `lossFrom` from their
 *   stored state (`detachEvery = 0`: no cut inside the window), as in Williams & Peng's BPTT(h; h′).
 * The state reached at `carryAt` is the next update's starting state.
 */
export interface TbpttUpdate {
  /** First step of the forward window. */
  start: number;
  /** First step whose output enters the loss. */
  lossFrom: number;
  /** One past the last step of the window. */
  end: number;
  /** Detach the state every this many steps from `start` (0: never inside the window). */
  detachEvery: number;
  /** Step at which the state to carry into the next update is taken (`end` when `k2 ≤ k1`). */
  carryAt: number;
}

/** Validates {@link TbpttOptions}; errors name `op`. */
export function checkTbptt(op: string, options: TbpttOptions): void {
  for (const key of ['k1', 'k2'] as const) {
    const v = options[key];
    if (!Number.isInteger(v) || v < 1) throw new ValueError(`${op}: tbptt.${key} must be an integer >= 1, got ${v}`);
  }
}

/**
 * The updates of TBPTT(k1, k2) over a sequence of `steps` time steps, in order (the last may be shorter).
 *
 * @example
 * ```ts run
 * import { planTbptt } from '@elman/trainer';
 *
 * // TBPTT(k1 = 10, k2 = 20) over 30 steps: step every 10, backpropagate through the last 20 steps.
 * for (const u of planTbptt(30, { k1: 10, k2: 20 })) console.log(u.start, u.lossFrom, u.end);
 * // 0 0 10 · 0 10 20 · 10 20 30: each window re-runs the k2 − k1 steps before its loss from their stored state
 * ```
 */
export function planTbptt(steps: number, options: TbpttOptions): TbpttUpdate[] {
  checkTbptt('planTbptt', options);
  const { k1, k2 } = options;
  const updates: TbpttUpdate[] = [];
  for (let t0 = 0; t0 < steps; t0 += k1) {
    const end = Math.min(t0 + k1, steps);
    if (k2 <= k1) {
      updates.push({ start: t0, lossFrom: t0, end, detachEvery: k2, carryAt: end });
    } else {
      const nextEnd = Math.min(end + k1, steps);
      updates.push({ start: Math.max(0, end - k2), lossFrom: t0, end, detachEvery: 0, carryAt: Math.max(0, nextEnd - k2) });
    }
  }
  return updates;
}

/**
 * The boundaries at which the window of `update` is cut into forward calls: its start, every detach point, the
 * carry point, and its end (sorted, unique).
 */
export function segmentBounds(update: TbpttUpdate): number[] {
  const { start, end, detachEvery, carryAt } = update;
  const points = new Set<number>([start, end, carryAt]);
  if (detachEvery > 0) for (let t = start + detachEvery; t < end; t += detachEvery) points.add(t);
  return [...points].sort((a, b) => a - b);
}
