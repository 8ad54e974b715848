import {
  type Generator,
  Linear,
  Module,
  Parameter,
  ShapeError,
  type Tensor,
  ValueError,
  add,
  fmtShape,
  fusedAttention,
  linear,
  mean,
  permute,
  reshape,
  slice,
  xavierUniform_,
} from '@elman/core';
import { type AttentionMask, causalMask, checkMaskShape, maskBias, maskTensor } from './masks.js';
import { checkNonEmpty } from './scaled-dot-product-attention.js';

/** Options of {@link MultiheadAttention}. */
export interface MultiheadAttentionOptions {
  /** Model size E (query features and output features). */
  embedDim: number;
  /** Number of heads; must divide `embedDim`. */
  numHeads: number;
  /** Dropout probability on the attention weights while training. Default 0. */
  dropout?: number;
  /** Learn the input and output projection biases. Default true. */
  bias?: boolean;
  /** Key features; default `embedDim`. When it (or `vdim`) differs, the projections are stored separately. */
  kdim?: number;
  /** Value features; default `embedDim`. */
  vdim?: number;
  /** Random stream for the initial weights and the dropout masks; default: the global generator. */
  generator?: Generator;
}

/** Options of {@link MultiheadAttention.forward}. */
export interface MultiheadAttentionForwardOptions {
  /** `[B, S]`: keys to ignore (padding); see {@link AttentionMask}. */
  keyPaddingMask?: AttentionMask | null;
  /** `[T, S]` for every batch element and head, or `[B·numHeads, T, S]` (PyTorch's 3-D form). */
  attnMask?: AttentionMask | null;
  /** Also mask key j for query i when j > i (causal self-attention). Default false. */
  isCausal?: boolean;
  /** Return the attention weights. Default true. */
  needWeights?: boolean;
  /** Average the returned weights over heads (`[B, T, S]`) instead of per head (`[B, numHeads, T, S]`). Default true. */
  averageWeights?: boolean;
}

/** What {@link MultiheadAttention.forward} returns. */
export interface MultiheadAttentionOutput {
  /** Attention output after the output projection, `[B, T, E]`. */
  context: Tensor;
  /**
   * Attention weights, `[B, T, S]` averaged over heads or `[B, numHeads, T, S]`, null unless `needWeights`. As in
   * PyTorch they are taken after dropout, so they sum to 1 over unmasked keys in eval mode (or without dropout);
   * masked keys get exactly 0, and a query whose keys are all masked gets NaN (PyTorch's behaviour).
   */
  weights: Tensor | null;
}

/**
 * Multi-head attention (Vaswani et al. 2017), batch-first, with PyTorch's `nn.MultiheadAttention` state dict:
 * `in_proj_weight [3E, E]` (rows q, k, v) and `in_proj_bias [3E]`, or `q_proj_weight [E, E]`,
 * `k_proj_weight [E, kdim]`, `v_proj_weight [E, vdim]` when kdim/vdim differ from E, then `out_proj.weight [E, E]`
 * and `out_proj.bias [E]`. Initialised as PyTorch: Xavier-uniform projections, zero biases.
 * Each head attends with {@link scaledDotProductAttention}'s equations on E / numHeads features.
 *
 * @example
 * ```ts run
 * import { randn } from '@elman/core';
 * import { MultiheadAttention } from '@elman/transformer';
 *
 * const mha = new MultiheadAttention({ embedDim: 16, numHeads: 4, dropout: 0.1 });
 * const x = randn([2, 5, 16]); // [B, T, E]
 * // Causal self-attention with padding: position t sees positions ≤ t that are not padding.
 * const keyPaddingMask = [[false, false, false, false, false], [false, false, false, true, true]];
 * const { context, weights } = mha.forward(x, x, x, { keyPaddingMask, isCausal: true });
 * console.log(context.shape, weights?.shape); // [2, 5, 16] [2, 5, 5] (averaged over heads)
 * console.log(Object.keys(mha.stateDict())); // torch's: in_proj_weight, in_proj_bias, out_proj.weight, out_proj.bias
 * ```
 */
export class MultiheadAttention extends Module {
  /** Model size E. */
  readonly embedDim: number;
  /** Number of heads. */
  readonly numHeads: number;
  /** Features per head, E / numHeads. */
  readonly headDim: number;
  /** Key features. */
  readonly kdim: number;
  /** Value features. */
  readonly vdim: number;
  /** Dropout probability on the attention weights. */
  readonly dropout: number;
  /** Packed q, k, v projection `[3E, E]` (null when kdim or vdim differs from E). */
  in_proj_weight: Parameter | null;
  /** Query projection `[E, E]` (only when kdim or vdim differs from E). */
  q_proj_weight: Parameter | null;
  /** Key projection `[E, kdim]` (only when kdim or vdim differs from E). */
  k_proj_weight: Parameter | null;
  /** Value projection `[E, vdim]` (only when kdim or vdim differs from E). */
  v_proj_weight: Parameter | null;
  /** Packed q, k, v projection bias `[3E]`, or null without bias. */
  in_proj_bias: Parameter | null;
  /** Output projection `E → E`. */
  out_proj: Linear;
  readonly #generator: Generator | undefined;

  /** Creates the layer; `numHeads` must divide `embedDim`. */
  constructor(options: MultiheadAttentionOptions) {
    super();
    const { embedDim: E, numHeads: H } = options;
    for (const [name, v] of [['embedDim', E], ['numHeads', H], ['kdim', options.kdim ?? E], ['vdim', options.vdim ?? E]] as const) {
      if (!(Number.isInteger(v) && v > 0)) throw new ValueError(`MultiheadAttention: ${name} must be a positive integer, got ${v}`);
    }
    if (E % H !== 0) {
      throw new ValueError(`MultiheadAttention: numHeads ${H} does not divide embedDim ${E}`);
    }
    const p = options.dropout ?? 0;
    if (!(p >= 0 && p <= 1)) throw new ValueError(`MultiheadAttention: dropout must be in [0, 1], got ${p}`);
    this.embedDim = E;
    this.numHeads = H;
    this.headDim = E / H;
    this.kdim = options.kdim ?? E;
    this.vdim = options.vdim ?? E;
    this.dropout = p;
    this.#generator = options.generator;
    const gen = { generator: options.generator };
    const packed = this.kdim === E && this.vdim === E;
    const param = (rows: number, cols: number): Parameter => new Parameter(new Float32Array(rows * cols), [rows, cols]);
    this.in_proj_weight = packed ? param(3 * E, E) : null;
    this.q_proj_weight = packed ? null : param(E, E);
    this.k_proj_weight = packed ? null : param(E, this.kdim);
    this.v_proj_weight = packed ? null : param(E, this.vdim);
    const bias = options.bias ?? true;
    this.in_proj_bias = bias ? new Parameter(new Float32Array(3 * E), [3 * E]) : null;
    this.out_proj = new Linear(E, E, { bias, generator: options.generator });
    for (const w of [this.in_proj_weight, this.q_proj_weight, this.k_proj_weight, this.v_proj_weight]) {
      if (w) xavierUniform_(w, gen);
    }
    this.out_proj.bias?.data.fill(0);
  }

  /**
   * Attends from `query [B, T, E]` over `key [B, S, kdim]` / `value [B, S, vdim]` and returns
   * `{context [B, T, E], weights}`. Masks: `keyPaddingMask [B, S]`, `attnMask [T, S]` or `[B·numHeads, T, S]`,
   * `isCausal`; all combine (a key masked by any of them is masked).
   */
  forward(query: Tensor, key: Tensor, value: Tensor, options: MultiheadAttentionForwardOptions = {}): MultiheadAttentionOutput {
    const op = 'MultiheadAttention';
    const { embedDim: E, numHeads: H, headDim: Dh } = this;
    const check = (name: string, t: Tensor, feat: number, featName: string): void => {
      if (t.rank !== 3 || t.shape[2] !== feat) {
        throw new ShapeError(`${op}: ${name} must be [B, ${name === 'query' ? 'T' : 'S'}, ${featName}=${feat}] (batch-first), got ${fmtShape(t.shape)}`);
      }
    };
    check('query', query, E, 'embedDim');
    check('key', key, this.kdim, 'kdim');
    check('value', value, this.vdim, 'vdim');
    const [B, T] = query.shape as [number, number, number];
    const S = key.shape[1]!;
    if (key.shape[0] !== B || value.shape[0] !== B || value.shape[1] !== S) {
      throw new ShapeError(
        `${op}: batch or length mismatch: query ${fmtShape(query.shape)}, key ${fmtShape(key.shape)}, value ${fmtShape(value.shape)}`,
      );
    }
    checkNonEmpty(op, T, S);
    const bias = this.#scoreBias(B, T, S, options);

    const [wq, wk, wv] = this.in_proj_weight
      ? [slice(this.in_proj_weight, 0, 0, E), slice(this.in_proj_weight, 0, E, 2 * E), slice(this.in_proj_weight, 0, 2 * E)]
      : [this.q_proj_weight!, this.k_proj_weight!, this.v_proj_weight!];
    const b = this.in_proj_bias;
    const [bq, bk, bv] = b ? [slice(b, 0, 0, E), slice(b, 0, E, 2 * E), slice(b, 0, 2 * E)] : [null, null, null];
    // One permute per operand splits the heads; the fused attention kernel reads keys as [B, H, S, Dh] (q·kᵀ is an NT GEMM).
    const q = permute(reshape(linear(query, wq, bq), [B, T, H, Dh]), [0, 2, 1, 3]); // [B, H, T, Dh]
    const k = permute(reshape(linear(key, wk, bk), [B, S, H, Dh]), [0, 2, 1, 3]); // [B, H, S, Dh]
    const v = permute(reshape(linear(value, wv, bv), [B, S, H, Dh]), [0, 2, 1, 3]); // [B, H, S, Dh]
    const p = this.training ? this.dropout : 0;
    const att = fusedAttention(q, k, v, { bias, scale: 1 / Math.sqrt(Dh), dropout: p, generator: this.#generator });
    const merged = reshape(permute(att.context, [0, 2, 1, 3]), [B, T, E]); // [B, T, E]
    const context = this.out_proj.forward(merged); // [B, T, E]
    let weights: Tensor | null = null;
    if (options.needWeights ?? true) weights = (options.averageWeights ?? true) ? mean(att.weights, 1) : att.weights;
    return { context, weights };
  }

  /** The combined additive score bias `[B|1, H|1, T, S]` of all masks, or null without masks. */
  #scoreBias(B: number, T: number, S: number, options: MultiheadAttentionForwardOptions): Tensor | null {
    const op = 'MultiheadAttention';
    let bias: Tensor | null = null;
    if (options.attnMask != null) {
      const m = maskTensor(op, 'attnMask', options.attnMask);
      checkMaskShape(op, 'attnMask', m, [[T, S], [B * this.numHeads, T, S]]);
      bias = maskBias(m.rank === 3 ? reshape(m, [B, this.numHeads, T, S]) : m);
    }
    if (options.keyPaddingMask != null) {
      const m = maskTensor(op, 'keyPaddingMask', options.keyPaddingMask);
      checkMaskShape(op, 'keyPaddingMask', m, [[B, S]]);
      const kp = maskBias(reshape(m, [B, 1, 1, S]));
      bias = bias ? add(bias, kp) : kp;
    }
    if (options.isCausal) {
      const c = maskBias(causalMask(T, S));
      bias = bias ? add(bias, c) : c;
    }
    return bias;
  }
}
