import {
  DTypeError,
  Dropout,
  Embedding,
  Generator,
  LayerNorm,
  Linear,
  Module,
  ShapeError,
  Tensor,
  ValueError,
  defaultGenerator,
  fmtShape,
  noGrad,
  normal_,
} from '@elman/core';
import type { TransformerActivation } from './activation.js';
import { forwardCached } from './cached-forward.js';
import { KVCache } from './kv-cache.js';
import { LearnedPositionalEncoding } from './learned-positional-encoding.js';
import type { AttentionMask } from './masks.js';
import { type SamplingOptions, checkSampling, sampleToken } from './sampling.js';
import { SinusoidalPositionalEncoding } from './sinusoidal-positional-encoding.js';
import { TransformerEncoderLayer } from './transformer-encoder-layer.js';

/** Options of {@link CausalLM}. */
export interface CausalLMOptions {
  /** Number of token ids (ids are 0 … vocabSize−1). */
  vocabSize: number;
  /** Model size. */
  dModel: number;
  /** Attention heads; must divide `dModel`. */
  nhead: number;
  /** Transformer layers (at least 1). */
  numLayers: number;
  /** Feed-forward hidden size. Default 4·dModel. */
  dimFeedforward?: number;
  /** Longest sequence the model (and its KV cache) handles. */
  maxLength: number;
  /** Dropout probability (embeddings, attention weights, sublayer outputs). Default 0.1. */
  dropout?: number;
  /** Position information: a learned table (GPT) or the fixed sinusoids (Vaswani et al. 2017). Default 'learned'. */
  positional?: 'sinusoidal' | 'learned';
  /** Share the output projection with the token embedding (Press & Wolf 2017). Default false. */
  tieWeights?: boolean;
  /** Pre-norm layers plus a final LayerNorm (GPT-2), or post-norm layers. Default true. */
  normFirst?: boolean;
  /** Feed-forward activation. Default 'gelu'. */
  activation?: TransformerActivation;
  /** LayerNorm epsilon. Default 1e-5. */
  layerNormEps?: number;
  /** Random stream for the initial weights and the dropout masks; default: the global generator. */
  generator?: Generator;
}

/** Options of {@link CausalLM.forward}. */
export interface CausalLMForwardOptions {
  /** `[B, T]` padded positions (right padding); see {@link AttentionMask}. */
  keyPaddingMask?: AttentionMask | null;
}

/** Options of {@link CausalLM.generate}. */
export interface GenerateOptions extends SamplingOptions {
  /** Tokens to append to each prompt. */
  maxNewTokens: number;
  /** Seed of a fresh generator for the draws (ignored when the temperature is 0). */
  seed?: number;
  /** Generator for the draws when no `seed` is given; default: the global generator. */
  generator?: Generator;
  /**
   * Decode with a {@link KVCache} (default true). `false` re-runs the whole sequence for every new token; it gives
   * the same tokens, slower, and exists to check the cache and to measure what it saves.
   */
  useCache?: boolean;
}

/** A prompt: token ids as an int32 tensor `[P]` or `[B, P]`, an array, or equal-length arrays (a batch). */
export type Prompt = Tensor | readonly number[] | readonly (readonly number[])[];

/**
 * A decoder-only transformer language model (GPT: Radford et al. 2018, 2019): token embedding plus positions,
 * `numLayers` causally masked {@link TransformerEncoderLayer}s, an optional final LayerNorm and a linear head over
 * the vocabulary. State-dict keys `token_embedding.weight`, `position_embedding.weight` (learned positions only),
 * `layers.N.self_attn.in_proj_weight`, …, `norm.*` (pre-norm only), `lm_head.weight` (also present, shared, when tied).
 * Token and learned position tables start from N(0, 0.02²); with sinusoidal positions the token embeddings are
 * scaled by √dModel before the positions are added (Vaswani et al. 2017 §3.4).
 *
 * @example
 * ```ts run
 * import { Adam, Tensor, crossEntropy } from '@elman/core';
 * import { CausalLM } from '@elman/transformer';
 *
 * const lm = new CausalLM({ vocabSize: 8, dModel: 32, nhead: 4, numLayers: 1, maxLength: 16, dropout: 0 });
 * const opt = new Adam(lm.parameters(), { lr: 1e-2 });
 * const rows = Array.from({ length: 8 }, (_, b) => Array.from({ length: 13 }, (_, i) => (b + i) % 8)); // 0 1 2 … 7 0 1 …
 * const inputs = new Tensor(Int32Array.from(rows.flatMap((r) => r.slice(0, 12))), [8, 12]); // [B, T]
 * const targets = new Tensor(Int32Array.from(rows.flatMap((r) => r.slice(1))), [8, 12]); // the next tokens
 * for (let step = 0; step < 30; step++) {
 *   opt.zeroGrad();
 *   crossEntropy(lm.forward(inputs), targets, { axis: -1 }).backward(); // logits [8, 12, 8]
 *   opt.step();
 * }
 * lm.eval();
 * const greedy = lm.generate([3, 4], { maxNewTokens: 6, temperature: 0 }); // KV-cached decoding
 * const sampled = lm.generate([[3, 4], [6, 7]], { maxNewTokens: 6, temperature: 0.8, topK: 3, seed: 1 }); // [2, 8]
 * console.log(Array.from(greedy.data), sampled.shape); // likely [3, 4, 5, 6, 7, 0, 1, 2]
 * ```
 */
export class CausalLM extends Module {
  /** Vocabulary size. */
  readonly vocabSize: number;
  /** Model size. */
  readonly dModel: number;
  /** Attention heads. */
  readonly nhead: number;
  /** Layers. */
  readonly numLayers: number;
  /** Feed-forward hidden size. */
  readonly dimFeedforward: number;
  /** Longest sequence. */
  readonly maxLength: number;
  /** Kind of position information. */
  readonly positional: 'sinusoidal' | 'learned';
  /** Factor applied to the token embeddings: √dModel with sinusoidal positions, 1 with learned ones. */
  readonly embedScale: number;
  /** Token table `[vocabSize, dModel]`. */
  token_embedding: Embedding;
  /** Position table (learned, with `weight [maxLength, dModel]`, or the fixed sinusoids). */
  position_embedding: LearnedPositionalEncoding | SinusoidalPositionalEncoding;
  /** Dropout on the embedded input. */
  dropout: Dropout;
  /** The causally masked layers. */
  layers: TransformerEncoderLayer[];
  /** Final LayerNorm (pre-norm models), or null. */
  norm: LayerNorm | null;
  /** Output projection `dModel → vocabSize`, no bias. */
  lm_head: Linear;

  /** Creates the model. */
  constructor(options: CausalLMOptions) {
    super();
    const op = 'CausalLM';
    const { vocabSize, dModel, nhead, numLayers, maxLength } = options;
    for (const [name, v] of [['vocabSize', vocabSize], ['numLayers', numLayers], ['maxLength', maxLength]] as const) {
      if (!(Number.isInteger(v) && v > 0)) throw new ValueError(`${op}: ${name} must be a positive integer, got ${v}`);
    }
    const positional = options.positional ?? 'learned';
    if (positional !== 'learned' && positional !== 'sinusoidal') {
      throw new ValueError(`${op}: positional must be 'learned' or 'sinusoidal', got '${String(positional)}'`);
    }
    const gen = { generator: options.generator };
    const dropout = options.dropout ?? 0.1;
    const normFirst = options.normFirst ?? true;
    const layerOptions = {
      dModel,
      nhead,
      dimFeedforward: options.dimFeedforward ?? 4 * dModel,
      dropout,
      activation: options.activation ?? 'gelu',
      normFirst,
      layerNormEps: options.layerNormEps ?? 1e-5,
      ...gen,
    };
    // Built first so that dModel, nhead, dimFeedforward and dropout are checked with clear messages.
    const layers = Array.from({ length: numLayers }, () => new TransformerEncoderLayer(layerOptions));
    this.vocabSize = vocabSize;
    this.dModel = dModel;
    this.nhead = nhead;
    this.numLayers = numLayers;
    this.dimFeedforward = layerOptions.dimFeedforward;
    this.maxLength = maxLength;
    this.positional = positional;
    this.embedScale = positional === 'sinusoidal' ? Math.sqrt(dModel) : 1;
    this.token_embedding = new Embedding(vocabSize, dModel, gen);
    normal_(this.token_embedding.weight, 0, 0.02, gen);
    this.position_embedding =
      positional === 'learned'
        ? new LearnedPositionalEncoding({ dModel, maxLength, ...gen })
        : new SinusoidalPositionalEncoding({ dModel, maxLength });
    this.dropout = new Dropout(dropout, gen);
    this.layers = layers;
    this.norm = normFirst ? new LayerNorm(dModel, { eps: layerOptions.layerNormEps }) : null;
    this.lm_head = new Linear(dModel, vocabSize, { bias: false, ...gen });
    if (options.tieWeights) this.lm_head.weight = this.token_embedding.weight;
  }

  /** The `[maxLength, dModel]` position table's data (the learned weights or the sinusoid buffer). */
  positionTable(): Float32Array {
    const pe = this.position_embedding;
    return (pe instanceof LearnedPositionalEncoding ? pe.weight.data : pe.pe.data) as Float32Array;
  }

  /** int32 `ids [B, T]` (T ≤ maxLength) → next-token logits `[B, T, vocabSize]`; position t sees ids 0 … t. */
  forward(ids: Tensor, options: CausalLMForwardOptions = {}): Tensor {
    this.#checkIds('CausalLM', ids, 0);
    let x = this.token_embedding.forward(ids); // [B, T, E]
    if (this.embedScale !== 1) x = x.mul(this.embedScale);
    x = this.dropout.forward(this.position_embedding.forward(x, 0));
    for (const layer of this.layers) x = layer.forward(x, { isCausal: true, srcKeyPaddingMask: options.keyPaddingMask });
    if (this.norm) x = this.norm.forward(x);
    return this.lm_head.forward(x); // [B, T, V]
  }

  /** An empty {@link KVCache} for decoding `batchSize` sequences with this model. */
  createCache(batchSize: number): KVCache {
    return new KVCache({
      batchSize,
      numLayers: this.numLayers,
      numHeads: this.nhead,
      headDim: this.dModel / this.nhead,
      maxLength: this.maxLength,
    });
  }

  /**
   * Inference on `n` new tokens per sequence, `ids [B, n]`, continuing the sequences whose keys and values `cache`
   * holds (positions `cache.length …`): appends the new keys and values and returns their logits `[B, n, vocabSize]`.
   * Call it with the prompt first, then with one token at a time. No gradients, no dropout.
   *
   * @example
   * ```ts run
   * import { tensor } from '@elman/core';
   * import { CausalLM } from '@elman/transformer';
   *
   * const lm = new CausalLM({ vocabSize: 10, dModel: 16, nhead: 2, numLayers: 1, maxLength: 32 }).eval();
   * const cache = lm.createCache(1); // keys and values of every layer, for a batch of 1
   * let logits = lm.forwardWithCache(tensor([[1, 2, 3]], undefined, { dtype: 'int32' }), cache); // the prompt: [1, 3, 10]
   * const next = logits.select(1, 2).argmax(-1); // [1]: the most likely 4th token
   * logits = lm.forwardWithCache(next.reshape([1, 1]), cache); // one more token, attending to the cached 3: [1, 1, 10]
   * console.log(cache.length); // 4
   * ```
   */
  forwardWithCache(ids: Tensor, cache: KVCache): Tensor {
    const op = 'CausalLM.forwardWithCache';
    const dims = [cache.numLayers, cache.numHeads, cache.headDim, cache.maxLength];
    const mine = [this.numLayers, this.nhead, this.dModel / this.nhead, this.maxLength];
    if (dims.some((d, i) => d !== mine[i])) {
      throw new ValueError(
        `${op}: cache [layers, heads, headDim, maxLength] ${fmtShape(dims)} was not made for this model ${fmtShape(mine)}; use createCache()`,
      );
    }
    this.#checkIds(op, ids, cache.length);
    if (ids.shape[0] !== cache.batchSize) {
      throw new ShapeError(`${op}: ids ${fmtShape(ids.shape)} has batch ${ids.shape[0]} but the cache holds ${cache.batchSize} sequences`);
    }
    const n = ids.shape[1]!;
    const logits = forwardCached(this, ids.data as Int32Array, n, cache);
    return new Tensor(logits.slice(), [cache.batchSize, n, this.vocabSize]);
  }

  /**
   * Continues each prompt by `maxNewTokens` tokens, sampled with `temperature` / `topK` (greedy at temperature 0),
   * and returns prompt plus continuation as int32 `[B, P + maxNewTokens]`. With the default KV cache each new token
   * costs O(T) (its own projections plus one attention row over the cache) instead of a full O(T²) forward pass.
   * Runs without gradients and without dropout; the same `seed` gives the same tokens with or without the cache.
   */
  generate(prompt: Prompt, options: GenerateOptions): Tensor {
    const op = 'CausalLM.generate';
    const ids = promptIds(op, prompt);
    const [B, P] = ids.shape as [number, number];
    const N = options.maxNewTokens;
    if (!(Number.isInteger(N) && N >= 0)) throw new ValueError(`${op}: maxNewTokens must be a non-negative integer, got ${N}`);
    if (P + N > this.maxLength) {
      throw new ValueError(`${op}: prompt length ${P} + maxNewTokens ${N} exceeds maxLength ${this.maxLength}`);
    }
    this.#checkIds(op, ids, 0);
    checkSampling(op, options, this.vocabSize);
    const gen = options.seed !== undefined ? new Generator(options.seed) : (options.generator ?? defaultGenerator);
    const V = this.vocabSize;
    const total = P + N;
    const out = new Int32Array(B * total);
    const src = ids.data as Int32Array;
    for (let b = 0; b < B; b++) out.set(src.subarray(b * P, (b + 1) * P), b * total);
    const scratch = new Float32Array(V);
    const emit = (logits: Float32Array, rowsPerSeq: number, t: number): void => {
      for (let b = 0; b < B; b++) {
        out[b * total + P + t] = sampleToken(logits, (b * rowsPerSeq + rowsPerSeq - 1) * V, V, options, gen, scratch);
      }
    };
    if (N === 0) return new Tensor(out, [B, total]);
    if (options.useCache ?? true) {
      const cache = this.createCache(B);
      const next = new Int32Array(B);
      emit(forwardCached(this, src, P, cache), P, 0);
      for (let t = 1; t < N; t++) {
        for (let b = 0; b < B; b++) next[b] = out[b * total + P + t - 1]!;
        emit(forwardCached(this, next, 1, cache), 1, t);
      }
    } else {
      this.#inEvalMode(() =>
        noGrad(() => {
          for (let t = 0; t < N; t++) {
            const T = P + t;
            const prefix = new Int32Array(B * T);
            for (let b = 0; b < B; b++) prefix.set(out.subarray(b * total, b * total + T), b * T);
            emit(this.forward(new Tensor(prefix, [B, T])).data as Float32Array, T, t);
          }
        }),
      );
    }
    return new Tensor(out, [B, total]);
  }

  /** Runs `fn` with every module in eval mode, then restores each module's own mode. */
  #inEvalMode(fn: () => void): void {
    const modes = this.modules().map((m) => [m, m.training] as const);
    this.eval();
    try {
      fn();
    } finally {
      for (const [m, mode] of modes) m.training = mode;
    }
  }

  /** Checks int32 `[B, n]` ids with 1 ≤ n and `start + n` ≤ maxLength, every id in the vocabulary. */
  #checkIds(op: string, ids: Tensor, start: number): void {
    if (ids.dtype !== 'int32') throw new DTypeError(`${op}: ids must be int32 token ids, got ${ids.dtype} ${fmtShape(ids.shape)}`);
    if (ids.rank !== 2) throw new ShapeError(`${op}: ids must be [B, T], got ${fmtShape(ids.shape)}`);
    const n = ids.shape[1]!;
    if (n === 0 || ids.shape[0] === 0) throw new ValueError(`${op}: empty sequence: ids ${fmtShape(ids.shape)}`);
    if (start + n > this.maxLength) {
      throw new ValueError(`${op}: positions ${start}…${start + n - 1} exceed maxLength ${this.maxLength} (ids ${fmtShape(ids.shape)})`);
    }
    const d = ids.data as Int32Array;
    for (let i = 0; i < d.length; i++) {
      const v = d[i]!;
      if (v < 0 || v >= this.vocabSize) {
        const at = [Math.floor(i / n), i % n];
        throw new ValueError(`${op}: token id ${v} at ${fmtShape(at)} is out of range for vocabSize ${this.vocabSize}`);
      }
    }
  }
}

/** A prompt as int32 `[B, P]`. */
function promptIds(op: string, prompt: Prompt): Tensor {
  if (prompt instanceof Tensor) {
    if (prompt.rank === 1) return new Tensor(prompt.data, [1, prompt.shape[0]!]);
    return prompt;
  }
  const rows: readonly (readonly number[])[] =
    prompt.length > 0 && Array.isArray(prompt[0]) ? (prompt as readonly (readonly number[])[]) : [prompt as readonly number[]];
  const P = rows[0]?.length ?? 0;
  const data = new Int32Array(rows.length * P);
  rows.forEach((row, b) => {
    if (!Array.isArray(row) || row.length !== P) throw new ShapeError(`${op}: prompts must all have length ${P}; prompt ${b} differs`);
    row.forEach((v, i) => {
      if (!Number.isInteger(v)) throw new ValueError(`${op}: token ids must be integers, got ${v} in prompt ${b}`);
      data[b * P + i] = v;
    });
  });
  return new Tensor(data, [rows.length, P]);
}
