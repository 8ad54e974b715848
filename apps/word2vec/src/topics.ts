import { Generator } from '@elman/core';
import type { WordVectors } from '@elman/text';

/**
 * Topic groups of the addresses, fixed before training: words of a group are used in the same contexts and must end
 * up nearer each other than random pairs of frequent words. They are also the words of the PCA picture.
 */
export const TOPICS: Readonly<Record<string, readonly string[]>> = {
  finance: ['tax', 'taxes', 'revenue', 'budget', 'deficit', 'debt'],
  military: ['army', 'navy', 'troops', 'soldiers', 'war'],
  nations: ['britain', 'france', 'germany', 'japan', 'china', 'russia', 'mexico', 'spain'],
  schooling: ['schools', 'education', 'students', 'teachers', 'children'],
  months: ['january', 'february', 'march', 'june', 'july', 'december'],
};

/** Words whose nearest neighbours the demo prints. */
export const PROBES: readonly string[] = ['war', 'tax', 'mexico', 'education', 'congress', 'oil'];

/**
 * Analogy questions in word2vec.c's `questions-words.txt` format, built from word pairs: every ordered pair of
 * distinct pairs (a, b), (c, d) of a section asks "a is to b as c is to ?" with answer d.
 */
export const ANALOGY_PAIRS: Readonly<Record<string, readonly (readonly [string, string])[]>> = {
  'country-adjective': [
    ['britain', 'british'],
    ['france', 'french'],
    ['germany', 'german'],
    ['china', 'chinese'],
    ['japan', 'japanese'],
    ['mexico', 'mexican'],
    ['spain', 'spanish'],
    ['russia', 'russian'],
    ['cuba', 'cuban'],
    ['america', 'american'],
  ],
  gender: [
    ['he', 'she'],
    ['his', 'her'],
    ['man', 'woman'],
    ['men', 'women'],
    ['king', 'queen'],
    ['father', 'mother'],
    ['son', 'daughter'],
  ],
  plural: [
    ['tax', 'taxes'],
    ['war', 'wars'],
    ['nation', 'nations'],
    ['treaty', 'treaties'],
    ['army', 'armies'],
    ['ship', 'ships'],
    ['school', 'schools'],
    ['law', 'laws'],
    ['right', 'rights'],
    ['year', 'years'],
  ],
};

/** The analogy questions of {@link ANALOGY_PAIRS} as the text `evaluateAnalogies` reads. */
export function analogyQuestions(): string {
  const lines: string[] = [];
  for (const [section, pairs] of Object.entries(ANALOGY_PAIRS)) {
    lines.push(`: ${section}`);
    for (const [a, b] of pairs) for (const [c, d] of pairs) if (a !== c) lines.push(`${a} ${b} ${c} ${d}`);
  }
  return lines.join('\n');
}

/** Mean centred cosine within the topic groups and over random pairs of frequent words outside them. */
export interface TopicMargin {
  /** Mean similarity of the pairs within each group. */
  topical: number;
  /** Mean similarity of 2000 random pairs of frequent words (count ≥ 20) outside the groups. */
  random: number;
}

/**
 * Compares topic pairs with random pairs by the cosine after removing the mean vector: after a few epochs every vector
 * shares a large common component that lifts all cosines alike (Mu & Viswanath 2018, "All-but-the-top").
 */
export function topicMargin(model: WordVectors, count: (word: string) => number, seed = 5): TopicMargin {
  const D = model.vectorSize;
  const mean = new Float64Array(D);
  const all = model.vectors;
  for (let i = 0; i < all.length; i++) mean[i % D]! += all[i]! / model.size;
  const similarity = (a: string, b: string): number => {
    const [va, vb] = [model.vector(a), model.vector(b)];
    let [dot, na, nb] = [0, 0, 0];
    for (let k = 0; k < D; k++) {
      const [x, y] = [va[k]! - mean[k]!, vb[k]! - mean[k]!];
      dot += x * y;
      na += x * x;
      nb += y * y;
    }
    return dot / Math.sqrt(na * nb);
  };
  let [sum, n] = [0, 0];
  for (const g of Object.values(TOPICS)) {
    const known = g.filter((w) => model.has(w));
    for (let i = 0; i < known.length; i++) {
      for (let j = i + 1; j < known.length; j++) {
        sum += similarity(known[i]!, known[j]!);
        n++;
      }
    }
  }
  const inGroups = new Set(Object.values(TOPICS).flat());
  const frequent = model.words.filter((w) => count(w) >= 20 && !inGroups.has(w));
  const gen = new Generator(seed);
  let rsum = 0;
  for (let k = 0; k < 2000; k++) {
    const a = frequent[gen.randint(frequent.length)]!;
    let b = a;
    while (b === a) b = frequent[gen.randint(frequent.length)]!;
    rsum += similarity(a, b);
  }
  return { topical: sum / Math.max(1, n), random: rsum / 2000 };
}
