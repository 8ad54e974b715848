/** Anything that splits a text into tokens: {@link WordTokenizer}, {@link CharTokenizer}, or your own. */
export interface Tokenizer {
  /** Splits `text` into tokens, in order. */
  tokenize(text: string): string[];
}

/** Unicode normalisation applied before tokenizing; `false` leaves the text as is. */
export type Normalization = 'NFC' | 'NFKC' | false;
