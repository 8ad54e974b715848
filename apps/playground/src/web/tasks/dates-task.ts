import { Adam, Embedding, Generator, Tensor, clipGradNorm, manualSeed } from '@elman/core';
import {
  AttentionDecoder,
  BahdanauAttention,
  type DateFormat,
  type DatePair,
  Encoder,
  Seq2Seq,
  exactMatch,
  generateDates,
} from '@elman/seq2seq';
import { Vocabulary } from '@elman/text';
import { lstm } from '@elman/wrappers';
import type { DatesSample, TrainConfig } from '../protocol.js';

/** Special tokens shared by both vocabularies, at ids 0, 1, 2. */
const SPECIALS = ['<pad>', '<s>', '</s>'];

/** Held-out examples for the exact-match figure. */
const TEST_SIZE = 64;

/** Training dates batches are drawn from; the held-out days never occur among them. */
const POOL_SIZE = 20_000;

/** Seven of @elman/seq2seq's 20 formats: enough variety for a visible alignment, learnable in a few hundred steps. */
const FORMATS: readonly DateFormat[] = ['d Month yyyy', 'dd/mm/yyyy', 'yyyy.mm.dd', 'd Mon yyyy', 'yyyy/m/d', 'Mon dd yyyy', 'dd month, yyyy'];

/** Characters of the ISO targets. */
const TARGET_CHARS = '-0123456789';

/** Rows shown on the page. */
const SHOWN = 6;

/** Embedding width of both sides. */
const EMBED = 16;

/**
 * Date normalisation with attention (Bahdanau et al. 2015): a character BiLSTM encoder reads `mar 3, 2021`, an LSTM
 * decoder with additive attention writes `2021-03-03`. Batches are drawn from a seeded corpus of @elman/seq2seq's date
 * generator; its held-out days measure exact match, and the attention of the first one is the heat map.
 */
export class DatesTask {
  /** The encoder–decoder. */
  readonly model: Seq2Seq;
  /** Source characters. */
  readonly source: Vocabulary;
  /** Target characters. */
  readonly target: Vocabulary;
  readonly #config: TrainConfig;
  readonly #optimizer: Adam;
  readonly #generator: Generator;
  readonly #train: DatePair[];
  readonly #test: DatePair[];

  /** Builds the model; `hiddenSize` is each encoder direction's and the decoder's width. */
  constructor(config: TrainConfig) {
    this.#config = config;
    // The Bidirectional wrapper's mirrored layer draws from the global generator: seed it too, for reproducibility.
    manualSeed(config.seed);
    const generator = new Generator(config.seed);
    this.#generator = generator;
    // The held-out set is fixed by the seed alone, so it is the same whatever the batch size or step count.
    const corpus = generateDates(POOL_SIZE, TEST_SIZE, { seed: config.seed, formats: FORMATS });
    this.#train = corpus.train;
    this.#test = corpus.test;
    const sourceChars = new Set([...corpus.train, ...corpus.test].flatMap((p) => [...p.source]));
    this.source = new Vocabulary([...sourceChars].sort(), { specials: SPECIALS });
    this.target = new Vocabulary([...TARGET_CHARS], { specials: SPECIALS });
    const H = config.hiddenSize;
    const rnn = lstm({ inputSize: EMBED, hiddenSize: H, bidirectional: true, generator });
    const encoder = new Encoder({ embedding: new Embedding(this.source.size, EMBED, { paddingIdx: 0, generator }), rnn });
    const C = encoder.outputSize;
    const decoder = new AttentionDecoder({
      embedding: new Embedding(this.target.size, EMBED, { paddingIdx: 0, generator }),
      hiddenSize: H,
      attention: new BahdanauAttention({ querySize: H, keySize: C, generator }),
      encoderStateSize: C,
      encoderIsLstm: true,
      generator,
    });
    this.model = new Seq2Seq({ encoder, decoder, startId: 1, endId: 2, padId: 0, generator });
    this.#optimizer = new Adam(this.model.parameters(), { lr: config.learningRate });
  }

  /** Right-padded source ids `[B, S]`. */
  #sources(pairs: readonly DatePair[]): Tensor {
    const S = Math.max(...pairs.map((p) => p.source.length));
    const ids = new Int32Array(pairs.length * S);
    pairs.forEach((p, b) => {
      ids.set(this.source.encode([...p.source]), b * S);
    });
    return new Tensor(ids, [pairs.length, S]);
  }

  /** One Adam step on a fresh batch (targets end in END; all ISO dates have the same length). */
  step(): number {
    const pairs = Array.from({ length: this.#config.batchSize }, () => this.#train[this.#generator.randint(this.#train.length)]!);
    const T = 11; // YYYY-MM-DD + END
    const tgt = new Int32Array(pairs.length * T);
    pairs.forEach((p, b) => {
      tgt.set(this.target.encode([...p.target], { addEos: true }), b * T);
    });
    this.model.train();
    const loss = this.model.loss(this.#sources(pairs), new Tensor(tgt, [pairs.length, T]));
    this.#optimizer.zeroGrad();
    loss.backward();
    clipGradNorm(this.model.parameters(), 1);
    this.#optimizer.step();
    return loss.item();
  }

  /** Greedy decoding of the held-out set: exact match, a few rows, and the first example's attention. */
  sample(): DatesSample {
    this.model.eval();
    const generations = this.model.generate(this.#sources(this.#test), { maxLength: 12 });
    const outputs = generations.map((g) => this.target.decode(g.tokens, { skipSpecials: true }).join(''));
    const targets = this.#test.map((p) => this.target.encode([...p.target]));
    const accuracy = exactMatch(generations.map((g) => g.tokens), targets);
    const rows = this.#test.slice(0, SHOWN).map((p, i) => ({ input: p.source, output: outputs[i]!, target: p.target }));
    return { kind: 'dates', rows, accuracy, attention: generations[0]!.attention };
  }

  /** Model configuration and both vocabularies. */
  metadata(): Record<string, string> {
    return {
      task: 'dates',
      model: 'Seq2Seq(BiLSTM encoder, LSTM decoder, Bahdanau attention)',
      hidden_size: String(this.#config.hiddenSize),
      embedding_dim: String(EMBED),
      source_vocab: JSON.stringify(this.source),
      target_vocab: JSON.stringify(this.target),
    };
  }
}
