import type { Tensor } from '@elman/core';
import type { MultiheadAttention } from '@elman/transformer';
import { OnnxExportError } from '../errors.js';
import type { OnnxExportContext } from '../export-context.js';
import type { OnnxDim, OnnxValue } from '../graph-builder.js';
import type { OnnxForwardOptions } from '../registry.js';
import { additiveBias, causalBias, maskOption } from './attention-bias.js';
import { f32 } from './recurrent.js';

/**
 * `MultiheadAttention`'s forward on flat inputs: `[query, key, value]`, or `[x]` for self-attention (query = key =
 * value = x); `options` are its forward options. Returns `{context, weights}`, or the context alone when
 * `needWeights` is false: the outputs the exported graph computes.
 */
export function multiheadAttentionForward(m: MultiheadAttention, inputs: readonly Tensor[], options: OnnxForwardOptions): unknown {
  const [q, k, v] = inputs.length === 1 ? [inputs[0]!, inputs[0]!, inputs[0]!] : inputs;
  const r = m.forward(q!, k!, v!, options);
  return r.weights ? { context: r.context, weights: r.weights } : r.context;
}


/** `x [B, L, in] · wᵀ + b` with `w [N, in]` (N = E, or 3E for the packed projection). */
function project(ctx: OnnxExportContext, x: OnnxValue, w: OnnxValue, b: OnnxValue | null, N: number): OnnxValue {
  const wt = ctx.op('Transpose', [w], f32([w.shape[1]!, N]), { perm: { ints: [1, 0] } }); // [in, N]
  const y = ctx.op('MatMul', [x, wt], f32([x.shape[0]!, x.shape[1]!, N])); // [B, L, N]
  return b ? ctx.op('Add', [y, b], y) : y;
}

/** Rows `[i·E, (i+1)·E)` of a packed `[3E, ·]` or `[3E]` initializer (folded by onnxruntime when the session loads). */
function rows(ctx: OnnxExportContext, packed: OnnxValue, i: number, E: number): OnnxValue {
  return ctx.op('Slice', [packed, ctx.int64s([i * E]), ctx.int64s([(i + 1) * E]), ctx.int64s([0])], f32([E, ...packed.shape.slice(1)]));
}

/**
 * The q, k, v projections `[B, ·, E]`. Self-attention with the packed weight (one input for query, key and value, as
 * in a transformer layer) runs one `MatMul` against all of `in_proj_weight` and slices q, k, v from its `[B, T, 3E]`
 * result; otherwise each input has its own `MatMul` with its rows of the weight.
 */
function projections(ctx: OnnxExportContext, m: MultiheadAttention, query: OnnxValue, key: OnnxValue, value: OnnxValue): OnnxValue[] {
  const E = m.embedDim;
  const packed = m.in_proj_weight ? ctx.initializer('in_proj_weight', m.in_proj_weight) : null; // [3E, E]
  const packedBias = m.in_proj_bias ? ctx.initializer('in_proj_bias', m.in_proj_bias) : null; // [3E]
  if (packed && query === key && key === value) {
    const [B, T] = query.shape as [OnnxDim, OnnxDim];
    const qkv = project(ctx, query, packed, packedBias, 3 * E); // [B, T, 3E]
    return [0, 1, 2].map((i) =>
      ctx.op('Slice', [qkv, ctx.int64s([i * E]), ctx.int64s([(i + 1) * E]), ctx.int64s([2])], f32([B, T, E])),
    ); // [B, T, E] each
  }
  const weights = packed
    ? [0, 1, 2].map((i) => rows(ctx, packed, i, E)) // [E, E] each
    : [ctx.initializer('q_proj_weight', m.q_proj_weight!), ctx.initializer('k_proj_weight', m.k_proj_weight!), ctx.initializer('v_proj_weight', m.v_proj_weight!)];
  const biases = [0, 1, 2].map((i) => (packedBias ? rows(ctx, packedBias, i, E) : null)); // [E] each
  return [query, key, value].map((x, i) => project(ctx, x, weights[i]!, biases[i]!, E));
}

/**
 * The sum of the additive score biases of every mask in `options`, broadcastable to the scores `[B, nH, T, S]`, or
 * null without masks: `attnMask [T, S]` or `[B·nH, T, S]`, `keyPaddingMask [B, S]`, `isCausal`, combined in the
 * order Elman combines them.
 */
function scoreBias(ctx: OnnxExportContext, m: MultiheadAttention, query: OnnxValue, key: OnnxValue, options: OnnxForwardOptions): OnnxValue | null {
  const what = 'MultiheadAttention';
  const nH = m.numHeads;
  const [B, T] = query.shape as [OnnxDim, OnnxDim];
  const S = key.shape[1]!;
  let bias: OnnxValue | null = null;
  const addBias = (b: OnnxValue): void => {
    bias = bias ? ctx.op('Add', [bias, b], f32([B, nH, T, S])) : b;
  };
  const attnMask = maskOption(ctx, what, options, 'attnMask');
  if (attnMask) {
    const b = additiveBias(ctx, attnMask); // [T, S] or [B·nH, T, S]
    if (attnMask.shape.length === 2) addBias(b);
    else if (attnMask.shape.length === 3) {
      // [B·nH, T, S] → [B, nH, T, S]; T and S may be dynamic, so the target shape is built from the mask's own.
      const shape = ctx.op('Shape', [b], { dtype: 'int64', shape: [3] }); // [3]
      const ts = ctx.op('Slice', [shape, ctx.int64s([1]), ctx.int64s([3]), ctx.int64s([0])], { dtype: 'int64', shape: [2] }); // [2]
      const target = ctx.op('Concat', [ctx.int64s([-1, nH]), ts], { dtype: 'int64', shape: [4] }, { axis: { int: 0 } }); // [4]
      addBias(ctx.op('Reshape', [b, target], f32([B, nH, T, S]))); // [B, nH, T, S]
    } else {
      throw new OnnxExportError(`exportOnnx: ${what} at '${ctx.path}': attnMask must be [T, S] or [B·numHeads, T, S], got rank ${attnMask.shape.length}`);
    }
  }
  const keyPadding = maskOption(ctx, what, options, 'keyPaddingMask');
  if (keyPadding) {
    if (keyPadding.shape.length !== 2) {
      throw new OnnxExportError(`exportOnnx: ${what} at '${ctx.path}': keyPaddingMask must be [B, S], got rank ${keyPadding.shape.length}`);
    }
    // [B, S] → [B, 1, 1, S]: the same keys are padded for every head and query.
    addBias(ctx.op('Reshape', [additiveBias(ctx, keyPadding), ctx.int64s([0, 1, 1, -1])], f32([B, 1, 1, S])));
  }
  if (options.isCausal === true) addBias(causalBias(ctx, query, key)); // [T, S]
  return bias;
}

/**
 * `MultiheadAttention` → primitive ops (Vaswani et al. 2017), as Elman computes it: the q, k, v projections as
 * `MatMul` + `Add` on `in_proj_weight`/`in_proj_bias` (one for self-attention, else one per input with its rows;
 * `q_proj_weight`, … when kdim/vdim differ), heads split by `Reshape`/`Transpose`, `softmax(q·scale · kᵀ + bias)·v` with the masks as additive
 * `-Infinity` biases (`Where`), heads merged and `out_proj` as a Linear. Inputs `[query, key, value]` (batch-first)
 * or `[x]` for self-attention; forward options `keyPaddingMask`, `attnMask` (graph values), `isCausal`,
 * `needWeights`, `averageWeights`. Outputs `context [B, T, E]`, then unless `needWeights` is false the weights
 * `[B, T, S]` (mean over heads) or `[B, nH, T, S]`.
 */
export function exportMultiheadAttention(
  ctx: OnnxExportContext,
  m: MultiheadAttention,
  inputs: readonly OnnxValue[],
  options: OnnxForwardOptions,
): OnnxValue[] {
  if (inputs.length !== 1 && inputs.length !== 3) {
    throw new OnnxExportError(
      `exportOnnx: MultiheadAttention at '${ctx.path}' takes inputs query, key, value (or one input for self-attention), got ${inputs.length}`,
    );
  }
  const [query, key, value] = (inputs.length === 1 ? [inputs[0], inputs[0], inputs[0]] : inputs) as [OnnxValue, OnnxValue, OnnxValue];
  const { embedDim: E, numHeads: nH, headDim: Dh } = m;
  const [B, T] = query.shape as [OnnxDim, OnnxDim];
  const S = key.shape[1]!;
  const [qIn, kIn, vIn] = projections(ctx, m, query, key, value) as [OnnxValue, OnnxValue, OnnxValue]; // [B, T, E], [B, S, E], [B, S, E]
  const heads = (x: OnnxValue, L: OnnxDim): OnnxValue => ctx.op('Reshape', [x, ctx.int64s([0, 0, nH, Dh])], f32([B, L, nH, Dh])); // [B, L, nH, Dh]
  const q = ctx.op('Transpose', [heads(qIn, T)], f32([B, nH, T, Dh]), { perm: { ints: [0, 2, 1, 3] } }); // [B, nH, T, Dh]
  const kT = ctx.op('Transpose', [heads(kIn, S)], f32([B, nH, Dh, S]), { perm: { ints: [0, 2, 3, 1] } }); // [B, nH, Dh, S]
  const v = ctx.op('Transpose', [heads(vIn, S)], f32([B, nH, S, Dh]), { perm: { ints: [0, 2, 1, 3] } }); // [B, nH, S, Dh]
  // Scaling q (T·Dh values) rather than the scores, as Elman and PyTorch do, keeps the rounding identical.
  const scale = ctx.floatScalar(1 / Math.sqrt(Dh));
  let scores = ctx.op('MatMul', [ctx.op('Mul', [q, scale], q), kT], f32([B, nH, T, S])); // [B, nH, T, S]
  const bias = scoreBias(ctx, m, query, key, options);
  if (bias) scores = ctx.op('Add', [scores, bias], scores);
  const probs = ctx.op('Softmax', [scores], scores, { axis: { int: -1 } }); // [B, nH, T, S]
  const att = ctx.op('MatMul', [probs, v], f32([B, nH, T, Dh])); // [B, nH, T, Dh]
  const merged = ctx.op('Transpose', [att], f32([B, T, nH, Dh]), { perm: { ints: [0, 2, 1, 3] } }); // [B, T, nH, Dh]
  const flat = ctx.op('Reshape', [merged, ctx.int64s([0, 0, E])], f32([B, T, E])); // [B, T, E]
  const [context] = ctx.exportModule('out_proj', m.out_proj, [flat]); // [B, T, E]
  if (options.needWeights === false) return [context!];
  if (options.averageWeights === false) return [context!, probs];
  const mean =
    ctx.opset >= 18
      ? ctx.op('ReduceMean', [probs, ctx.int64s([1])], f32([B, T, S]), { keepdims: { int: 0 } })
      : ctx.op('ReduceMean', [probs], f32([B, T, S]), { axes: { ints: [1] }, keepdims: { int: 0 } }); // [B, T, S]
  return [context!, mean];
}
