import { Embedding, Generator, Linear, Module, Tensor, noGrad } from '@elman/core';
import { LSTM, type LstmState } from '@elman/cells';

/** Options of {@link CharLstm}. */
export interface CharLstmOptions {
  /** Alphabet size V. */
  vocabSize: number;
  /** Character embedding size E. */
  embedSize: number;
  /** LSTM hidden size H. */
  hiddenSize: number;
  /** Seed of the weights. */
  seed: number;
}

/**
 * A character-level LSTM language model (Graves 2013; Karpathy 2015's char-rnn): embedding → LSTM → linear over the
 * alphabet. `forward(ids [B, t], {state})` returns the logits and the final state, the recurrent contract the trainer's
 * truncated BPTT carries from one window to the next.
 */
export class CharLstm extends Module {
  /** Character embeddings `[V, E]`. */
  embedding: Embedding;
  /** The recurrent layer. */
  lstm: LSTM;
  /** Read-out to next-character logits. */
  head: Linear;

  /** Builds the model from `options`. */
  constructor(options: CharLstmOptions) {
    super();
    const generator = new Generator(options.seed);
    this.embedding = new Embedding(options.vocabSize, options.embedSize, { generator });
    // Forget bias 1 keeps the memory open early in training (Jozefowicz et al. 2015).
    this.lstm = new LSTM({ inputSize: options.embedSize, hiddenSize: options.hiddenSize, forgetBias: 1, generator });
    this.head = new Linear(options.hiddenSize, options.vocabSize, { generator });
  }

  /** ids `[B, t]` (int32), optional initial state → logits `[B, t, V]` and the state after the last step. */
  forward(ids: Tensor, options: { state?: LstmState } = {}): { output: Tensor; state: LstmState } {
    const x = this.embedding.forward(ids); // [B, t, E]
    const { output, state } = this.lstm.forward(x, { state: options.state }); // [B, t, H]
    return { output: this.head.forward(output), state }; // [B, t, V]
  }

  /**
   * Continues `prompt` by `length` characters sampled from softmax(logits / temperature) (greedy at temperature 0),
   * carrying the LSTM state one character at a time. Returns the new ids only.
   */
  sample(prompt: ArrayLike<number>, length: number, temperature: number, seed: number): Int32Array {
    const gen = new Generator(seed);
    const out = new Int32Array(length);
    const wasTraining = this.training;
    this.eval();
    noGrad(() => {
      let run = this.forward(new Tensor(Int32Array.from(prompt), [1, prompt.length])); // logits [1, P, V]
      const V = run.output.shape[2]!;
      const probs = new Float64Array(V);
      for (let i = 0; i < length; i++) {
        const logits = run.output.data;
        const base = logits.length - V; // the last step's row
        let next = 0;
        if (temperature === 0) {
          for (let v = 1; v < V; v++) if (logits[base + v]! > logits[base + next]!) next = v;
        } else {
          let max = -Infinity;
          for (let v = 0; v < V; v++) max = Math.max(max, logits[base + v]!);
          let z = 0;
          for (let v = 0; v < V; v++) z += probs[v] = Math.exp((logits[base + v]! - max) / temperature);
          let u = gen.uniform() * z;
          next = V - 1;
          for (let v = 0; v < V; v++) {
            u -= probs[v]!;
            if (u <= 0) {
              next = v;
              break;
            }
          }
        }
        out[i] = next;
        run = this.forward(new Tensor(Int32Array.of(next), [1, 1]), { state: run.state }); // [1, 1, V]
      }
    });
    if (wasTraining) this.train();
    return out;
  }
}
