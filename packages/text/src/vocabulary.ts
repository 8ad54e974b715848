import { SerializationError, ValueError } from '@elman/core';

/** The default special tokens, at ids 0..3: padding, unknown word, start and end of sequence. */
export const DEFAULT_SPECIALS: readonly string[] = Object.freeze(['<pad>', '<unk>', '<s>', '</s>']);

/** Options shared by the {@link Vocabulary} constructors. */
export interface VocabularyOptions {
  /** Special tokens placed first, at ids 0.. in this order. Default {@link DEFAULT_SPECIALS}; `[]` for none. */
  specials?: readonly string[];
  /**
   * The token unknown words map to; must be one of `specials`. Default `'<unk>'` when present among the specials,
   * otherwise none (encoding an unknown word is then an error).
   */
  unkToken?: string | null;
}

/** Options of {@link Vocabulary.build} and {@link Vocabulary.fromCounts}. */
export interface BuildVocabularyOptions extends VocabularyOptions {
  /** Drop tokens seen fewer times than this. Default 1. */
  minCount?: number;
  /** Largest vocabulary, specials included; the least frequent tokens go first. Default unlimited. */
  maxSize?: number;
}

/** Options of {@link Vocabulary.encode}. */
export interface EncodeOptions {
  /** Prepend the `<s>` id (the third default special; error when the vocabulary has no `<s>`). */
  addBos?: boolean;
  /** Append the `</s>` id (error when the vocabulary has no `</s>`). */
  addEos?: boolean;
}

/** Options of {@link Vocabulary.decode}. */
export interface DecodeOptions {
  /** Leave special tokens out of the result. Default false. */
  skipSpecials?: boolean;
}

/** The JSON form of a {@link Vocabulary} ({@link Vocabulary.toJSON}). */
export interface VocabularyJSON {
  /** Every token in id order, specials first. */
  tokens: string[];
  /** How many of the leading tokens are specials. */
  numSpecials: number;
  /** The unknown-word token, or null. */
  unkToken: string | null;
  /** Corpus count of each token (0 for specials), when the vocabulary was built from counts. */
  counts?: number[];
}

/**
 * A token ↔ id mapping with special tokens (`<pad> <unk> <s> </s>` at ids 0..3 by default), built from a corpus
 * with `minCount` / `maxSize`, ordered by decreasing frequency (ties in code-unit order of the token, so the same
 * counts always give the same ids).
 *
 * @example
 * ```ts run
 * import { Vocabulary } from '@elman/text';
 *
 * const vocab = Vocabulary.build([['i', 'am', 'good'], ['i', 'am', 'great']], { minCount: 1 });
 * console.log(vocab.tokens); // ['<pad>', '<unk>', '<s>', '</s>', 'am', 'i', 'good', 'great']
 * const ids = vocab.encode(['i', 'am', 'fine'], { addBos: true, addEos: true }); // [2, 5, 4, 1, 3]: fine → <unk>
 * console.log(ids, vocab.decode(ids, { skipSpecials: true })); // … ['i', 'am']
 * const copy = Vocabulary.fromJSON(JSON.stringify(vocab)); // the same ids after a save and load
 * console.log(copy.idOf('good'), vocab.padId); // 6 0
 * ```
 */
export class Vocabulary {
  /** Number of leading special tokens. */
  readonly numSpecials: number;
  /** The unknown-word token, or null when unknown words are an error. */
  readonly unkToken: string | null;
  private readonly itos: string[];
  private readonly stoi: Map<string, number>;
  private readonly freqs: Float64Array | null;

  /**
   * A vocabulary of `specials` followed by `tokens`, in that order (no counting or sorting).
   *
   * @param tokens - Ordinary tokens, in id order; duplicates and tokens equal to a special are errors.
   * @param options - Specials and unknown token.
   * @param counts - Optional corpus count of each of `tokens` (same length).
   */
  constructor(tokens: Iterable<string>, options: VocabularyOptions = {}, counts?: ArrayLike<number>) {
    const specials = options.specials ?? DEFAULT_SPECIALS;
    const unk = options.unkToken === undefined ? (specials.includes('<unk>') ? '<unk>' : null) : options.unkToken;
    if (unk !== null && !specials.includes(unk)) {
      throw new ValueError(`Vocabulary: unkToken '${unk}' must be one of the specials [${specials.join(', ')}]`);
    }
    this.itos = [];
    this.stoi = new Map();
    for (const t of [...specials, ...tokens]) {
      if (typeof t !== 'string') throw new ValueError(`Vocabulary: tokens must be strings, got ${typeof t}`);
      if (this.stoi.has(t)) throw new ValueError(`Vocabulary: duplicate token '${t}' at id ${this.itos.length}`);
      this.stoi.set(t, this.itos.length);
      this.itos.push(t);
    }
    this.numSpecials = specials.length;
    this.unkToken = unk;
    if (counts === undefined) {
      this.freqs = null;
    } else {
      const n = this.itos.length - specials.length;
      if (counts.length !== n) throw new ValueError(`Vocabulary: ${counts.length} counts for ${n} tokens`);
      this.freqs = new Float64Array(this.itos.length);
      for (let i = 0; i < n; i++) {
        const c = counts[i]!;
        if (!(Number.isFinite(c) && c >= 0)) throw new ValueError(`Vocabulary: count of '${this.itos[i + specials.length]}' is ${c}`);
        this.freqs[i + specials.length] = c;
      }
    }
  }

  /**
   * Counts the tokens of a corpus (an iterable of token sequences) and builds the vocabulary: specials first, then
   * every token seen at least `minCount` times by decreasing count, truncated to `maxSize` entries.
   */
  static build(corpus: Iterable<Iterable<string>>, options: BuildVocabularyOptions = {}): Vocabulary {
    const counts = new Map<string, number>();
    for (const doc of corpus) {
      if (typeof doc === 'string') throw new ValueError('Vocabulary.build: each document must be a token array, got a string (tokenize it first)');
      for (const t of doc) counts.set(t, (counts.get(t) ?? 0) + 1);
    }
    return Vocabulary.fromCounts(counts, options);
  }

  /** Builds the vocabulary from precomputed counts (a `Map` or a plain object), as {@link Vocabulary.build} does. */
  static fromCounts(counts: ReadonlyMap<string, number> | Readonly<Record<string, number>>, options: BuildVocabularyOptions = {}): Vocabulary {
    const minCount = options.minCount ?? 1;
    if (!(Number.isFinite(minCount) && minCount >= 0)) throw new ValueError(`Vocabulary: minCount must be a non-negative number, got ${minCount}`);
    const specials = options.specials ?? DEFAULT_SPECIALS;
    const maxSize = options.maxSize ?? Number.POSITIVE_INFINITY;
    if (!(maxSize >= specials.length)) {
      throw new ValueError(`Vocabulary: maxSize ${maxSize} is smaller than the ${specials.length} specials`);
    }
    const special = new Set(specials);
    const entries = (counts instanceof Map ? [...counts] : Object.entries(counts)).filter(
      ([t, c]) => c >= minCount && !special.has(t),
    );
    entries.sort(byCountThenToken);
    const kept = entries.slice(0, Math.max(0, maxSize - specials.length));
    return new Vocabulary(
      kept.map(([t]) => t),
      options,
      kept.map(([, c]) => c),
    );
  }

  /** Restores a vocabulary from {@link Vocabulary.toJSON} output (an object or its JSON text). */
  static fromJSON(json: VocabularyJSON | string): Vocabulary {
    let obj: unknown;
    try {
      obj = typeof json === 'string' ? JSON.parse(json) : json;
    } catch (err) {
      throw new SerializationError(`Vocabulary.fromJSON: not valid JSON (${(err as Error).message})`);
    }
    const o = obj as Partial<VocabularyJSON> | null;
    if (o === null || typeof o !== 'object' || !Array.isArray(o.tokens) || !o.tokens.every((t) => typeof t === 'string')) {
      throw new SerializationError('Vocabulary.fromJSON: expected an object with a string array "tokens"');
    }
    const ns = o.numSpecials;
    if (!(Number.isInteger(ns) && ns! >= 0 && ns! <= o.tokens.length)) {
      throw new SerializationError(`Vocabulary.fromJSON: numSpecials ${ns} is not an integer in [0, ${o.tokens.length}]`);
    }
    if (o.unkToken !== null && typeof o.unkToken !== 'string') {
      throw new SerializationError('Vocabulary.fromJSON: unkToken must be a string or null');
    }
    if (o.counts !== undefined && !(Array.isArray(o.counts) && o.counts.length === o.tokens.length)) {
      throw new SerializationError(`Vocabulary.fromJSON: counts must be an array of ${o.tokens.length} numbers`);
    }
    try {
      return new Vocabulary(
        o.tokens.slice(ns),
        { specials: o.tokens.slice(0, ns), unkToken: o.unkToken },
        o.counts?.slice(ns),
      );
    } catch (err) {
      throw new SerializationError(`Vocabulary.fromJSON: ${(err as Error).message}`);
    }
  }

  /** Number of entries, specials included. */
  get size(): number {
    return this.itos.length;
  }

  /** Every token in id order, specials first. */
  get tokens(): readonly string[] {
    return this.itos;
  }

  /** The special tokens. */
  get specials(): readonly string[] {
    return this.itos.slice(0, this.numSpecials);
  }

  /** Id of the unknown-word token, or null. */
  get unkId(): number | null {
    return this.unkToken === null ? null : this.stoi.get(this.unkToken)!;
  }

  /** Id of `<pad>`, or null when absent. */
  get padId(): number | null {
    return this.stoi.get('<pad>') ?? null;
  }

  /** Id of `<s>`, or null when absent. */
  get bosId(): number | null {
    return this.stoi.get('<s>') ?? null;
  }

  /** Id of `</s>`, or null when absent. */
  get eosId(): number | null {
    return this.stoi.get('</s>') ?? null;
  }

  /** Whether `token` has an id of its own. */
  has(token: string): boolean {
    return this.stoi.has(token);
  }

  /** The id of `token`, or the unknown id; an error when the token is unknown and there is no unknown token. */
  idOf(token: string): number {
    const id = this.stoi.get(token);
    if (id !== undefined) return id;
    if (this.unkToken === null) throw new ValueError(`Vocabulary.idOf: unknown token '${token}' and no unkToken`);
    return this.stoi.get(this.unkToken)!;
  }

  /** The token with id `id`. */
  tokenOf(id: number): string {
    const t = this.itos[id];
    if (!Number.isInteger(id) || t === undefined) throw new ValueError(`Vocabulary.tokenOf: id ${id} is out of range [0, ${this.size})`);
    return t;
  }

  /** Corpus count of `token` (0 for specials, unknown tokens, or a vocabulary built without counts). */
  count(token: string): number {
    const id = this.stoi.get(token);
    return id === undefined || this.freqs === null ? 0 : this.freqs[id]!;
  }

  /** Token ids of `tokens`; unknown tokens become the unknown id. */
  encode(tokens: readonly string[], options: EncodeOptions = {}): number[] {
    const out: number[] = [];
    if (options.addBos) out.push(this.requireSpecial('<s>', 'addBos'));
    for (const t of tokens) out.push(this.idOf(t));
    if (options.addEos) out.push(this.requireSpecial('</s>', 'addEos'));
    return out;
  }

  /** Tokens of `ids`. */
  decode(ids: ArrayLike<number>, options: DecodeOptions = {}): string[] {
    const out: string[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const t = this.itos[id];
      if (!Number.isInteger(id) || t === undefined) {
        throw new ValueError(`Vocabulary.decode: id ${id} at position ${i} is out of range [0, ${this.size})`);
      }
      if (options.skipSpecials && id < this.numSpecials) continue;
      out.push(t);
    }
    return out;
  }

  /** A plain-JSON form (`JSON.stringify(vocab)` uses it); {@link Vocabulary.fromJSON} restores it. */
  toJSON(): VocabularyJSON {
    const json: VocabularyJSON = { tokens: [...this.itos], numSpecials: this.numSpecials, unkToken: this.unkToken };
    if (this.freqs !== null) json.counts = Array.from(this.freqs);
    return json;
  }

  private requireSpecial(token: string, option: string): number {
    const id = this.stoi.get(token);
    if (id === undefined) throw new ValueError(`Vocabulary.encode: ${option} needs a '${token}' token in the vocabulary`);
    return id;
  }
}

/** Decreasing count, then code-unit order of the token: a total order, so ids never depend on input order. */
export function byCountThenToken(a: readonly [string, number], b: readonly [string, number]): number {
  return b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
}
