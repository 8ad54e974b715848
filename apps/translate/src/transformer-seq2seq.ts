import { Embedding, type Generator, Linear, Module, Tensor, argmax, crossEntropy, noGrad, normal_ } from '@elman/core';
import { CharTable, paddingMask } from '@elman/seq2seq';
import { SinusoidalPositionalEncoding, Transformer, type TransformerDecoderLayer } from '@elman/transformer';

/** Sizes of a {@link TransformerSeq2Seq}. */
export interface TransformerSeq2SeqOptions {
  /** Source vocabulary size (PAD = 0). */
  srcVocab: number;
  /** Target vocabulary size (PAD, START, END = 0, 1, 2). */
  tgtVocab: number;
  /** Model width. */
  dModel: number;
  /** Attention heads. */
  nhead: number;
  /** Encoder and decoder layers (each). */
  numLayers: number;
  /** Feed-forward width. */
  dimFeedforward: number;
  /** Dropout probability. */
  dropout: number;
  /** Longest source or target sequence (size of the positional table). */
  maxLength: number;
  /** Random stream of the weights and dropout masks. */
  generator: Generator;
}

/** A greedy decoding of one example by {@link TransformerSeq2Seq.generate}. */
export interface TransformerGeneration {
  /** Predicted target ids without START and END. */
  tokens: number[];
  /** The last decoder layer's cross-attention per head, `[nhead][Ty][Tx]` (END's row included, valid source columns only). */
  heads: number[][][];
}

/**
 * The encoder–decoder transformer of Vaswani et al. 2017 for character transduction: token embeddings scaled by
 * √dModel plus sinusoidal positions, `@elman/transformer`'s `Transformer`, and a linear read-out. Targets follow
 * `@elman/seq2seq`'s convention (`[B, T]` without START, ending in END, right-padded with PAD); the decoder reads them
 * shifted right behind START under a causal mask (teacher forcing).
 */
export class TransformerSeq2Seq extends Module {
  /** Source embedding. */
  src_embed: Embedding;
  /** Target embedding. */
  tgt_embed: Embedding;
  /** Sinusoidal positions (no parameters). */
  positions: SinusoidalPositionalEncoding;
  /** Encoder and decoder stacks. */
  transformer: Transformer;
  /** dModel → target logits. */
  out: Linear;
  readonly #scale: number;

  /** Builds the model (post-norm, relu, as `nn.Transformer`'s defaults). */
  constructor(o: TransformerSeq2SeqOptions) {
    super();
    const gen = { generator: o.generator };
    this.src_embed = new Embedding(o.srcVocab, o.dModel, { paddingIdx: CharTable.PAD, ...gen });
    this.tgt_embed = new Embedding(o.tgtVocab, o.dModel, { paddingIdx: CharTable.PAD, ...gen });
    this.positions = new SinusoidalPositionalEncoding({ dModel: o.dModel, maxLength: o.maxLength, dropout: o.dropout, ...gen });
    this.transformer = new Transformer({
      dModel: o.dModel,
      nhead: o.nhead,
      numEncoderLayers: o.numLayers,
      numDecoderLayers: o.numLayers,
      dimFeedforward: o.dimFeedforward,
      dropout: o.dropout,
      ...gen,
    });
    this.out = new Linear(o.dModel, o.tgtVocab, gen);
    this.#scale = Math.sqrt(o.dModel);
    // Embeddings start at std dModel^−½ so that, scaled by √dModel, they have unit size like the sinusoids (as
    // fairseq's transformer does); N(0, 1) rows scaled by √dModel would drown the position signal.
    for (const table of [this.src_embed, this.tgt_embed]) {
      normal_(table.weight, 0, 1 / this.#scale, gen);
      table.weight.data.fill(0, CharTable.PAD * o.dModel, (CharTable.PAD + 1) * o.dModel);
    }
  }

  /** Embeds ids `[B, L]` → `[B, L, dModel]` (Vaswani et al. scale the embedding by √dModel before adding positions). */
  #embed(table: Embedding, ids: Tensor): Tensor {
    return this.positions.forward(table.forward(ids).mul(this.#scale));
  }

  /** `src [B, S]`, `tgt [B, T]` (targets, not shifted) → logits `[B, T, V]` for every target position. */
  forward(src: Tensor, tgt: Tensor): Tensor {
    const { mask } = paddingMask(src, CharTable.PAD); // [B, S]
    const h = this.transformer.forward(this.#embed(this.src_embed, src), this.#embed(this.tgt_embed, shiftRight(tgt)), {
      srcKeyPaddingMask: mask,
      memoryKeyPaddingMask: mask,
      tgtIsCausal: true,
    }); // [B, T, dModel]
    return this.out.forward(h); // [B, T, V]
  }

  /** Mean cross-entropy over non-PAD target tokens. */
  loss(src: Tensor, tgt: Tensor): Tensor {
    return crossEntropy(this.forward(src, tgt), tgt, { axis: -1, ignoreIndex: CharTable.PAD });
  }

  /**
   * Greedy decoding of `src` `[B, S]`, stopping each example at END or after `maxLength` tokens. The encoder runs once;
   * the decoder re-reads the growing prefix at each step (sequences here are short, so no KV cache is needed).
   */
  generate(src: Tensor, maxLength: number): TransformerGeneration[] {
    return noGrad(() => {
      const { mask, lengths } = paddingMask(src, CharTable.PAD); // [B, S]
      const [B] = src.shape as [number, number];
      const memory = this.transformer.encoder.forward(this.#embed(this.src_embed, src), { srcKeyPaddingMask: mask }); // [B, S, E]
      const rows: number[][] = Array.from({ length: B }, () => [CharTable.START]);
      const done = new Uint8Array(B);
      for (let t = 0; t < maxLength && done.some((d) => d === 0); t++) {
        const prefix = new Tensor(Int32Array.from(rows.flat()), [B, t + 1]);
        const h = this.transformer.decoder.forward(this.#embed(this.tgt_embed, prefix), memory, { tgtIsCausal: true, memoryKeyPaddingMask: mask });
        const [, T, E] = h.shape as [number, number, number];
        const last = h.reshape([B * T, E]).indexSelect(0, Array.from({ length: B }, (_, b) => b * T + T - 1)); // [B, E]
        const next = argmax(this.out.forward(last), -1).data as Int32Array; // [B]
        for (let b = 0; b < B; b++) {
          // Finished rows keep growing with PAD so that the batch stays rectangular; they are cut below.
          rows[b]!.push(done[b] ? CharTable.PAD : next[b]!);
          if (next[b] === CharTable.END) done[b] = 1;
        }
      }
      const heads = this.#crossAttention(new Tensor(Int32Array.from(rows.flat()), [B, rows[0]!.length]), memory, mask); // [B, nH, T, S]
      const [, nH, T, S] = heads.shape as [number, number, number, number];
      const w = heads.data as Float32Array;
      return rows.map((row, b) => {
        const body = row.slice(1);
        const end = body.indexOf(CharTable.END);
        const tokens = end < 0 ? body : body.slice(0, end);
        const Ty = end < 0 ? T : end + 1;
        const perHead = Array.from({ length: nH }, (_, k) =>
          Array.from({ length: Ty }, (_, t) => Array.from(w.subarray(((b * nH + k) * T + t) * S, ((b * nH + k) * T + t) * S + lengths[b]!))),
        );
        return { tokens: tokens.filter((id) => id !== CharTable.PAD), heads: perHead };
      });
    });
  }

  /**
   * The last decoder layer's cross-attention weights `[B, nhead, T, S]` for the decoder input `prefix` `[B, T]`:
   * the layers below run as usual, the last one is replayed up to its cross-attention (eval mode, so dropout is off).
   */
  #crossAttention(prefix: Tensor, memory: Tensor, mask: Tensor): Tensor {
    const layers = this.transformer.decoder.layers;
    let x = this.#embed(this.tgt_embed, prefix.slice(1, 0, prefix.shape[1]! - 1)); // [B, T, E]: the last token is never read
    for (let i = 0; i < layers.length - 1; i++) x = layers[i]!.forward(x, memory, { tgtIsCausal: true, memoryKeyPaddingMask: mask });
    const layer: TransformerDecoderLayer = layers[layers.length - 1]!;
    const self = (y: Tensor) => layer.self_attn.forward(y, y, y, { isCausal: true, needWeights: false }).context;
    const q = layer.normFirst ? layer.norm2.forward(x.add(self(layer.norm1.forward(x)))) : layer.norm1.forward(x.add(self(x)));
    const { weights } = layer.multihead_attn.forward(q, memory, memory, { keyPaddingMask: mask, averageWeights: false });
    return weights!; // [B, nH, T, S]
  }
}

/** Decoder input: START followed by all but the last target token, `[B, T]`. */
function shiftRight(tgt: Tensor): Tensor {
  const [B, T] = tgt.shape as [number, number];
  const src = tgt.data as Int32Array;
  const out = new Int32Array(B * T);
  for (let b = 0; b < B; b++) {
    out[b * T] = CharTable.START;
    out.set(src.subarray(b * T, b * T + T - 1), b * T + 1);
  }
  return new Tensor(out, [B, T]);
}
