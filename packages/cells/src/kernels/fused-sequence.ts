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

/**
 * Runs the active backend's fused whole-sequence kernel for `cell` and records one tape node whose backward is the
 * backend's fused BPTT. `states` are the initial state tensors in state-key order (`[h]`, or `[h, c]` for the LSTM;
 * null for zeros). Returns `[output [B, T, H], ...final states [B, H]]`.
 */
export function fusedSequence(
  op: string,
  cell: RecurrentCell,
  x: Tensor,
  w: RecurrentWeights<Tensor>,
  states: readonly (Tensor | null)[],
  plan: SequencePlan,
  tracker: HiddenGradTracker | null,
): Tensor[] {
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
  const output = new Float32Array(B * T * H); // [B, T, H]; padded steps stay 0
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

  const outputs = [new Tensor(output, [B, T, H]), ...finals.map((f) => new Tensor(f, [B, H]))];
  return recordMulti(op, inputs, outputs, { saved }, (grads, kept) => {
    const [gY, gH, gC] = grads;
    // ∂L/∂h_n and ∂L/∂c_n on entry, ∂L/∂h_0 and ∂L/∂c_0 on return.
    const dh = gH ? new Float32Array(gH.data as Float32Array) : new Float32Array(B * H); // [B, H]
    const dc = isLstm ? (gC ? new Float32Array(gC.data as Float32Array) : new Float32Array(B * H)) : null; // [B, H]
    const want = (t: Tensor | null): Float32Array | null => (t?.requiresGrad ? new Float32Array(t.size) : null);
    const g: RecurrentGrads = {
      x: want(x),
      weightIh: want(w.weightIh),
      weightHh: want(w.weightHh),
      biasIh: w.biasIh && w.biasHh ? new Float32Array(w.biasIh.size) : null,
      biasHh: w.biasIh && w.biasHh ? new Float32Array(w.biasHh.size) : null,
    };
    // Backward only runs when the node was recorded, i.e. when `keep` made the forward save its activations.
    getBackend().recurrentBackward({
      cell,
      geometry: plan,
      x: xData,
      weights,
      output,
      saved: kept.saved!,
      dOutput: gY ? (gY.data as Float32Array) : null,
      dh,
      dc,
      grads: g,
      hiddenGradSquares: tracker ? tracker.begin() : null,
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
}
