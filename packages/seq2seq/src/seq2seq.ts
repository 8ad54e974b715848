import {
  type Generator,
  Module,
  ShapeError,
  Tensor,
  ValueError,
  argmax,
  crossEntropy,
  defaultGenerator,
  fmtShape,
  indexSelect,
  logSoftmax,
  noGrad,
  reshape,
  stack,
} from '@elman/core';
import type { HiddenState, LstmState } from '@elman/cells';
import type { AttentionDecoder, DecoderState } from './attention-decoder.js';
import { type Encoder, checkIds } from './encoder.js';
import { paddingMask } from './mask.js';

/** Options of {@link Seq2Seq}. */
export interface Seq2SeqOptions {
  /** Source-side encoder. */
  encoder: Encoder;
  /** Target-side attention decoder; its encoderStateSize must equal the encoder's outputSize. */
  decoder: AttentionDecoder;
  /** Target id fed as the first decoder input. */
  startId: number;
  /** Target id that ends a sequence. */
  endId: number;
  /** Padding id of both vocabularies: padded source positions are masked, padded targets carry no loss. */
  padId: number;
  /**
   * Probability of feeding the gold previous token (teacher forcing) rather than the model's own prediction, drawn
   * once per step. Default 1. Lower it during training for scheduled sampling (see {@link inverseSigmoidDecay}).
   */
  teacherForcingRatio?: number;
  /** Random stream of the teacher-forcing draws; default: the global generator. */
  generator?: Generator;
}

/** The result of {@link Seq2Seq.forward}. */
export interface Seq2SeqOutput {
  /** Next-token logits `[B, T, V]` for every target position. */
  logits: Tensor;
  /** Attention weights `[B, T, S]` of every decoding step. */
  weights: Tensor;
}

/** Options of {@link Seq2Seq.generate}. */
export interface GenerateOptions {
  /** Most tokens to emit per example, END included (default 2·S + 10). */
  maxLength?: number;
  /** Hypotheses kept per example; 1 (default) is greedy decoding, more is beam search. */
  beamSize?: number;
  /**
   * Length normalisation exponent α of beam search: hypotheses are ranked by log P / length^α (Wu et al. 2016 use a
   * softer form; α = 0 ranks by raw log-probability, which favours short outputs). Default 1.
   */
  lengthPenalty?: number;
}

/** One decoded example. */
export interface Generation {
  /** The predicted target ids, without START and without the final END. */
  tokens: number[];
  /** Attention matrix `[Ty, Tx]`: one row per emitted token (END included), one column per valid source token. */
  attention: number[][];
  /** Σ log P of the emitted tokens (END included) divided by their number^lengthPenalty. */
  score: number;
}

/** The encoded source: memory, first decoder state, padding mask and valid lengths. */
interface Encoded {
  memory: Tensor;
  state: DecoderState;
  mask: Tensor;
  lengths: Int32Array;
}

/** A partial hypothesis of beam search. */
interface Hypothesis {
  tokens: number[];
  attention: number[][];
  logProb: number;
}

/**
 * Scheduled-sampling teacher-forcing ratio ε_i = k / (k + exp(i / k)) after i updates (Bengio et al. 2015's inverse
 * sigmoid decay, k ≥ 1): starts near 1 and falls towards 0, so the decoder gradually learns from its own outputs.
 *
 * @example
 * ```ts run
 * import { inverseSigmoidDecay } from '@elman/seq2seq';
 *
 * // Scheduled sampling: set model.teacherForcingRatio from the update count before each step.
 * console.log([0, 500, 1000, 2000].map((i) => inverseSigmoidDecay(i, 200).toFixed(2))); // ['1.00', '0.94', '0.57', '0.01']
 * ```
 */
export function inverseSigmoidDecay(step: number, k: number): number {
  if (!(k >= 1)) throw new ValueError(`inverseSigmoidDecay: k must be ≥ 1, got ${k}`);
  if (!(step >= 0)) throw new ValueError(`inverseSigmoidDecay: step must be ≥ 0, got ${step}`);
  return k / (k + Math.exp(step / k));
}

/**
 * Encoder–decoder with attention (Sutskever et al. 2014; Bahdanau et al. 2015; Luong et al. 2015). Targets passed to
 * {@link Seq2Seq.forward} and {@link Seq2Seq.loss} are `[B, T]` without START, ending in END and right-padded with
 * PAD; START is prepended as the first decoder input. The loss is the cross-entropy over non-PAD targets.
 *
 * @example
 * ```ts run
 * import { Adam, Embedding, tensor } from '@elman/core';
 * import { AttentionDecoder, Encoder, LuongAttention, Seq2Seq } from '@elman/seq2seq';
 * import { lstm } from '@elman/wrappers';
 *
 * const [PAD, START, END, V] = [0, 1, 2, 12];
 * const encoder = new Encoder({ embedding: new Embedding(V, 16, { paddingIdx: PAD }), rnn: lstm({ inputSize: 16, hiddenSize: 24 }) });
 * const decoder = new AttentionDecoder({
 *   embedding: new Embedding(V, 16, { paddingIdx: PAD }),
 *   hiddenSize: 24,
 *   attention: new LuongAttention({ querySize: 24, keySize: 24, score: 'general' }),
 *   encoderStateSize: 24,
 *   encoderIsLstm: true,
 * });
 * const model = new Seq2Seq({ encoder, decoder, startId: START, endId: END, padId: PAD, teacherForcingRatio: 1 });
 * const src = tensor([[5, 6, 7], [8, 9, PAD]], undefined, { dtype: 'int32' }); // [B, S]
 * const tgt = tensor([[7, 6, 5, END], [9, 8, END, PAD]], undefined, { dtype: 'int32' }); // [B, T]: reversed
 * const opt = new Adam(model.parameters(), { lr: 0.02 });
 * for (let step = 0; step < 40; step++) {
 *   opt.zeroGrad();
 *   model.loss(src, tgt).backward(); // masked cross-entropy over the non-PAD targets
 *   opt.step();
 * }
 * model.eval();
 * const [first] = model.generate(src, { maxLength: 6, beamSize: 3 }); // {tokens, attention [Ty][Tx], score}
 * console.log(first?.tokens, first?.attention.length);
 * ```
 */
export class Seq2Seq extends Module {
  /** The encoder. */
  encoder: Encoder;
  /** The attention decoder. */
  decoder: AttentionDecoder;
  /** START id. */
  readonly startId: number;
  /** END id. */
  readonly endId: number;
  /** PAD id. */
  readonly padId: number;
  /** Current teacher-forcing probability in [0, 1]; change it between updates for scheduled sampling. */
  teacherForcingRatio: number;
  readonly #generator: Generator;

  /** Checks the special ids and that encoder and decoder fit together. */
  constructor(options: Seq2SeqOptions) {
    super();
    if (typeof options !== 'object' || options === null) throw new ValueError('Seq2Seq: options must be an object');
    const { encoder, decoder } = options;
    if (decoder.encoderStateSize !== encoder.outputSize || decoder.attention.keySize !== encoder.outputSize) {
      throw new ShapeError(
        `Seq2Seq: decoder expects encoder state ${decoder.encoderStateSize} and keys ${decoder.attention.keySize}, encoder gives ${encoder.outputSize}`,
      );
    }
    if (decoder.encoderIsLstm !== encoder.isLstm) {
      throw new ValueError(`Seq2Seq: decoder was built with encoderIsLstm ${decoder.encoderIsLstm} but the encoder ${encoder.isLstm ? 'is' : 'is not'} an LSTM`);
    }
    const V = decoder.vocabSize;
    for (const [name, id] of [['startId', options.startId], ['endId', options.endId], ['padId', options.padId]] as const) {
      if (!(Number.isInteger(id) && id >= 0 && id < V)) throw new ValueError(`Seq2Seq: ${name} ${id} is not a target id in [0, ${V})`);
    }
    if (options.padId >= encoder.vocabSize) throw new ValueError(`Seq2Seq: padId ${options.padId} is not a source id in [0, ${encoder.vocabSize})`);
    this.encoder = encoder;
    this.decoder = decoder;
    this.startId = options.startId;
    this.endId = options.endId;
    this.padId = options.padId;
    this.teacherForcingRatio = options.teacherForcingRatio ?? 1;
    this.#generator = options.generator ?? defaultGenerator;
  }

  #encode(src: Tensor): Encoded {
    checkIds('Seq2Seq', 'src', src, this.encoder.vocabSize);
    const { mask, lengths } = paddingMask(src, this.padId);
    for (let b = 0; b < lengths.length; b++) {
      if (lengths[b] === 0) throw new ValueError(`Seq2Seq: source sequence ${b} is empty (only PAD ids)`);
    }
    this.encoder.train(this.training);
    const enc = this.encoder.forward(src, lengths);
    return { memory: enc.memory, state: this.decoder.initialState(enc.state), mask, lengths };
  }

  /** Decodes every target position; teacher-forced with probability {@link Seq2Seq.teacherForcingRatio} per step. */
  forward(src: Tensor, tgt: Tensor): Seq2SeqOutput {
    checkIds('Seq2Seq', 'tgt', tgt, this.decoder.vocabSize);
    if (tgt.shape[0] !== src.shape[0]) {
      throw new ShapeError(`Seq2Seq: src ${fmtShape(src.shape)} and tgt ${fmtShape(tgt.shape)} differ in batch size`);
    }
    const ratio = this.teacherForcingRatio;
    if (!(ratio >= 0 && ratio <= 1)) throw new ValueError(`Seq2Seq: teacherForcingRatio must be in [0, 1], got ${ratio}`);
    const { memory, state: init, mask } = this.#encode(src);
    const [B, T] = tgt.shape as [number, number];
    const gold = tgt.data as Int32Array;
    this.decoder.train(this.training);
    const prev = new Int32Array(B).fill(this.startId);
    let state = init;
    const logits: Tensor[] = [];
    const weights: Tensor[] = [];
    for (let t = 0; t < T; t++) {
      const r = this.decoder.step(new Tensor(prev.slice(), [B]), state, memory, mask);
      logits.push(r.logits); // [B, V]
      weights.push(r.weights); // [B, S]
      state = r.state;
      if (t + 1 === T) break;
      // Teacher forcing feeds the gold token; otherwise the model's own greedy choice (Bengio et al. 2015).
      const forced = ratio >= 1 || (ratio > 0 && this.#generator.uniform() < ratio);
      if (forced) for (let b = 0; b < B; b++) prev[b] = gold[b * T + t]!;
      else prev.set(argmax(r.logits.detach(), -1).data as Int32Array);
    }
    return { logits: stack(logits, 1), weights: stack(weights, 1) }; // [B, T, V], [B, T, S]
  }

  /** Mean cross-entropy over the non-PAD target tokens. */
  loss(src: Tensor, tgt: Tensor): Tensor {
    const { logits } = this.forward(src, tgt);
    const [B, T, V] = logits.shape as [number, number, number];
    return crossEntropy(reshape(logits, [B * T, V]), reshape(tgt, [B * T]), { ignoreIndex: this.padId });
  }

  /**
   * Decodes `src` `[B, S]` without gradient: greedily (`beamSize` 1) or by beam search, each example stopping at END
   * or after `maxLength` tokens.
   */
  generate(src: Tensor, options: GenerateOptions = {}): Generation[] {
    const beamSize = options.beamSize ?? 1;
    const alpha = options.lengthPenalty ?? 1;
    if (!(Number.isInteger(beamSize) && beamSize >= 1)) throw new ValueError(`Seq2Seq.generate: beamSize must be a positive integer, got ${beamSize}`);
    if (!(alpha >= 0)) throw new ValueError(`Seq2Seq.generate: lengthPenalty must be ≥ 0, got ${alpha}`);
    return noGrad(() => {
      const enc = this.#encode(src);
      const maxLength = options.maxLength ?? 2 * src.shape[1]! + 10;
      if (!(Number.isInteger(maxLength) && maxLength >= 1)) throw new ValueError(`Seq2Seq.generate: maxLength must be a positive integer, got ${maxLength}`);
      if (beamSize === 1) return this.#greedy(enc, maxLength, alpha);
      const out: Generation[] = [];
      for (let b = 0; b < src.shape[0]!; b++) out.push(this.#beam(enc, b, beamSize, maxLength, alpha));
      return out;
    });
  }

  /** Greedy decoding of the whole batch at once: the most likely token at every step. */
  #greedy(enc: Encoded, maxLength: number, alpha: number): Generation[] {
    const { memory, mask, lengths } = enc;
    const [B, S] = mask.shape as [number, number];
    const out: (Generation & { logProb: number })[] = [];
    for (let b = 0; b < B; b++) out.push({ tokens: [], attention: [], score: 0, logProb: 0 });
    const done = new Uint8Array(B);
    let remaining = B;
    let prev = new Tensor(new Int32Array(B).fill(this.startId), [B]);
    let state = enc.state;
    for (let t = 0; t < maxLength && remaining > 0; t++) {
      const r = this.decoder.step(prev, state, memory, mask);
      state = r.state;
      prev = argmax(r.logits, -1); // [B]
      const logp = logSoftmax(r.logits, -1).data as Float32Array; // [B, V]
      const V = r.logits.shape[1]!;
      const ids = prev.data as Int32Array;
      const w = r.weights.data as Float32Array; // [B, S]
      for (let b = 0; b < B; b++) {
        if (done[b]) continue;
        const g = out[b]!;
        g.attention.push(Array.from(w.subarray(b * S, b * S + lengths[b]!)));
        g.logProb += logp[b * V + ids[b]!]!;
        if (ids[b] === this.endId) {
          done[b] = 1;
          remaining--;
        } else {
          g.tokens.push(ids[b]!);
        }
      }
    }
    return out.map((g) => ({ tokens: g.tokens, attention: g.attention, score: g.logProb / g.attention.length ** alpha }));
  }

  /** Beam search for example `b`: keeps the K best prefixes, moves those ending in END aside. */
  #beam(enc: Encoded, b: number, K: number, maxLength: number, alpha: number): Generation {
    const len = enc.lengths[b]!;
    const S = enc.memory.shape[1]!;
    const rows = (t: Tensor, k: number): Tensor => indexSelect(t, 0, new Array<number>(k).fill(b));
    const memory = rows(enc.memory, K); // [K, S, C]
    const mask = rows(enc.mask, K); // [K, S]
    let state = mapState(enc.state, (t) => rows(t, K)); // each [K, H]
    let live: Hypothesis[] = [{ tokens: [], attention: [], logProb: 0 }];
    const finished: Generation[] = [];
    const norm = (h: Hypothesis, n: number): number => h.logProb / n ** alpha;
    const prev = new Int32Array(K).fill(this.startId);
    for (let t = 0; t < maxLength && live.length > 0 && finished.length < K; t++) {
      const r = this.decoder.step(new Tensor(prev.slice(), [K]), state, memory, mask);
      const logp = logSoftmax(r.logits, -1).data as Float32Array; // [K, V]
      const w = r.weights.data as Float32Array; // [K, S]
      const V = r.logits.shape[1]!;
      // Every extension of every live prefix, best first; the first K that do not end are the next beam.
      const cands: { k: number; v: number; logProb: number }[] = [];
      for (let k = 0; k < live.length; k++) {
        for (let v = 0; v < V; v++) cands.push({ k, v, logProb: live[k]!.logProb + logp[k * V + v]! });
      }
      cands.sort((x, y) => y.logProb - x.logProb);
      const next: Hypothesis[] = [];
      const parents: number[] = [];
      for (const c of cands) {
        if (next.length >= K || finished.length >= K) break;
        const parent = live[c.k]!;
        const attention = [...parent.attention, Array.from(w.subarray(c.k * S, c.k * S + len))];
        const hyp = { tokens: c.v === this.endId ? parent.tokens : [...parent.tokens, c.v], attention, logProb: c.logProb };
        if (c.v === this.endId) {
          finished.push({ tokens: hyp.tokens, attention, score: norm(hyp, attention.length) });
        } else {
          next.push(hyp);
          parents.push(c.k);
          prev[next.length - 1] = c.v;
        }
      }
      live = next;
      // Beam rows past the live ones repeat row 0: they keep the batch size fixed and are never read.
      const index = Array.from({ length: K }, (_, i) => parents[i] ?? parents[0] ?? 0);
      state = mapState(r.state, (x) => indexSelect(x, 0, index));
    }
    // Hypotheses cut by maxLength compete too, scored over what they emitted.
    for (const h of live) finished.push({ tokens: h.tokens, attention: h.attention, score: norm(h, Math.max(1, h.attention.length)) });
    finished.sort((x, y) => y.score - x.score);
    return finished[0]!;
  }
}

/** Applies `fn` to every tensor of a decoder state. */
function mapState(s: DecoderState, fn: (t: Tensor) => Tensor): DecoderState {
  const cell: HiddenState = { h: fn(s.cell.h) };
  const c = (s.cell as Partial<LstmState>).c;
  if (c !== undefined) (cell as LstmState).c = fn(c);
  return { cell, feed: fn(s.feed) };
}
