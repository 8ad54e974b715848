import { Adam, Generator, Tensor, clipGradNorm, crossEntropy, noGrad, reshape } from '@elman/core';
import { CharTokenizer, Vocabulary } from '@elman/text';
import { CausalLM } from '@elman/transformer';
import type { TextSample, TrainConfig } from '../protocol.js';
import { CharRnn } from './char-rnn.js';

/** Training window T, and the transformer's context: generated text (prompt included) is this long. */
export const CONTEXT = 64;

/** The prompt the samples continue (Moby Dick's first words). */
export const PROMPT = 'Call me ';

/** Length of an RNN's samples, prompt included: its state carries any distance, unlike the transformer's context. */
export const RNN_SAMPLE_LENGTH = 200;

/** Held-out windows used for the bits-per-character figure. */
const EVAL_WINDOWS = 16;

/**
 * Character-level language model on the Moby Dick excerpt, trained on random 64-character windows with the last 10 %
 * of the text held out: a char-RNN (`cell` lstm or gru, `hiddenSize` units) or a small GPT-style {@link CausalLM}
 * (`cell` transformer: 2 pre-norm layers, 4 heads, dModel = `hiddenSize`, learned positions).
 */
export class CharLmTask {
  /** The network. */
  readonly model: CharRnn | CausalLM;
  /** Character ↔ id table, built from the excerpt (no specials: every character of the text is known). */
  readonly vocab: Vocabulary;
  readonly #config: TrainConfig;
  readonly #ids: Int32Array;
  /** First id of the held-out part. */
  readonly #testStart: number;
  readonly #optimizer: Adam;
  readonly #generator: Generator;
  /** Reused `[B, T]` input and target buffers. */
  readonly #x: Int32Array;
  readonly #y: Int32Array;
  #samples = 0;

  /** Tokenises the text and builds the model; a transformer's width must be a multiple of its 4 heads. */
  constructor(config: TrainConfig, text: string) {
    if (config.cell === 'transformer' && config.hiddenSize % 4 !== 0) {
      throw new Error(`char LM: hidden size (dModel) must be a multiple of 4 heads, got ${config.hiddenSize}`);
    }
    const chars = new CharTokenizer().tokenize(text);
    this.vocab = Vocabulary.build([chars], { specials: [] });
    this.#ids = Int32Array.from(this.vocab.encode(chars));
    this.#testStart = Math.floor(this.#ids.length * 0.9);
    if (this.#testStart < 4 * CONTEXT) throw new Error(`char LM: text of ${text.length} characters is too short`);
    this.#config = config;
    this.#generator = new Generator(config.seed);
    const V = this.vocab.size;
    this.model =
      config.cell === 'transformer'
        ? new CausalLM({ vocabSize: V, dModel: config.hiddenSize, nhead: 4, numLayers: 2, maxLength: CONTEXT, dropout: 0, generator: this.#generator })
        : new CharRnn(config.cell, V, config.hiddenSize, this.#generator);
    this.#optimizer = new Adam(this.model.parameters(), { lr: config.learningRate });
    this.#x = new Int32Array(config.batchSize * CONTEXT);
    this.#y = new Int32Array(config.batchSize * CONTEXT);
  }

  /** Mean next-character cross-entropy (nats) of `[B, T]` inputs against their one-step-shifted targets. */
  #loss(x: Int32Array, y: Int32Array, B: number): Tensor {
    const ids = new Tensor(x, [B, CONTEXT]);
    const logits = this.model instanceof CausalLM ? this.model.forward(ids) : this.model.forward(ids).logits; // [B, T, V]
    return crossEntropy(reshape(logits, [B * CONTEXT, this.vocab.size]), new Tensor(y, [B * CONTEXT]));
  }

  /** One Adam step on `batchSize` random training windows (gradient norm clipped at 1). */
  step(): number {
    const B = this.#config.batchSize;
    for (let b = 0; b < B; b++) {
      const s = this.#generator.randint(this.#testStart - CONTEXT - 1);
      this.#x.set(this.#ids.subarray(s, s + CONTEXT), b * CONTEXT);
      this.#y.set(this.#ids.subarray(s + 1, s + CONTEXT + 1), b * CONTEXT);
    }
    this.model.train();
    const loss = this.#loss(this.#x, this.#y, B);
    this.#optimizer.zeroGrad();
    loss.backward();
    clipGradNorm(this.model.parameters(), 1);
    this.#optimizer.step();
    return loss.item();
  }

  /** Held-out bits per character, and a continuation of {@link PROMPT} sampled at the configured temperature. */
  sample(): TextSample {
    this.model.eval();
    const n = EVAL_WINDOWS;
    const x = new Int32Array(n * CONTEXT);
    const y = new Int32Array(n * CONTEXT);
    const stride = Math.floor((this.#ids.length - this.#testStart - CONTEXT - 1) / n);
    for (let i = 0; i < n; i++) {
      const s = this.#testStart + i * stride;
      x.set(this.#ids.subarray(s, s + CONTEXT), i * CONTEXT);
      y.set(this.#ids.subarray(s + 1, s + CONTEXT + 1), i * CONTEXT);
    }
    const nats = noGrad(() => this.#loss(x, y, n).item());
    const prompt = this.vocab.encode(new CharTokenizer().tokenize(PROMPT));
    const count = (this.model instanceof CausalLM ? CONTEXT : RNN_SAMPLE_LENGTH) - prompt.length;
    const seed = this.#config.seed + this.#samples++;
    const { temperature } = this.#config;
    const ids =
      this.model instanceof CausalLM
        ? (this.model.generate([prompt], { maxNewTokens: count, temperature, seed }).data as Int32Array)
        : this.model.generate(prompt, count, temperature, new Generator(seed));
    return { kind: 'text', prompt: PROMPT, text: this.vocab.decode(ids).join(''), bitsPerChar: nats / Math.LN2 };
  }

  /** Model configuration and the character table, so the weights can be reloaded and decoded. */
  metadata(): Record<string, string> {
    const base = { task: 'charlm', vocab: JSON.stringify(this.vocab), context: String(CONTEXT) };
    if (this.#config.cell === 'transformer') {
      return { ...base, model: 'CausalLM', d_model: String(this.#config.hiddenSize), nhead: '4', num_layers: '2', max_length: String(CONTEXT) };
    }
    return { ...base, model: 'CharRnn', cell: this.#config.cell, hidden_size: String(this.#config.hiddenSize), embedding_dim: '32' };
  }
}
