import { type Backend, type GemmActivation, type LayerNorm, type Linear, getBackend } from '@elman/core';
import type { CausalLM } from './causal-lm.js';
import type { KVCache } from './kv-cache.js';

/**
 * Scratch buffers of the cached forward pass, sized for `rows` = B·n positions and grown only when a call needs
 * more (a prompt longer than any before), so decoding token after token allocates nothing.
 */
class Workspace {
  rows = 0;
  x = new Float32Array(0); // [R, E] residual stream
  h = new Float32Array(0); // [R, E] normalised input / swap buffer
  qkv = new Float32Array(0); // [R, 3E]
  ctx = new Float32Array(0); // [R, E]
  tmp = new Float32Array(0); // [R, E] sublayer output
  ff = new Float32Array(0); // [R, F]
  mean = new Float32Array(0); // [R]
  rstd = new Float32Array(0); // [R]
  scores = new Float32Array(0); // [n, maxLength]
  probs = new Float32Array(0); // [n, maxLength]
  logits = new Float32Array(0); // [R, V]

  ensure(rows: number, n: number, E: number, F: number, V: number, maxLength: number): void {
    if (rows > this.rows || n * maxLength > this.scores.length) this.#grow(rows, n, E, F, V, maxLength);
  }

  #grow(rows: number, n: number, E: number, F: number, V: number, maxLength: number): void {
    this.rows = rows;
    this.x = new Float32Array(rows * E);
    this.h = new Float32Array(rows * E);
    this.qkv = new Float32Array(rows * 3 * E);
    this.ctx = new Float32Array(rows * E);
    this.tmp = new Float32Array(rows * E);
    this.ff = new Float32Array(rows * F);
    this.mean = new Float32Array(rows);
    this.rstd = new Float32Array(rows);
    this.scores = new Float32Array(n * maxLength);
    this.probs = new Float32Array(n * maxLength);
    this.logits = new Float32Array(rows * V);
  }
}

const workspaces = new WeakMap<KVCache, Workspace>();

/**
 * Runs `model` on `n` new tokens per sequence (`ids [B·n]`, row-major `[B, n]`) at positions
 * `cache.length … cache.length+n−1`, appending their keys and values to `cache`, and returns the logits
 * `[B·n, V]` as a view of a scratch buffer (valid until the next call with this cache). Each new query attends over
 * the cached keys with two GEMMs per head: O((cache.length + n)·dModel) per token. No autograd, no dropout: this is
 * the inference path, checked token for token against the differentiable `CausalLM.forward`.
 */
export function forwardCached(model: CausalLM, ids: Int32Array, n: number, cache: KVCache): Float32Array {
  const backend = getBackend();
  const B = cache.batchSize;
  const R = B * n;
  const E = model.dModel;
  const V = model.vocabSize;
  const F = model.dimFeedforward;
  const pos = cache.length;
  const ws = workspaces.get(cache) ?? new Workspace();
  workspaces.set(cache, ws);
  ws.ensure(R, n, E, F, V, cache.maxLength);

  // Token embedding (scaled for sinusoidal positions, Vaswani et al. 2017 §3.4) plus the position row.
  const emb = model.token_embedding.weight.data as Float32Array;
  const table = model.positionTable();
  const scale = model.embedScale;
  let x = ws.x;
  let h = ws.h;
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < n; i++) {
      const r = (b * n + i) * E;
      const e = ids[b * n + i]! * E;
      const p = (pos + i) * E;
      for (let c = 0; c < E; c++) x[r + c] = emb[e + c]! * scale + table[p + c]!;
    }
  }

  model.layers.forEach((layer, l) => {
    const attnIn = layer.normFirst ? layerNorm(backend, layer.norm1, x, R, E, h, ws) : x;
    attentionBlock(backend, model, layer.self_attn, attnIn, l, n, pos, cache, ws);
    // ws.tmp now holds the attention output [R, E].
    if (layer.normFirst) addInto(x, ws.tmp, R * E);
    else {
      addInto(x, ws.tmp, R * E);
      layerNorm(backend, layer.norm1, x, R, E, h, ws);
      [x, h] = [h, x];
    }
    const ffIn = layer.normFirst ? layerNorm(backend, layer.norm2, x, R, E, h, ws) : x;
    linearInto(backend, ffIn, R, E, layer.linear1, F, ws.ff, layer.activation);
    linearInto(backend, ws.ff, R, F, layer.linear2, E, ws.tmp);
    addInto(x, ws.tmp, R * E);
    if (!layer.normFirst) {
      layerNorm(backend, layer.norm2, x, R, E, h, ws);
      [x, h] = [h, x];
    }
  });
  cache.advance(n);
  const out = model.norm ? layerNorm(backend, model.norm, x, R, E, h, ws) : x;
  linearInto(backend, out, R, E, model.lm_head, V, ws.logits);
  // Keep the buffers' roles stable for the next call (x and h may have been swapped an odd number of times).
  ws.x = x;
  ws.h = h;
  return ws.logits.subarray(0, R * V);
}

/** Self-attention of the new rows over the cache; writes the projected output into `ws.tmp`. */
function attentionBlock(
  backend: Backend,
  model: CausalLM,
  attn: CausalLM['layers'][number]['self_attn'],
  input: Float32Array,
  l: number,
  n: number,
  pos: number,
  cache: KVCache,
  ws: Workspace,
): void {
  const B = cache.batchSize;
  const E = model.dModel;
  const H = cache.numHeads;
  const Dh = cache.headDim;
  const maxLen = cache.maxLength;
  const W = attn.in_proj_weight!.data as Float32Array; // [3E, E]
  const bias = (attn.in_proj_bias?.data as Float32Array | undefined) ?? null;
  const qkv = ws.qkv;
  const R = B * n;
  if (bias) for (let r = 0; r < R; r++) qkv.set(bias, r * 3 * E);
  backend.gemm(false, true, R, 3 * E, E, 1, input, 0, E, W, 0, E, bias ? 1 : 0, qkv, 0, 3 * E); // [R, 3E]

  const K = cache.keys[l]!;
  const Vc = cache.values[l]!;
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < n; i++) {
      const src = (b * n + i) * 3 * E;
      for (let hd = 0; hd < H; hd++) {
        const dst = ((b * H + hd) * maxLen + pos + i) * Dh;
        K.set(qkv.subarray(src + E + hd * Dh, src + E + (hd + 1) * Dh), dst);
        Vc.set(qkv.subarray(src + 2 * E + hd * Dh, src + 2 * E + (hd + 1) * Dh), dst);
      }
    }
  }

  const L = pos + n;
  const scale = 1 / Math.sqrt(Dh);
  const { scores, probs, ctx } = ws;
  for (let b = 0; b < B; b++) {
    for (let hd = 0; hd < H; hd++) {
      const head = (b * H + hd) * maxLen * Dh;
      // scores [n, L] = q [n, Dh] · K[0:L]ᵀ, q read in place from the packed qkv rows (stride 3E).
      backend.gemm(false, true, n, L, Dh, scale, qkv, b * n * 3 * E + hd * Dh, 3 * E, K, head, Dh, 0, scores, 0, L);
      // New position pos+i may not see the new positions after it.
      for (let i = 0; i < n - 1; i++) scores.fill(Number.NEGATIVE_INFINITY, i * L + pos + i + 1, (i + 1) * L);
      backend.softmax(scores, n, L, 1, false, probs);
      // ctx rows of this head [n, Dh] = probs [n, L] · V[0:L], written straight into the [R, E] layout (stride E).
      backend.gemm(false, false, n, Dh, L, 1, probs, 0, L, Vc, head, Dh, 0, ctx, b * n * E + hd * Dh, E);
    }
  }
  linearInto(backend, ctx, R, E, attn.out_proj, E, ws.tmp);
}

/** `out [rows, N] = act(input [rows, K] · Wᵀ + b)` with the layer's weights, bias and activation in one fused GEMM. */
function linearInto(
  backend: Backend,
  input: Float32Array,
  rows: number,
  K: number,
  layer: Linear,
  N: number,
  out: Float32Array,
  activation: GemmActivation = 'none',
): void {
  const bias = (layer.bias?.data as Float32Array | undefined) ?? null;
  const W = layer.weight.data as Float32Array;
  backend.gemmBiasAct(false, true, rows, N, K, input, 0, K, W, 0, K, bias, activation, out, 0, N, null);
}

/** LayerNorm of `x [rows, E]` into `out`; returns `out`. */
function layerNorm(backend: Backend, norm: LayerNorm, x: Float32Array, rows: number, E: number, out: Float32Array, ws: Workspace): Float32Array {
  const w = (norm.weight?.data as Float32Array | undefined) ?? null;
  const b = (norm.bias?.data as Float32Array | undefined) ?? null;
  backend.layerNorm(x, w, b, rows, E, norm.eps, out, ws.mean, ws.rstd);
  return out;
}

/** `x[i] += y[i]` for the first `n` elements (the residual connections). */
function addInto(x: Float32Array, y: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) x[i]! += y[i]!;
}
