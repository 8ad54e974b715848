import { ValueError } from '@elman/core';

/**
 * The 12 universal part-of-speech tags of Petrov, Das & McDonald, "A Universal Part-of-Speech Tagset" (LREC 2012),
 * in the order the tagger's output classes use.
 */
export const UNIVERSAL_TAGS = ['NOUN', 'VERB', 'ADJ', 'ADV', 'PRON', 'DET', 'ADP', 'NUM', 'CONJ', 'PRT', '.', 'X'] as const;

/** One of the {@link UNIVERSAL_TAGS}. */
export type UniversalTag = (typeof UNIVERSAL_TAGS)[number];

/**
 * Brown corpus base tags → universal tags, after the Brown mapping of Petrov et al. 2012 (en-brown.map of their
 * universal-pos-tags release), written from the paper's tag definitions and its Penn Treebank table: subordinating
 * conjunctions are ADP (Penn's IN), existential "there" DET (Penn's EX), possessive determiners (his) DET,
 * post-determiners (many) and ordinals ADJ, nominal pronouns (everybody) NOUN, qualifiers ADV, the negator
 * "not"/"n't" ADV. Suffixes and prefixes are handled by
 * {@link toUniversalTag}.
 */
export const BROWN_TO_UNIVERSAL: Readonly<Record<string, UniversalTag>> = {
  // punctuation
  '.': '.', ',': '.', ':': '.', '(': '.', ')': '.', '--': '.', '``': '.', "''": '.', "'": '.',
  '*': 'ADV', // not, n't
  abl: 'ADV', // pre-qualifier: quite, rather
  abn: 'DET', // pre-quantifier: half, all
  abx: 'DET', // pre-quantifier: both
  ap: 'ADJ', // post-determiner: many, several, next (Penn's JJ)
  at: 'DET', // article
  be: 'VERB', bed: 'VERB', bedz: 'VERB', beg: 'VERB', bem: 'VERB', ben: 'VERB', ber: 'VERB', bez: 'VERB',
  cc: 'CONJ',
  cd: 'NUM',
  cs: 'ADP', // subordinating conjunction
  do: 'VERB', dod: 'VERB', doz: 'VERB',
  dt: 'DET', dti: 'DET', dts: 'DET', dtx: 'DET',
  ex: 'DET', // existential there
  fw: 'X',
  hv: 'VERB', hvd: 'VERB', hvg: 'VERB', hvn: 'VERB', hvz: 'VERB',
  in: 'ADP',
  jj: 'ADJ', jjr: 'ADJ', jjs: 'ADJ', jjt: 'ADJ',
  md: 'VERB',
  nil: 'X',
  nn: 'NOUN', nns: 'NOUN', np: 'NOUN', nps: 'NOUN', nr: 'NOUN', nrs: 'NOUN',
  od: 'ADJ', // ordinal
  pn: 'NOUN', // nominal pronoun: everybody, nothing
  'pp$': 'DET', // possessive determiner: his, their
  'pp$$': 'PRON', ppl: 'PRON', ppls: 'PRON', ppo: 'PRON', pps: 'PRON', ppss: 'PRON',
  ql: 'ADV', qlp: 'ADV', // qualifiers: very, enough
  rb: 'ADV', rbr: 'ADV', rbt: 'ADV', rn: 'ADV',
  rp: 'PRT',
  to: 'PRT',
  uh: 'X',
  vb: 'VERB', vbd: 'VERB', vbg: 'VERB', vbn: 'VERB', vbz: 'VERB',
  wdt: 'DET',
  'wp$': 'PRON', wpo: 'PRON', wps: 'PRON',
  wql: 'ADV', wrb: 'ADV',
};

/**
 * The universal tag of a Brown tag as written in the corpus: foreign words (`fw-…`) are X; the title, headline and
 * cited-word suffixes (`-tl`, `-hl`, `-nc`) are dropped; a contraction (`ppss+md`) takes its first part's tag; the
 * negation mark (`do*`) and a possessive `$` (`nn$`) fall back to the base tag. Unknown tags are an error.
 */
export function toUniversalTag(brownTag: string): UniversalTag {
  let tag = brownTag.toLowerCase();
  if (tag.startsWith('fw-')) return 'X';
  for (let prev = ''; prev !== tag; ) {
    prev = tag;
    tag = tag.replace(/-(tl|hl|nc)$/, '');
  }
  const plus = tag.indexOf('+');
  if (plus > 0) tag = tag.slice(0, plus);
  if (tag.length > 1 && tag.endsWith('*')) tag = tag.slice(0, -1);
  const found = BROWN_TO_UNIVERSAL[tag] ?? (tag.endsWith('$') ? BROWN_TO_UNIVERSAL[tag.slice(0, -1)] : undefined);
  if (found === undefined) throw new ValueError(`toUniversalTag: unknown Brown tag '${brownTag}'`);
  return found;
}
