import { ValueError } from '@elman/core';

/** A query named a word that has no vector. */
export class UnknownWordError extends ValueError {
  /** Class name, shown in stack traces. */
  override name = 'UnknownWordError';
  /** The word that was not found. */
  readonly word: string;

  /** @param op - The method that was called. @param word - The missing word. */
  constructor(op: string, word: string) {
    super(`${op}: '${word}' is not in the vocabulary`);
    this.word = word;
  }
}
