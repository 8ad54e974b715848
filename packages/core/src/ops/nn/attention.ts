import { recordMulti } from '../../autograd/record.js';
import { getBackend } from '../../backends/registry.js';
import { ShapeError, ValueError, fmtShape } from '../../errors.js';
import { type Generator, defaultGenerator } from '../../random.js';
import { sizeOf } from '../../shape.js';
import type { Tensor } from '../../tensor.js';
import { expandData } from '../shape/expand.js';
import { checkFloat, empty, sumToShape } from '../util.js';

/** Options of {@link fusedAttention}. */
export interface FusedAttentionOptions {
  /**
   * Additive bias broadcastable to the scores `[..., T, S]` (masks as −Infinity, or learned position biases, which
   * then receive a gradient). Default none.
   */
  bias?: Tensor | null;
  /** Factor applied to q·kᵀ; default 1/√D (Vaswani et al. 2017). */
  scale?: number;
  /**
   * Probability of dropping an attention weight after the softmax (inverted dropout, Srivastava et al. 2014), as
   * `dropout(weights, p)` would with the same generator: the returned weights are the dropped ones. Default 0.
   */
  dropout?: number;
  /** Random stream of the dropout mask; default: the global generator seeded by `manualSeed`. */
  generator?: Generator;
}

/** The two outputs of {@link fusedAttention}. */
export interface FusedAttentionOutput {
  /** `weights·value`, `[..., T, Dv]`. */
  context: Tensor;
  /**
   * `softmax(scale·q·kᵀ + bias)` over the keys, `[..., T, S]` (after dropout when it is on); exactly 0 on keys masked
   * with −Infinity.
   */
  weights: Tensor;
}

/** Sizes of an attention call: the leading (batch·head) axes, query length T, key length S, feature sizes D and Dv. */
export interface AttentionShapes {
  /** Leading axes shared by query, key and value. */
  batch: number[];
  /** Query positions. */
  T: number;
  /** Key (and value) positions. */
  S: number;
  /** Query and key feature size. */
  D: number;
  /** Value feature size. */
  Dv: number;
}

/**
 * Checks that `query [..., T, D]`, `key [..., S, D]` and `value [..., S, Dv]` fit together (same rank ≥ 2, same
 * leading axes) and returns their sizes; throws a `ShapeError` naming `op` and the three shapes otherwise. Shared by
 * {@link fusedAttention} and the attention functions built on it, so they reject the same inputs the same way.
 */
export function attentionShapes(op: string, query: Tensor, key: Tensor, value: Tensor): AttentionShapes {
  const r = query.rank;
  if (r < 2 || key.rank !== r || value.rank !== r) {
    throw new ShapeError(
      `${op}: query, key and value need the same rank ≥ 2, got query ${fmtShape(query.shape)}, key ${fmtShape(key.shape)}, value ${fmtShape(value.shape)}`,
    );
  }
  const batch = query.shape.slice(0, -2);
  const same = (t: Tensor): boolean => t.shape.slice(0, -2).every((d, i) => d === batch[i]);
  if (!same(key) || !same(value)) {
    throw new ShapeError(
      `${op}: leading axes differ: query ${fmtShape(query.shape)}, key ${fmtShape(key.shape)}, value ${fmtShape(value.shape)}`,
    );
  }
  const D = query.shape[r - 1]!;
  const S = key.shape[r - 2]!;
  if (key.shape[r - 1] !== D) {
    throw new ShapeError(`${op}: query and key feature sizes differ: query ${fmtShape(query.shape)}, key ${fmtShape(key.shape)}`);
  }
  if (value.shape[r - 2] !== S) {
    throw new ShapeError(`${op}: key and value lengths differ: key ${fmtShape(key.shape)}, value ${fmtShape(value.shape)}`);
  }
  return { batch, T: query.shape[r - 2]!, S, D, Dv: value.shape[r - 1]! };
}

/**
 * Scaled dot-product attention (Vaswani et al. 2017) as one fused op: `weights = softmax(scale·q·kᵀ + bias)`,
 * `context = weights·v`, for `query [..., T, D]`, `key [..., S, D]`, `value [..., S, Dv]` with equal leading axes
 * (batch, heads). The backend kernel runs each (batch·head) group's two GEMMs and row softmax back to back and keeps
 * only the weights (an output anyway) for the backward pass, which computes dP = dC·vᵀ (+ the weights' own
 * gradient), dS = P∘(dP − rowsum(dP∘P)), dq = scale·dS·k, dk = scale·dSᵀ·q, dv = Pᵀ·dC in one kernel too.
 * Gradients flow to query, key, value and a bias that requires one. A row whose keys are all masked is NaN, as in
 * PyTorch.
 *
 * @example
 * ```ts run
 * import { fusedAttention, randn } from '@elman/core';
 *
 * const q = randn([2, 4, 5, 8], { requiresGrad: true }); // [B, heads, T, D]
 * const k = randn([2, 4, 7, 8]); // [B, heads, S, D]
 * const v = randn([2, 4, 7, 8]); // [B, heads, S, Dv]
 * const { context, weights } = fusedAttention(q, k, v);
 * context.sum().backward();
 * console.log(context.shape, weights.shape, q.grad?.shape); // [2, 4, 5, 8] [2, 4, 5, 7] [2, 4, 5, 8]
 * ```
 */
export function fusedAttention(query: Tensor, key: Tensor, value: Tensor, options: FusedAttentionOptions = {}): FusedAttentionOutput {
  const op = 'fusedAttention';
  checkFloat(op, 'query', query);
  checkFloat(op, 'key', key);
  checkFloat(op, 'value', value);
  const { batch, T, D, S, Dv } = attentionShapes(op, query, key, value);
  const r = query.rank;
  const G = sizeOf(batch);
  const scoresShape = [...batch, T, S];
  const bias = options.bias ?? null;
  // A bias over [T, S] alone (an attention or causal mask) is passed once for all groups; any other is materialised
  // to the full scores shape.
  let biasData: Float32Array | null = null;
  let biasShared = false;
  if (bias) {
    checkFloat(op, 'bias', bias);
    const fits = bias.rank <= r && bias.shape.every((d, i) => d === 1 || d === scoresShape[r - bias.rank + i]);
    if (!fits) throw new ShapeError(`${op}: bias ${fmtShape(bias.shape)} cannot be broadcast to the scores ${fmtShape(scoresShape)}`);
    biasShared = bias.shape.slice(0, -2).every((d) => d === 1);
    const target = biasShared ? [T, S] : scoresShape;
    const flat = bias.rank > 2 && biasShared ? bias.detach().reshape(bias.shape.slice(-2)) : bias;
    biasData = expandData(flat, target).data as Float32Array;
  }
  const scale = options.scale ?? 1 / Math.sqrt(D);
  const pDrop = options.dropout ?? 0;
  if (!(pDrop >= 0 && pDrop <= 1)) throw new ValueError(`${op}: dropout must be in [0, 1], got ${pDrop}`);
  let mask: Float32Array | null = null;
  if (pDrop > 0) {
    // Drawn exactly as the dropout op draws it, so fused and composed attention see the same mask for a seed.
    const gen = options.generator ?? defaultGenerator;
    const keep = pDrop === 1 ? 0 : 1 / (1 - pDrop);
    mask = new Float32Array(G * T * S); // [..., T, S]
    for (let i = 0; i < mask.length; i++) mask[i] = gen.uniform() < pDrop ? 0 : keep;
  }
  const weights = empty(scoresShape); // [..., T, S]: the (dropped) weights returned
  const P = mask ? new Float32Array(G * T * S) : (weights.data as Float32Array); // softmax before dropout
  const W = mask ? (weights.data as Float32Array) : null;
  const context = empty([...batch, T, Dv]); // [..., T, Dv]
  const q = query.data as Float32Array;
  const k = key.data as Float32Array;
  const v = value.data as Float32Array;
  getBackend().attentionForward(G, T, S, D, Dv, q, k, v, biasData, biasShared, scale, mask, P, W, context.data as Float32Array);
  const inputs = bias ? [query, key, value, bias] : [query, key, value];
  const saved = { query, key, value, bias, P, W, mask, G, T, S, D, Dv, scale, scoresShape };
  const [c, w] = recordMulti(op, inputs, [context, weights], saved, ([gc, gw], s) => {
    const dq = empty(s.query.shape);
    const dk = empty(s.key.shape);
    const dv = empty(s.value.shape);
    const wantBias = s.bias?.requiresGrad ?? false;
    const ds = wantBias ? empty(s.scoresShape) : null; // [..., T, S]
    const dc = gc ? (gc.data as Float32Array) : new Float32Array(s.G * s.T * s.Dv);
    getBackend().attentionBackward(
      s.G,
      s.T,
      s.S,
      s.D,
      s.Dv,
      s.query.data as Float32Array,
      s.key.data as Float32Array,
      s.value.data as Float32Array,
      s.P,
      s.W,
      s.mask,
      dc,
      gw ? (gw.data as Float32Array) : null,
      s.scale,
      dq.data as Float32Array,
      dk.data as Float32Array,
      dv.data as Float32Array,
      ds ? (ds.data as Float32Array) : null,
    );
    const grads: (Tensor | null)[] = [dq, dk, dv];
    if (s.bias) grads.push(ds ? sumToShape(ds, s.bias.shape) : null);
    return grads;
  });
  return { context: c!, weights: w! };
}
