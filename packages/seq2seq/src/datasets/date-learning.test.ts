import { Adam, Embedding, Generator, clipGradNorm, manualSeed } from '@elman/core';
import { testBackends, useBackend } from '@elman/core/testing';
import { lstm } from '@elman/wrappers';
import { beforeAll, describe, expect, it } from 'vitest';
import { BahdanauAttention } from '../attention/bahdanau-attention.js';
import { AttentionDecoder } from '../attention-decoder.js';
import { Encoder } from '../encoder.js';
import { Seq2Seq } from '../seq2seq.js';
import { CharTable } from './char-table.js';
import { type DatePair, generateDates } from './dates.js';

const TRAIN = 2000;
const TEST = 100;
const B = 32;
const STEPS = 130;

/** A Bahdanau-attention BiLSTM seq2seq (Bahdanau et al. 2015) small enough to train in seconds. */
function buildModel(srcSize: number, tgtSize: number, g: Generator): Seq2Seq {
  const E = 16;
  const H = 24;
  const encoder = new Encoder({
    embedding: new Embedding(srcSize, E, { paddingIdx: CharTable.PAD, generator: g }),
    rnn: lstm({ inputSize: E, hiddenSize: H, bidirectional: true, generator: g }),
  });
  const decoder = new AttentionDecoder({
    embedding: new Embedding(tgtSize, E, { paddingIdx: CharTable.PAD, generator: g }),
    hiddenSize: 2 * H,
    attention: new BahdanauAttention({ querySize: 2 * H, keySize: 2 * H, generator: g }),
    encoderStateSize: 2 * H,
    generator: g,
  });
  return new Seq2Seq({ encoder, decoder, startId: CharTable.START, endId: CharTable.END, padId: CharTable.PAD, generator: g });
}

describe.each(testBackends())('date normalisation with attention seq2seq (%s)', (backend) => {
  const corpus = generateDates(TRAIN, TEST, { seed: 1 });
  const src = new CharTable(corpus.train.map((p) => p.source));
  const tgt = new CharTable(['0123456789-']);
  let model: Seq2Seq;
  let untrained: number;
  let losses: number[];
  let trained: ReturnType<typeof exact>;

  const exact = (m: Seq2Seq, pairs: readonly DatePair[]) => {
    const out = m.generate(src.encodeBatch(pairs.map((p) => p.source)), { maxLength: 12 });
    return { out, em: out.filter((g, i) => tgt.decode(g.tokens).join('') === pairs[i]!.target).length / pairs.length };
  };

  beforeAll(async () => {
    await useBackend(backend);
    manualSeed(1);
    const g = new Generator(1);
    model = buildModel(src.size, tgt.size, g);
    model.eval();
    untrained = exact(model, corpus.test).em;
    model.train();
    const opt = new Adam(model.parameters(), { lr: 1e-2 });
    losses = [];
    for (let step = 0; step < STEPS; step++) {
      const off = (step * B) % TRAIN;
      const batch = corpus.train.slice(off, off + B);
      const loss = model.loss(src.encodeBatch(batch.map((p) => p.source)), tgt.encodeBatch(batch.map((p) => p.target), { end: true }));
      opt.zeroGrad();
      loss.backward();
      clipGradNorm(model.parameters(), 1);
      opt.step();
      losses.push(loss.item());
    }
    model.eval();
    trained = exact(model, corpus.test);
  }, 60_000);

  it('learns: loss falls tenfold and held-out exact match rises from 0 to ≥ 50 % in 130 updates', () => {
    const first = losses.slice(0, 5).reduce((a, b) => a + b) / 5;
    const last = losses.slice(-5).reduce((a, b) => a + b) / 5;
    expect(last).toBeLessThan(first / 10);
    expect(untrained).toBe(0);
    expect(trained.em).toBeGreaterThanOrEqual(0.5);
  });

  it('attends where the digits come from: the year digits’ argmax attention falls on the source year', () => {
    let hits = 0;
    let total = 0;
    trained.out.forEach((g, i) => {
      const [y0, y1] = corpus.test[i]!.spans.year;
      // Output positions 2 and 3 are the last two year digits, which every format writes out.
      for (const t of [2, 3]) {
        const row = g.attention[t]!;
        const argmax = row.indexOf(Math.max(...row));
        total++;
        if (argmax >= y0 && argmax < y1) hits++;
      }
    });
    expect(hits / total).toBeGreaterThan(0.8);
  });
});
