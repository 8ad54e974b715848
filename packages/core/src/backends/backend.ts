/**
 * The kernel table every backend implements. Kernels are pure functions over contiguous typed arrays; they know
 * nothing about autograd. Gradients are written once, in the ops, in terms of these kernels and other ops.
 */

import type { RecurrentBackwardArgs, RecurrentForwardArgs, RecurrentSaved } from './recurrent.js';

/** Element-wise float32 functions. `geluDeriv` is d/dx of the exact (erf) GELU. */
export type UnaryOp =
  | 'neg'
  | 'exp'
  | 'log'
  | 'sqrt'
  | 'rsqrt'
  | 'tanh'
  | 'sigmoid'
  | 'relu'
  | 'gelu'
  | 'geluDeriv'
  | 'softplus'
  | 'abs'
  | 'sign'
  | 'square'
  | 'reciprocal';

/** Broadcasting binary functions. Comparisons write 1/0 into an int32 output. */
export type BinaryOp =
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'pow'
  | 'maximum'
  | 'minimum'
  | 'eq'
  | 'ne'
  | 'gt'
  | 'ge'
  | 'lt'
  | 'le';

/** Reductions along one axis of a `[outer, n, inner]` view. */
export type ReduceOp = 'sum' | 'max' | 'min';

/** Activations a GEMM epilogue can apply; `gelu` is the exact (erf) form, PyTorch's default. */
export type GemmActivation = 'none' | 'relu' | 'gelu' | 'tanh' | 'sigmoid';

/** A typed array either dtype can use. */
export type AnyArray = Float32Array | Int32Array;

/** Forward kernels of a backend. Shapes are passed as plain arrays; all buffers are contiguous row-major. */
export interface Backend {
  /** Registry name, e.g. `js` or `wasm`. */
  readonly name: string;

  /** `out[i] = f(x[i])`. `x` and `out` may alias. */
  unary(op: UnaryOp, x: Float32Array, out: Float32Array): void;

  /** `out = clamp(x, lo, hi)`; either bound may be ±Infinity. */
  clamp(x: Float32Array, lo: number, hi: number, out: Float32Array): void;

  /** `out = a ∘ b` with NumPy broadcasting of `aShape` and `bShape` to `outShape`. */
  binary(
    op: BinaryOp,
    a: AnyArray,
    aShape: readonly number[],
    b: AnyArray,
    bShape: readonly number[],
    out: AnyArray,
    outShape: readonly number[],
  ): void;

  /** Reduces the middle axis of `x` viewed as `[outer, n, inner]` into `out` `[outer, inner]`. */
  reduce(op: ReduceOp, x: AnyArray, outer: number, n: number, inner: number, out: AnyArray): void;

  /** Index of the first maximum (or minimum) along the middle axis of `[outer, n, inner]`. */
  argReduce(op: 'argmax' | 'argmin', x: AnyArray, outer: number, n: number, inner: number, out: Int32Array): void;

  /** BLAS sgemm, row-major: `C = alpha·op(A)·op(B) + beta·C`; `beta = 0` overwrites C. */
  gemm(
    transA: boolean,
    transB: boolean,
    M: number,
    N: number,
    K: number,
    alpha: number,
    A: Float32Array,
    aOffset: number,
    lda: number,
    B: Float32Array,
    bOffset: number,
    ldb: number,
    beta: number,
    C: Float32Array,
    cOffset: number,
    ldc: number,
  ): void;

  /**
   * GEMM with a fused epilogue, row-major: `C = act(op(A)·op(B) + bias)` overwriting C, `bias` (length N, or null)
   * broadcast over the rows. When `preActivation` is given (contiguous `[M, N]`) it receives `op(A)·op(B) + bias`,
   * for backward passes whose derivative needs the input of the activation (GELU).
   */
  gemmBiasAct(
    transA: boolean,
    transB: boolean,
    M: number,
    N: number,
    K: number,
    A: Float32Array,
    aOffset: number,
    lda: number,
    B: Float32Array,
    bOffset: number,
    ldb: number,
    bias: Float32Array | null,
    activation: GemmActivation,
    C: Float32Array,
    cOffset: number,
    ldc: number,
    preActivation: Float32Array | null,
  ): void;

  /** Softmax (or log-softmax) along the middle axis of `[outer, n, inner]`, numerically stable. */
  softmax(x: Float32Array, outer: number, n: number, inner: number, log: boolean, out: Float32Array): void;

  /**
   * Layer normalisation over the last `cols` elements of each of `rows` rows; writes the per-row mean and
   * reciprocal standard deviation for the backward pass. `weight`/`bias` may be null (no affine).
   */
  layerNorm(
    x: Float32Array,
    weight: Float32Array | null,
    bias: Float32Array | null,
    rows: number,
    cols: number,
    eps: number,
    out: Float32Array,
    mean: Float32Array,
    rstd: Float32Array,
  ): void;

  /**
   * The one data-movement kernel: for every index `i` of `shape`,
   * `dst[dstOffset + Σ i_k·dstStrides_k] (+)= src[srcOffset + Σ i_k·srcStrides_k]`.
   * Permute, slice, concat, broadcast (stride 0) and their backward passes (accumulate) are all this.
   */
  stridedCopy(
    src: AnyArray,
    srcOffset: number,
    srcStrides: readonly number[],
    dst: AnyArray,
    dstOffset: number,
    dstStrides: readonly number[],
    shape: readonly number[],
    accumulate: boolean,
  ): void;

  /**
   * Gather along the middle axis: `x` is `[outer, n, inner]`, `index` is `[outer, k, inner]` (or `[k]` when
   * `indexShared`, the same k indices for every outer/inner position: index-select), `out` is `[outer, k, inner]`.
   */
  gather(
    x: AnyArray,
    outer: number,
    n: number,
    inner: number,
    index: Int32Array,
    k: number,
    indexShared: boolean,
    out: AnyArray,
  ): void;

  /** The adjoint of `gather`: `out[outer, index[o, j, i], inner] += src[o, j, i]`. */
  scatterAdd(
    src: Float32Array,
    outer: number,
    n: number,
    inner: number,
    index: Int32Array,
    k: number,
    indexShared: boolean,
    out: Float32Array,
  ): void;

  /**
   * Fused softmax + cross-entropy with class indices along the middle axis of `[outer, n, inner]` logits: writes
   * each position's loss `lse − (1−ε)·x[t] − ε·mean(x)` into `loss` `[outer·inner]` (0 where `target` equals
   * `ignore`) and its log-sum-exp into `lse` `[outer·inner]`, from which the backward pass recomputes the
   * probabilities. Targets are range-checked by the op.
   */
  crossEntropyForward(
    logits: Float32Array,
    outer: number,
    n: number,
    inner: number,
    target: Int32Array,
    ignore: number,
    smoothing: number,
    loss: Float32Array,
    lse: Float32Array,
  ): void;

  /**
   * Backward of {@link Backend.crossEntropyForward} for the upstream gradient `g` `[outer·inner]` of the per-position
   * losses: `dx = g·(softmax(x) − (1−ε)·onehot(t) − ε/n)`, zero at ignored positions.
   */
  crossEntropyBackward(
    logits: Float32Array,
    outer: number,
    n: number,
    inner: number,
    target: Int32Array,
    ignore: number,
    smoothing: number,
    lse: Float32Array,
    g: Float32Array,
    dx: Float32Array,
  ): void;

  /**
   * Scaled dot-product attention for `G` (batch·head) groups: `p = softmax(scale·q kᵀ + bias)` `[G, T, S]` and
   * `c = w·v` `[G, T, Dv]` from `q [G, T, D]`, `k [G, S, D]`, `v [G, S, Dv]`; `bias` is `[G, T, S]`, one `[T, S]`
   * for all groups (`biasShared`), or null; −Infinity masks a key. Without dropout `w` = `p` (pass null); with a
   * dropout `mask` `[G, T, S]` (0 or 1/(1−p)) the kernel writes `w = p∘mask`.
   */
  attentionForward(
    G: number,
    T: number,
    S: number,
    D: number,
    Dv: number,
    q: Float32Array,
    k: Float32Array,
    v: Float32Array,
    bias: Float32Array | null,
    biasShared: boolean,
    scale: number,
    mask: Float32Array | null,
    p: Float32Array,
    w: Float32Array | null,
    c: Float32Array,
  ): void;

  /**
   * Backward of {@link Backend.attentionForward} from the saved `p`, `w` and `mask` (null without dropout), the
   * context gradient `dc` `[G, T, Dv]` and the weights' own gradient `dw` `[G, T, S]` (or null): writes `dq`, `dk`,
   * `dv`, and `ds` `[G, T, S]` (the scores' gradient, i.e. the bias gradient) when given.
   */
  attentionBackward(
    G: number,
    T: number,
    S: number,
    D: number,
    Dv: number,
    q: Float32Array,
    k: Float32Array,
    v: Float32Array,
    p: Float32Array,
    w: Float32Array | null,
    mask: Float32Array | null,
    dc: Float32Array,
    dw: Float32Array | null,
    scale: number,
    dq: Float32Array,
    dk: Float32Array,
    dv: Float32Array,
    ds: Float32Array | null,
  ): void;

  /** `out[i] = cond[i] ? a[i] : b[i]`, all the same length. */
  where(cond: Int32Array, a: AnyArray, b: AnyArray, out: AnyArray): void;

  /**
   * Fused whole-sequence forward of a single-layer RNN/LSTM/GRU: the input projection of all B·T steps, then the
   * time loop (recurrent product, gate nonlinearities and state update per step). Returns the saved activations
   * when `keep`, else null.
   */
  recurrentForward(args: RecurrentForwardArgs): RecurrentSaved | null;

  /**
   * Fused whole-sequence backward (BPTT) of {@link Backend.recurrentForward}: one reverse pass over the steps, then
   * the weight, bias and input gradients as GEMMs and reductions over all B·T rows.
   */
  recurrentBackward(args: RecurrentBackwardArgs): void;

  /**
   * One Adam / AdamW update of a parameter in place (torch.optim.Adam's rule; see {@link AdamUpdateArgs}), with its
   * moment buffers: the optimizer's whole per-element pass in one kernel.
   */
  adamUpdate(args: AdamUpdateArgs): void;
}

/**
 * Arguments of {@link Backend.adamUpdate}, per element i: p = param·shrink; g = grad + weightDecay·p;
 * m ← m + (1 − β₁)(g − m); v ← β₂v + (1 − β₂)g²; s = v, or with AMSGrad vmax ← max(vmax, v), s = vmax;
 * param ← p − stepSize·m / (√s·invBiasCorrection2Sqrt + eps). All arrays have the parameter's length.
 */
export interface AdamUpdateArgs {
  /** The parameter, updated in place. */
  readonly param: Float32Array;
  /** Its gradient (read only). */
  readonly grad: Float32Array;
  /** First moment estimate `exp_avg`, updated in place. */
  readonly expAvg: Float32Array;
  /** Second moment estimate `exp_avg_sq`, updated in place. */
  readonly expAvgSq: Float32Array;
  /** AMSGrad's running maximum `max_exp_avg_sq`, updated in place; null without AMSGrad. */
  readonly maxExpAvgSq: Float32Array | null;
  /** β₁, the first moment's decay rate. */
  readonly beta1: number;
  /** β₂, the second moment's decay rate. */
  readonly beta2: number;
  /** Added to the denominator. */
  readonly eps: number;
  /** lr / (1 − β₁ᵗ): the learning rate with the first moment's bias correction. */
  readonly stepSize: number;
  /** 1 / √(1 − β₂ᵗ): the second moment's bias correction. */
  readonly invBiasCorrection2Sqrt: number;
  /** L2 weight decay added to the gradient (Adam; 0 for AdamW). */
  readonly weightDecay: number;
  /** Factor the parameter is multiplied by first: 1 − lr·weightDecay for AdamW's decoupled decay, else 1. */
  readonly shrink: number;
}
