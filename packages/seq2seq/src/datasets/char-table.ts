import { Tensor, ValueError } from '@elman/core';

/** Options of {@link CharTable.encodeBatch}. */
export interface EncodeBatchOptions {
  /** Prepend START to every sequence (a decoder's input). Default false. */
  start?: boolean;
  /** Append END to every sequence (a decoder's target). Default false. */
  end?: boolean;
}

/**
 * A character-level vocabulary for seq2seq tasks: ids 0–3 are PAD, START, END and UNK, then one id per symbol in
 * first-seen order. A "symbol" is a string: single characters for spellings, or whole tokens such as ARPAbet
 * phonemes when sequences are given as arrays.
 */
export class CharTable {
  /** Padding id. */
  static readonly PAD = 0;
  /** Start-of-sequence id. */
  static readonly START = 1;
  /** End-of-sequence id. */
  static readonly END = 2;
  /** Id of any symbol not in the table. */
  static readonly UNK = 3;
  /** Symbol of every id (the four specials first). */
  readonly symbols: string[] = ['<pad>', '<s>', '</s>', '<unk>'];
  readonly #ids = new Map<string, number>();

  /** A table of every symbol of `sequences` (strings are split into characters). */
  constructor(sequences: Iterable<string | readonly string[]>) {
    for (const seq of sequences) {
      for (const s of seq) {
        if (!this.#ids.has(s)) {
          this.#ids.set(s, this.symbols.length);
          this.symbols.push(s);
        }
      }
    }
  }

  /** Number of ids, specials included. */
  get size(): number {
    return this.symbols.length;
  }

  /** The ids of `seq` (unknown symbols → UNK). */
  encode(seq: string | readonly string[]): number[] {
    const out: number[] = [];
    for (const s of seq) out.push(this.#ids.get(s) ?? CharTable.UNK);
    return out;
  }

  /** The symbols of `ids`, stopping at END and skipping PAD and START. */
  decode(ids: readonly number[] | Int32Array): string[] {
    const out: string[] = [];
    for (const id of ids) {
      if (id === CharTable.END) break;
      if (id === CharTable.PAD || id === CharTable.START) continue;
      const s = this.symbols[id];
      if (s === undefined) throw new ValueError(`CharTable.decode: id ${id} is not in [0, ${this.size})`);
      out.push(s);
    }
    return out;
  }

  /** Right-padded int32 ids `[B, L]` of `seqs`, L the longest encoded length (START/END included when asked). */
  encodeBatch(seqs: readonly (string | readonly string[])[], options: EncodeBatchOptions = {}): Tensor {
    if (seqs.length === 0) throw new ValueError('CharTable.encodeBatch: no sequences');
    const rows = seqs.map((s) => [...(options.start ? [CharTable.START] : []), ...this.encode(s), ...(options.end ? [CharTable.END] : [])]);
    const L = Math.max(...rows.map((r) => r.length));
    if (L === 0) throw new ValueError('CharTable.encodeBatch: every sequence is empty');
    const data = new Int32Array(seqs.length * L); // PAD = 0 fills the tail
    for (let b = 0; b < rows.length; b++) data.set(rows[b]!, b * L);
    return new Tensor(data, [seqs.length, L]);
  }
}
