import { Embedding, Generator, type Module, type Tensor } from '@elman/core';
import { AttentionDecoder, BahdanauAttention, CharTable, Encoder, Seq2Seq } from '@elman/seq2seq';
import { lstm } from '@elman/wrappers';
import { TransformerSeq2Seq } from './transformer-seq2seq.js';

/** The two model families compared. */
export type ModelKind = 'seq2seq' | 'transformer';

/** Sizes of the models of one run. */
export interface ModelSizes {
  /** Embedding width (seq2seq) or dModel (transformer). */
  embed: number;
  /** Encoder LSTM hidden size per direction (seq2seq; the decoder has twice this) or the feed-forward width (transformer). */
  hidden: number;
  /** Transformer layers per stack. */
  layers: number;
  /** Transformer heads. */
  heads: number;
  /** Transformer dropout. */
  dropout: number;
}

/** One decoded example. */
export interface Decoded {
  /** Predicted target ids (no START/END). */
  tokens: number[];
  /** The attention matrix plotted, `[Ty, Tx]` (END's row included): the decoder's, or the sharpest transformer head. */
  attention: number[][];
  /** Which head `attention` is (transformer), or null (seq2seq, a single attention). */
  head: number | null;
}

/** A model behind a common interface: teacher-forced logits for training, greedy decoding for scoring. */
export interface Translator {
  /** Which family. */
  kind: ModelKind;
  /** Human-readable description with sizes. */
  label: string;
  /** The trainable module. */
  module: Module;
  /** Teacher-forced next-token logits `[B, T, V]`. */
  logits(src: Tensor, tgt: Tensor): Tensor;
  /** Greedy decoding of `src` `[B, S]`. */
  decode(src: Tensor, maxLength: number): Decoded[];
}

/**
 * Builds the model: a BiLSTM encoder with a Bahdanau-attention LSTM decoder with input feeding (Bahdanau et al. 2015;
 * Luong et al. 2015), or an encoder–decoder transformer (Vaswani et al. 2017).
 */
export function buildTranslator(kind: ModelKind, srcVocab: number, tgtVocab: number, sizes: ModelSizes, seed: number): Translator {
  const generator = new Generator(seed);
  const E = sizes.embed;
  const H = sizes.hidden;
  if (kind === 'seq2seq') {
    const encoder = new Encoder({
      embedding: new Embedding(srcVocab, E, { paddingIdx: CharTable.PAD, generator }),
      rnn: lstm({ inputSize: E, hiddenSize: H, bidirectional: true, generator }),
    });
    const decoder = new AttentionDecoder({
      embedding: new Embedding(tgtVocab, E, { paddingIdx: CharTable.PAD, generator }),
      hiddenSize: 2 * H,
      attention: new BahdanauAttention({ querySize: 2 * H, keySize: 2 * H, generator }),
      encoderStateSize: 2 * H,
      generator,
    });
    const model = new Seq2Seq({ encoder, decoder, startId: CharTable.START, endId: CharTable.END, padId: CharTable.PAD, generator });
    return {
      kind,
      label: `BiLSTM ${H}×2 + Bahdanau attention, E=${E}`,
      module: model,
      logits: (src, tgt) => model.forward(src, tgt).logits,
      decode: (src, maxLength) => model.generate(src, { maxLength }).map((g) => ({ tokens: g.tokens, attention: g.attention, head: null })),
    };
  }
  const model = new TransformerSeq2Seq({
    srcVocab,
    tgtVocab,
    dModel: E,
    nhead: sizes.heads,
    numLayers: sizes.layers,
    dimFeedforward: H,
    dropout: sizes.dropout,
    maxLength: 64,
    generator,
  });
  return {
    kind,
    label: `Transformer ${sizes.layers}+${sizes.layers} layers, d=${E}, ${sizes.heads} heads, ff=${H}`,
    module: model,
    logits: (src, tgt) => model.forward(src, tgt),
    decode: (src, maxLength) =>
      model.generate(src, maxLength).map((g) => {
        const head = sharpestHead(g.heads);
        return { tokens: g.tokens, attention: g.heads[head]!, head };
      }),
  };
}

/** The head whose rows put the most weight on their argmax on average (the most alignment-like one to plot). */
export function sharpestHead(heads: readonly (readonly (readonly number[])[])[]): number {
  let best = 0;
  let bestScore = -1;
  heads.forEach((rows, k) => {
    const score = rows.reduce((s, r) => s + Math.max(...r), 0) / Math.max(1, rows.length);
    if (score > bestScore) {
      bestScore = score;
      best = k;
    }
  });
  return best;
}
