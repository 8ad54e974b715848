/** Logits beyond ±MAX_EXP saturate the sigmoid (word2vec.c's `MAX_EXP`). */
export const MAX_EXP = 6;
/** Entries of the sigmoid table (word2vec.c's `EXP_TABLE_SIZE`). */
export const EXP_TABLE_SIZE = 1000;
/**
 * Table index per unit of logit. word2vec.c writes `EXP_TABLE_SIZE / MAX_EXP / 2` in integer arithmetic, which is
 * 83, not 83.33; gensim copies it. We keep 83 so the same logit reads the same entry as in the C tool.
 */
export const EXP_SCALE = Math.floor(Math.floor(EXP_TABLE_SIZE / MAX_EXP) / 2);

/**
 * word2vec.c's precomputed sigmoid: entry `i` is σ((2i / EXP_TABLE_SIZE − 1) · MAX_EXP), read at
 * `⌊(f + MAX_EXP) · EXP_SCALE⌋` for a logit `f` in (−MAX_EXP, MAX_EXP).
 */
export function buildExpTable(): Float32Array {
  const table = new Float32Array(EXP_TABLE_SIZE);
  for (let i = 0; i < EXP_TABLE_SIZE; i++) {
    const e = Math.exp(((i / EXP_TABLE_SIZE) * 2 - 1) * MAX_EXP);
    table[i] = e / (e + 1);
  }
  return table;
}
