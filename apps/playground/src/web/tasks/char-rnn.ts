import { Embedding, type Generator, Linear, Module, Tensor, noGrad, softmax } from '@elman/core';
import { GRU, type HiddenState, LSTM, type LstmState } from '@elman/cells';
import type { RecurrentKind } from '../protocol.js';

/** Width of the character embedding. */
const EMBED = 32;

/**
 * Character-level recurrent language model (Karpathy's char-rnn, after Graves 2013): embedding → LSTM/GRU → linear
 * head over the characters. State dict: `embedding.weight`, `rnn.weight_ih_l0` …, `head.weight`, `head.bias`.
 */
export class CharRnn extends Module {
  /** Character embedding `[V, 32]`. */
  embedding: Embedding;
  /** The recurrence. */
  rnn: LSTM | GRU;
  /** Hidden state → next-character logits. */
  head: Linear;
  /** Vocabulary size V. */
  readonly vocabSize: number;

  /** A model over `vocabSize` characters with `hiddenSize` recurrent units. */
  constructor(cell: RecurrentKind, vocabSize: number, hiddenSize: number, generator: Generator) {
    super();
    this.vocabSize = vocabSize;
    this.embedding = new Embedding(vocabSize, EMBED, { generator });
    const options = { inputSize: EMBED, hiddenSize, generator };
    this.rnn = cell === 'lstm' ? new LSTM(options) : new GRU(options);
    this.head = new Linear(hiddenSize, vocabSize, { generator });
  }

  /** Next-character logits `[B, T, V]` for ids `[B, T]`, starting from `state` (zeros when omitted). */
  forward(ids: Tensor, state?: HiddenState): { logits: Tensor; state: HiddenState } {
    const x = this.embedding.forward(ids); // [B, T, 32]
    // An LSTM's state carries c as well: the state handed back is always the one this model's cell produced.
    const r = this.rnn instanceof LSTM ? this.rnn.forward(x, { state: state as LstmState | undefined }) : this.rnn.forward(x, { state }); // output [B, T, H]
    return { logits: this.head.forward(r.output), state: r.state };
  }

  /**
   * Continues `prompt` (ids) by `count` characters drawn from softmax(logits / temperature), greedy at temperature 0,
   * carrying the recurrent state so each character costs one step. Returns prompt plus continuation.
   */
  generate(prompt: readonly number[], count: number, temperature: number, generator: Generator): number[] {
    return noGrad(() => {
      const out = [...prompt];
      let { logits, state } = this.forward(new Tensor(Int32Array.from(prompt), [1, prompt.length]));
      const V = this.vocabSize;
      for (let i = 0; i < count; i++) {
        const last = logits.data.subarray((logits.shape[1]! - 1) * V) as Float32Array; // [V]
        const next = temperature === 0 ? argmaxOf(last) : draw(softmax(new Tensor(last.map((v) => v / temperature), [V]), -1).data as Float32Array, generator);
        out.push(next);
        ({ logits, state } = this.forward(new Tensor(Int32Array.of(next), [1, 1]), state));
      }
      return out;
    });
  }
}

/** Index of the largest value. */
function argmaxOf(values: Float32Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

/** One draw from the categorical distribution `p` (summing to 1 up to rounding). */
function draw(p: Float32Array, generator: Generator): number {
  let u = generator.uniform();
  for (let i = 0; i < p.length; i++) {
    u -= p[i]!;
    if (u < 0) return i;
  }
  return p.length - 1;
}
