import { ValueError } from '@elman/core';
import { topK } from './top-k.js';

/** Options of `WordVectors.evaluateAnalogies`. */
export interface AnalogyOptions {
  /** Only the first (most frequent) this many words take part, as answers and as question words. Default 30000, as word2vec.c's `compute-accuracy`. */
  restrictVocab?: number;
  /** Compare words case-insensitively (both tools upper-case everything). Default true. */
  caseInsensitive?: boolean;
}

/** Accuracy on one `: section` of the question file. */
export interface AnalogySection {
  /** The section name (the header line without `: `). */
  section: string;
  /** Questions answered correctly. */
  correct: number;
  /** Questions evaluated (all four words known). */
  total: number;
  /** Questions skipped because a word is unknown. */
  skipped: number;
  /** `correct / total` (0 when no question was evaluated). */
  accuracy: number;
}

/** Result of `WordVectors.evaluateAnalogies`. */
export interface AnalogyResult {
  /** Per section, in file order. */
  sections: AnalogySection[];
  /** Questions answered correctly, all sections. */
  correct: number;
  /** Questions evaluated, all sections. */
  total: number;
  /** Questions skipped, all sections. */
  skipped: number;
  /** `correct / total` (0 when no question was evaluated). */
  accuracy: number;
}

/** What the evaluation needs from the vectors. */
export interface AnalogyModel {
  /** Words in row order. */
  words: readonly string[];
  /** Vector size D. */
  dim: number;
  /** Unit rows `[V, D]`. */
  unit: Float32Array;
  /** Dot products of `count` query rows with the first `limit` unit rows → `[count, limit]`. */
  score(queries: Float32Array, count: number, limit: number): Float32Array;
}

interface Question {
  section: number;
  rows: [number, number, number, number];
}

/** Questions per GEMM call; the score block is QUESTION_BATCH × restrictVocab floats. */
const QUESTION_BATCH = 256;

/** Parses and scores a `questions-words.txt` text (see `WordVectors.evaluateAnalogies`). */
export function evaluateAnalogyText(text: string, options: AnalogyOptions, model: AnalogyModel): AnalogyResult {
  const caseInsensitive = options.caseInsensitive ?? true;
  const limit = Math.min(options.restrictVocab ?? 30000, model.words.length);
  if (!(limit >= 0)) throw new ValueError(`evaluateAnalogies: restrictVocab must be non-negative, got ${options.restrictVocab}`);
  const fold = (w: string) => (caseInsensitive ? w.toLowerCase() : w);
  // The first (most frequent) row wins when several words fold to the same key, as in both reference tools.
  const rowOf = new Map<string, number>();
  for (let i = limit - 1; i >= 0; i--) rowOf.set(fold(model.words[i]!), i);

  const sections: AnalogySection[] = [];
  const questions: Question[] = [];
  const lines = text.split(/\r?\n/);
  for (let ln = 0; ln < lines.length; ln++) {
    const line = lines[ln]!.trim();
    if (line === '') continue;
    if (line.startsWith(':')) {
      sections.push({ section: line.slice(1).trim(), correct: 0, total: 0, skipped: 0, accuracy: 0 });
      continue;
    }
    const parts = line.split(/\s+/);
    if (parts.length !== 4) throw new ValueError(`evaluateAnalogies: line ${ln + 1} has ${parts.length} words, expected 4: '${line}'`);
    if (sections.length === 0) sections.push({ section: '', correct: 0, total: 0, skipped: 0, accuracy: 0 });
    const section = sections.length - 1;
    const rows = parts.map((w) => rowOf.get(fold(w)) ?? -1) as Question['rows'];
    if (rows.includes(-1)) sections[section]!.skipped++;
    else questions.push({ section, rows });
  }

  const D = model.dim;
  const unit = model.unit;
  const queries = new Float32Array(QUESTION_BATCH * D); // [batch, D]
  for (let start = 0; start < questions.length; start += QUESTION_BATCH) {
    const batch = questions.slice(start, start + QUESTION_BATCH);
    for (let q = 0; q < batch.length; q++) {
      const [a, b, c] = batch[q]!.rows;
      for (let k = 0; k < D; k++) queries[q * D + k] = unit[b * D + k]! - unit[a * D + k]! + unit[c * D + k]!;
    }
    const scores = model.score(queries, batch.length, limit); // [batch, limit]
    for (let q = 0; q < batch.length; q++) {
      const { section, rows } = batch[q]!;
      const [a, b, c, d] = rows;
      // Excluded by folded key, as gensim does: another casing of a question word is not an answer either.
      const asked = new Set([a, b, c].map((r) => fold(model.words[r]!)));
      const best = topK(scores, q * limit, limit, 1, (i) => asked.has(fold(model.words[i]!)));
      const s = sections[section]!;
      s.total++;
      if (best[0] !== undefined && rowOf.get(fold(model.words[best[0]]!)) === d) s.correct++;
    }
  }
  let correct = 0;
  let total = 0;
  let skipped = 0;
  for (const s of sections) {
    s.accuracy = s.total > 0 ? s.correct / s.total : 0;
    correct += s.correct;
    total += s.total;
    skipped += s.skipped;
  }
  return { sections, correct, total, skipped, accuracy: total > 0 ? correct / total : 0 };
}
