import { BackendError } from '../../errors.js';
import { decodeBase64 } from './base64.js';
import type { WasmVariant } from './detect.js';

/**
 * Exports of the kernel module (assembly/index.ts). Pointers are byte addresses in `memory`, counts are elements;
 * flags are 0/1.
 */
export interface KernelExports {
  /** The module's linear memory; the JS arena lives above {@link KernelExports.heapBase}. */
  readonly memory: WebAssembly.Memory;
  /** First free byte after the module's static data. */
  heapBase(): number;
  /** Scratch bytes `gemm` needs for these sizes. */
  gemmWorkspace(M: number, N: number, K: number): number;
  /** Gives this instance thread `index`'s own GEMM edge tile (threaded build; 0 is the caller's); see assembly/gemm.ts. */
  setThreadIndex(index: number): void;
  /** sgemm on wasm memory; see assembly/gemm.ts. */
  gemm(
    transA: number,
    transB: number,
    M: number,
    N: number,
    K: number,
    alpha: number,
    a: number,
    lda: number,
    b: number,
    ldb: number,
    beta: number,
    c: number,
    ldc: number,
    work: number,
  ): void;
  /** `C = act(op(A)·op(B) + bias)` on wasm memory, pre-activation to `aux` unless 0; see assembly/gemm.ts. */
  gemmBiasAct(
    transA: number,
    transB: number,
    M: number,
    N: number,
    K: number,
    a: number,
    lda: number,
    b: number,
    ldb: number,
    bias: number,
    act: number,
    c: number,
    ldc: number,
    aux: number,
    ldaux: number,
    work: number,
  ): void;
  /** Element-wise function `op` (codes.ts) over `n` floats; `x` may equal `out`. */
  unary(op: number, x: number, out: number, n: number): void;
  /** `out = min(max(x, lo), hi)` over `n` floats. */
  clamp(x: number, lo: number, hi: number, out: number, n: number): void;
  /** Broadcasting binary op over a `[rows, cols]` view with per-operand row/column strides. */
  binary(
    op: number,
    a: number,
    aRow: number,
    aCol: number,
    b: number,
    bRow: number,
    bCol: number,
    out: number,
    rows: number,
    cols: number,
  ): void;
  /** Reduction of the middle axis of `[outer, n, inner]`; `acc` is f64 scratch for strided sums. */
  reduce(op: number, x: number, outer: number, n: number, inner: number, out: number, acc: number): void;
  /** Row-wise softmax (log-softmax when `log` is 1); `out` may equal `x`. */
  softmax(x: number, rows: number, n: number, log: number, out: number): void;
  /** Row-wise layer normalisation writing output, means and reciprocal standard deviations. */
  layerNorm(
    x: number,
    w: number,
    hasW: number,
    b: number,
    hasB: number,
    rows: number,
    cols: number,
    eps: number,
    out: number,
    mean: number,
    rstd: number,
  ): void;
  /** Fused softmax + cross-entropy of contiguous rows; see assembly/cross-entropy.ts. */
  crossEntropyForward(x: number, rows: number, n: number, target: number, ignore: number, eps: number, loss: number, lse: number): void;
  /** Gradient of {@link KernelExports.crossEntropyForward}; `dx` may equal `x`. */
  crossEntropyBackward(
    x: number,
    rows: number,
    n: number,
    target: number,
    ignore: number,
    eps: number,
    lse: number,
    g: number,
    dx: number,
  ): void;
  /**
   * Adam / AdamW update of `n` elements in place (`vmax` 0 without AMSGrad; `decay` 0 skips `wd` and `shrink`);
   * see assembly/adam.ts.
   */
  adamUpdate(
    n: number,
    param: number,
    grad: number,
    m: number,
    v: number,
    vmax: number,
    b1: number,
    beta2: number,
    b2: number,
    eps: number,
    stepSize: number,
    invBc2: number,
    decay: number,
    wd: number,
    shrink: number,
  ): void;
  /** `out[index[j]] += src[j]` over `k` rows of `inner` floats; see assembly/scatter-add.ts. */
  scatterAddRows(src: number, k: number, inner: number, index: number, out: number): void;
  /** Scratch bytes the attention kernels need for these sizes. */
  attentionWorkspace(T: number, S: number, D: number, Dv: number): number;
  /** Scaled dot-product attention forward over G groups (dropout `mask` and `w` 0 for none); see assembly/attention.ts. */
  attentionForward(
    G: number,
    T: number,
    S: number,
    D: number,
    Dv: number,
    q: number,
    k: number,
    v: number,
    bias: number,
    biasShared: number,
    scale: number,
    mask: number,
    p: number,
    w: number,
    c: number,
    work: number,
  ): void;
  /** Scaled dot-product attention backward; pointer 0 skips `w`/`mask`, `dw` and `ds` (then `ds1` holds one group's dS). */
  attentionBackward(
    G: number,
    T: number,
    S: number,
    D: number,
    Dv: number,
    q: number,
    k: number,
    v: number,
    p: number,
    w: number,
    mask: number,
    dc: number,
    dw: number,
    scale: number,
    dq: number,
    dk: number,
    dv: number,
    ds: number,
    ds1: number,
    work: number,
  ): void;
  /** Scratch bytes the LSTM sequence kernels need for these sizes. */
  lstmWorkspace(B: number, T: number, X: number, H: number): number;
  /** Fused whole-sequence LSTM forward; see assembly/lstm-sequence.ts. */
  lstmForward(
    B: number,
    T: number,
    X: number,
    H: number,
    lengths: number,
    reverse: number,
    x: number,
    wih: number,
    whh: number,
    bias: number,
    h: number,
    c: number,
    y: number,
    gates: number,
    keep: number,
    hp: number,
    cp: number,
    tc: number,
    work: number,
  ): void;
  /**
   * Fused whole-sequence LSTM backward (BPTT); pointer 0 skips an optional output, `stateGrads` 0 skips ∂L/∂h_0.
   */
  lstmBackward(
    B: number,
    T: number,
    X: number,
    H: number,
    lengths: number,
    reverse: number,
    x: number,
    wih: number,
    whh: number,
    gates: number,
    hp: number,
    cp: number,
    tc: number,
    dY: number,
    dh: number,
    dc: number,
    dG: number,
    dx: number,
    dWih: number,
    dWhh: number,
    db: number,
    sq: number,
    stateGrads: number,
    work: number,
  ): void;
  /** Scratch bytes the RNN sequence kernels need for these sizes. */
  rnnWorkspace(B: number, T: number, X: number, H: number): number;
  /** Fused whole-sequence RNN forward; see assembly/rnn-sequence.ts. */
  rnnForward(
    B: number,
    T: number,
    X: number,
    H: number,
    lengths: number,
    reverse: number,
    relu: number,
    x: number,
    wih: number,
    whh: number,
    bias: number,
    h: number,
    y: number,
    p: number,
    keep: number,
    hp: number,
    work: number,
  ): void;
  /** Fused whole-sequence RNN backward (BPTT); pointer 0 skips an optional output, `stateGrads` 0 skips ∂L/∂h_0. */
  rnnBackward(
    B: number,
    T: number,
    X: number,
    H: number,
    lengths: number,
    reverse: number,
    relu: number,
    x: number,
    wih: number,
    whh: number,
    y: number,
    hp: number,
    dY: number,
    dh: number,
    dA: number,
    dx: number,
    dWih: number,
    dWhh: number,
    db: number,
    sq: number,
    stateGrads: number,
    work: number,
  ): void;
  /** Scratch bytes the GRU sequence kernels need for these sizes. */
  gruWorkspace(B: number, T: number, X: number, H: number): number;
  /** Fused whole-sequence GRU forward; see assembly/gru-sequence.ts. */
  gruForward(
    B: number,
    T: number,
    X: number,
    H: number,
    lengths: number,
    reverse: number,
    resetBefore: number,
    x: number,
    wih: number,
    whh: number,
    bi: number,
    bh: number,
    h: number,
    y: number,
    gates: number,
    keep: number,
    hp: number,
    sv: number,
    work: number,
  ): void;
  /** Fused whole-sequence GRU backward (BPTT); pointer 0 skips an optional output. */
  gruBackward(
    B: number,
    T: number,
    X: number,
    H: number,
    lengths: number,
    reverse: number,
    resetBefore: number,
    x: number,
    wih: number,
    whh: number,
    gates: number,
    hp: number,
    sv: number,
    dY: number,
    dh: number,
    dG: number,
    dGn: number,
    dx: number,
    dWih: number,
    dWhh: number,
    dbIh: number,
    dbHh: number,
    sq: number,
    work: number,
  ): void;
}

/**
 * Compiles and instantiates one kernel build. The module imports nothing; compilation happens here (at `ready()`
 * time), asynchronously, from bytes embedded in the package: no file system or network access. The dynamic import
 * loads only the build in use (bundlers split each into its own chunk), and a checkout whose kernels were never
 * built gets a clear error, and the js backend from `ready()`, instead of a failing import of the whole library.
 */
export async function instantiateKernels(variant: WasmVariant): Promise<KernelExports> {
  const base64 = await load(() =>
    variant === 'relaxed-simd'
      ? import('./generated/kernels-relaxed.js').then((m) => m.KERNELS_RELAXED)
      : import('./generated/kernels-simd.js').then((m) => m.KERNELS_SIMD),
  );
  const module = await WebAssembly.compile(decodeBase64(base64));
  const instance = await WebAssembly.instantiate(module, {});
  return instance.exports as unknown as KernelExports;
}

/** One kernel build instantiated over a shared memory, and its compiled module for the helper threads. */
export interface SharedKernels {
  /** The calling thread's instance (its `memory` is the shared one). */
  readonly kernels: KernelExports;
  /** The compiled module: helper threads instantiate it over the same memory. */
  readonly module: WebAssembly.Module;
}

/**
 * Compiles the shared-memory build of `variant` (scripts/build-wasm.mjs) and instantiates it over a new shared
 * `WebAssembly.Memory` that may grow to `maximumBytes` (whole pages, at most wasm32's 4 GiB). A shared memory
 * reserves its maximum address range up front, since it can never move. Null when the runtime refuses to create
 * it (no shared memory, or not that much address space): the caller then runs on one thread.
 */
export async function instantiateSharedKernels(variant: WasmVariant, maximumBytes: number): Promise<SharedKernels | null> {
  const [base64, pages] = await load(() =>
    variant === 'relaxed-simd'
      ? import('./generated/kernels-relaxed-shared.js').then((m) => [m.KERNELS_RELAXED_SHARED, m.KERNELS_RELAXED_SHARED_PAGES] as const)
      : import('./generated/kernels-simd-shared.js').then((m) => [m.KERNELS_SIMD_SHARED, m.KERNELS_SIMD_SHARED_PAGES] as const),
  );
  const maximum = Math.min(WASM32_PAGES, Math.max(pages, Math.ceil(maximumBytes / PAGE_BYTES)));
  let memory: WebAssembly.Memory;
  try {
    memory = new WebAssembly.Memory({ initial: pages, maximum, shared: true });
  } catch {
    return null;
  }
  const module = await WebAssembly.compile(decodeBase64(base64));
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  return { kernels: instance.exports as unknown as KernelExports, module };
}

/** A wasm page. */
const PAGE_BYTES = 65536;
/** Pages in wasm32's 4 GiB address space. */
const WASM32_PAGES = 65536;

/** Loads a generated kernel module; a checkout whose kernels were never built gets a clear `BackendError`. */
async function load<T>(importer: () => Promise<T>): Promise<T> {
  try {
    return await importer();
  } catch (err) {
    throw new BackendError(
      'wasm: the kernel modules are missing; build them with `pnpm build` (packages/core/scripts/build-wasm.mjs)',
      { cause: err },
    );
  }
}
