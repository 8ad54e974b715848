import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultOutDir, intOption, listOption, recordExperiment, workspaceRoot } from '@elman/app-kit';
import { ValueError } from '@elman/core';
import { type Architecture, type ExperimentResult, runExperiment } from './experiment.js';
import { formatReport, writePictures } from './report.js';

/** The architectures `--arch` chooses from (default both). */
const ARCHITECTURES: readonly Architecture[] = ['cbow', 'skipgram'];

/** The `--help` text. */
export const HELP = `elman word2vec — CBOW and skip-gram word vectors on the State of the Union corpus

Trains word2vec (Mikolov et al. 2013; @elman/text, the original tool's semantics, Hogwild worker threads) on the
State of the Union addresses and shows what the vectors learned: topic words nearer each other than random pairs,
nearest neighbours, 3CosAdd analogies (country–adjective, gender, plural) and a 2-D PCA picture of topic words.

Usage: pnpm demo word2vec [-- options]
  --from YEAR     use the addresses from YEAR on (default 1790, all 1.8 M words; --quick uses 1960)
  --epochs N      passes over the corpus (default 5; --quick uses 3)
  --size N        vector size (default 100; --quick uses 50)
  --workers N     training threads per model (default 2)
  --arch LIST     cbow, skipgram or cbow,skipgram (default both)
  --out DIR       where the SVG pictures go (default: out/word2vec at the repository root)
  --record        append the figures to bench/results/experiments.jsonl
  --quick         a short run (well under a minute)
  --help          this text`;

/** What {@link runCli} produced: the measurements and the pictures written (null after `--help`). */
export interface CliOutcome {
  /** The experiment's measurements. */
  result: ExperimentResult;
  /** Paths of the SVG files written. */
  pictures: string[];
}

/**
 * The demo's command line: parses `argv`, trains and evaluates, prints progress and the report through `log`, writes
 * the pictures, and with `--record` appends the figures to `bench/results/experiments.jsonl`. Null after `--help`.
 */
export async function runCli(argv: string[], log: (line: string) => void = console.log): Promise<CliOutcome | null> {
  const { values } = parseArgs({
    args: argv,
    options: {
      from: { type: 'string' },
      epochs: { type: 'string' },
      size: { type: 'string' },
      workers: { type: 'string' },
      arch: { type: 'string' },
      out: { type: 'string' },
      record: { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    log(HELP);
    return null;
  }
  const q = values.quick;
  const options = {
    fromYear: intOption('word2vec', 'from', values.from, q ? 1960 : 1790, 0),
    epochs: intOption('word2vec', 'epochs', values.epochs, q ? 3 : 5, 1),
    vectorSize: intOption('word2vec', 'size', values.size, q ? 50 : 100, 2),
    workers: intOption('word2vec', 'workers', values.workers, 2, 1),
    architectures: listOption('word2vec', 'arch', values.arch, ARCHITECTURES, 'architecture'),
  };
  const out = values.out === undefined ? defaultOutDir('word2vec', import.meta.dirname) : resolve(values.out);
  log(`Elman word2vec: ${options.architectures.join(' and ')}, ${options.vectorSize}-d vectors, ${options.workers} worker${options.workers > 1 ? 's' : ''}`);
  const started = performance.now();
  const result = await runExperiment({ ...options, onProgress: (line) => log(`  ${line}`) });
  log(`\n${formatReport(result)}\n`);
  const pictures = writePictures(result, out);
  for (const path of pictures) log(`wrote ${path}`);
  log(`${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (values.record) {
    const root = workspaceRoot(import.meta.dirname);
    if (root === null) throw new ValueError('word2vec: --record needs the Elman workspace (bench/results) above the app');
    const rest = argv.filter((a) => a !== '--record');
    const command = rest.length > 0 ? `pnpm demo word2vec -- ${rest.join(' ')}` : 'pnpm demo word2vec';
    const experiment = `word2vec on State of the Union ${result.corpus.years[0]}–${result.corpus.years[1]} (${(result.corpus.words / 1e6).toFixed(2)} M words)`;
    for (const m of result.models) {
      const model = `${m.architecture} D=${options.vectorSize}, ${result.epochs} epochs, ${options.workers} workers`;
      const note = `${(m.wordsPerSecond / 1000).toFixed(0)} k words/s, loaded machine`;
      recordExperiment(
        { experiment, model, metric: 'topic-pair minus random-pair centred cosine', value: Number((m.margin.topical - m.margin.random).toFixed(4)), baseline: 'random pairs 0 margin', command, note: `topic ${m.margin.topical.toFixed(3)}, random ${m.margin.random.toFixed(3)}; ${note}` },
        root,
      );
      const file = recordExperiment(
        { experiment, model, metric: '3CosAdd analogy accuracy (app questions)', value: Number(m.analogies.accuracy.toFixed(4)), baseline: `chance ≈ 1/${m.vocabulary}`, command, note: `${m.analogies.correct}/${m.analogies.total}: ${m.analogies.sections.map((s) => `${s.section} ${s.correct}/${s.total}`).join(', ')}; ${note}` },
        root,
      );
      log(`recorded ${m.architecture} in ${file}`);
    }
  }
  return { result, pictures };
}
