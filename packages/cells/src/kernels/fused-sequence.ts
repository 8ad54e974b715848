import {
  type RecurrentCell,
  type RecurrentGrads,
  Tensor,
  backwardRetainsGraph,
  getBackend,
  needsGrad,
  recordMulti,
} from '@elman/core';
import type { RecurrentWeights } from '../weights.js';
import type { HiddenGradTracker } from './hidden-grad-norms.js';
import type { SequencePlan } from './sequence-plan.js';

/** One reusable gradient buffer per leaf input (the parameters), see {@link gradientBuffer}. */
const leafGradients = new WeakMap<Tensor, Float32Array>();

/**
 * The buffer the kernel writes `t`'s gradient into (the kernels overwrite it, never accumulate). For a leaf (a
 * parameter) it is the same buffer every call: the backward sweep adds a leaf's gradient into its `.grad` (or copies
 * it there) before any other node runs, so nothing reads the buffer after this node — reusing it saves allocating and
 * collecting a parameter-sized array every training step (1.5 MB at the S2 LSTM). A non-leaf's gradient is passed on
 * to its producer's backward, which may keep it: that one gets a new array.
 */
function gradientBuffer(t: Tensor): Float32Array {
  if (!t.isLeaf) return new Float32Array(t.size);
  let buffer = leafGradients.get(t);
  if (!buffer || buffer.length !== t.size) {
    buffer = new Float32Array(t.size);
    leafGradients.set(t, buffer);
  }
  return buffer;
}

/** Reusable `[B, H]` buffers for the state gradients of calls without an initial state, by state index. */
const stateScratch: Float32Array[] = [];

/**
 * The buffer backward runs ∂L/∂h_n (∂L/∂c_n) through: `g`'s values, or zeros without one. With an initial state it
 * becomes that state's gradient, so it is new; without one the kernel's ∂L/∂h_0 is dropped and one buffer per state
 * index serves every call (backward passes run one node at a time).
 */
function stateGradient(i: number, initial: Tensor | null | undefined, g: Tensor | null | undefined, size: number): Float32Array {
  let buffer: Float32Array;
  if (initial) {
    buffer = new Float32Array(size);
  } else {
    buffer = stateScratch[i]?.length === size ? stateScratch[i]! : new Float32Array(size);
    stateScratch[i] = buffer;
  }
  if (g) buffer.set(g.data as Float32Array);
  else buffer.fill(0);
  return buffer;
}

/** What a fused sequence kernel returns. */
export interface SequenceOutputs {
  /** The output of every step `[B, T, H]` (0 past each sequence's end), or null unless `plan.sequenceOutput`. */
  readonly output: Tensor | null;
  /** The final state tensors `[B, H]` in state-key order (`[h_n]`, or `[h_n, c_n]` for the LSTM). */
  readonly finals: Tensor[];
}

/**
 * Runs the active backend's fused whole-sequence kernel for `cell` and records one tape node whose backward is the
 * backend's fused BPTT. `states` are the initial state tensors in state-key order (`[h]`, or `[h, c]` for the LSTM;
 * null for zeros). Without `plan.sequenceOutput` no `[B, T, H]` output is handed back (the kernels skip it)
 * and gradients reach the sequence through the final state only.
 */
export function fusedSequence(
  op: string,
  cell: RecurrentCell,
  x: Tensor,
  w: RecurrentWeights<Tensor>,
  states: readonly (Tensor | null)[],
  plan: SequencePlan,
  tracker: HiddenGradTracker | null,
): SequenceOutputs {
  const { batch: B, steps: T, hiddenSize: H } = plan;
  const inputs = [x, w.weightIh, w.weightHh];
  if (w.biasIh && w.biasHh) inputs.push(w.biasIh, w.biasHh);
  for (const s of states) if (s) inputs.push(s);
  const keep = needsGrad(inputs);
  const weights = {
    weightIh: w.weightIh.data as Float32Array,
    weightHh: w.weightHh.data as Float32Array,
    biasIh: w.biasIh ? (w.biasIh.data as Float32Array) : null,
    biasHh: w.biasHh ? (w.biasHh.data as Float32Array) : null,
  };
  const xData = x.data as Float32Array; // [B, T, X]
  // Running states [B, H]: copies of the initial states (zeros when omitted), updated in place by the kernel.
  const finals = states.map((s) => (s ? new Float32Array(s.data as Float32Array) : new Float32Array(B * H)));
  const output = plan.sequenceOutput ? new Float32Array(B * T * H) : null; // [B, T, H]; padded steps stay 0
  const isLstm = cell.kind === 'lstm';
  const saved = getBackend().recurrentForward({
    cell,
    geometry: plan,
    x: xData,
    weights,
    h: finals[0]!,
    c: isLstm ? finals[1]! : null,
    output,
    keep,
  });

  const finalTensors = finals.map((f) => new Tensor(f, [B, H]));
  const outputTensor = output ? new Tensor(output, [B, T, H]) : null;
  const recorded = recordMulti(op, inputs, outputTensor ? [outputTensor, ...finalTensors] : finalTensors, { saved }, (grads, kept) => {
    const [gY, gH, gC] = outputTensor ? grads : [null, ...grads];
    // ∂L/∂h_n and ∂L/∂c_n on entry, ∂L/∂h_0 and ∂L/∂c_0 on return.
    // The kernel updates them in place, so they never alias the incoming gradients (another node may hold those).
    const dh = stateGradient(0, states[0], gH, B * H); // [B, H]
    const dc = isLstm ? stateGradient(1, states[1], gC, B * H) : null; // [B, H]
    const want = (t: Tensor | null): Float32Array | null => (t?.requiresGrad ? gradientBuffer(t) : null);
    const g: RecurrentGrads = {
      x: want(x),
      weightIh: want(w.weightIh),
      weightHh: want(w.weightHh),
      biasIh: w.biasIh && w.biasHh ? gradientBuffer(w.biasIh) : null,
      biasHh: w.biasIh && w.biasHh ? gradientBuffer(w.biasHh) : null,
    };
    // Backward only runs when the node was recorded, i.e. when `keep` made the forward save its activations.
    getBackend().recurrentBackward({
      cell,
      geometry: plan,
      x: xData,
      weights,
      saved: kept.saved!,
      dOutput: gY ? (gY.data as Float32Array) : null,
      dh,
      dc,
      grads: g,
      hiddenGradSquares: tracker ? tracker.begin() : null,
      // ∂L/∂h_0 (∂L/∂c_0) only goes somewhere when an initial state needs a gradient.
      initialStateGrads: states.some((s) => s?.requiresGrad === true),
      // Without retainGraph nothing reads the saved activations again: the backend may overwrite and release them.
      final: !backwardRetainsGraph(),
    });
    const tensorOf = (d: Float32Array | null, like: Tensor | null): Tensor | null => (d && like ? new Tensor(d, like.shape) : null);
    const out = [tensorOf(g.x, x), tensorOf(g.weightIh, w.weightIh), tensorOf(g.weightHh, w.weightHh)];
    if (w.biasIh && w.biasHh) out.push(tensorOf(g.biasIh, w.biasIh), tensorOf(g.biasHh, w.biasHh));
    const dStates = [dh, dc];
    states.forEach((s, i) => {
      if (s) out.push(new Tensor(dStates[i]!, s.shape));
    });
    return out;
  });
  const [first, ...rest] = recorded;
  return outputTensor ? { output: first!, finals: rest } : { output: null, finals: recorded };
}
