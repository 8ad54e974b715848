import { intOption, listOption, parseAppArgs, recordAppExperiments } from '@elman/app-kit';
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
  const args = parseAppArgs({ name: 'word2vec', help: HELP, options: ['from', 'epochs', 'size', 'workers', 'arch'], dir: import.meta.dirname }, argv, log);
  if (args === null) return null;
  const { values, out } = args;
  const q = args.quick;
  const options = {
    fromYear: intOption('word2vec', 'from', values.from, q ? 1960 : 1790, 0),
    epochs: intOption('word2vec', 'epochs', values.epochs, q ? 3 : 5, 1),
    vectorSize: intOption('word2vec', 'size', values.size, q ? 50 : 100, 2),
    workers: intOption('word2vec', 'workers', values.workers, 2, 1),
    architectures: listOption('word2vec', 'arch', values.arch, ARCHITECTURES, 'architecture'),
  };
  log(`Elman word2vec: ${options.architectures.join(' and ')}, ${options.vectorSize}-d vectors, ${options.workers} worker${options.workers > 1 ? 's' : ''}`);
  const started = performance.now();
  const result = await runExperiment({ ...options, onProgress: (line) => log(`  ${line}`) });
  log(`\n${formatReport(result)}\n`);
  const pictures = writePictures(result, out);
  for (const path of pictures) log(`wrote ${path}`);
  log(`${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (args.record) {
    const command = args.command;
    const experiment = `word2vec on State of the Union ${result.corpus.years[0]}–${result.corpus.years[1]} (${(result.corpus.words / 1e6).toFixed(2)} M words)`;
    for (const m of result.models) {
      const model = `${m.architecture} D=${options.vectorSize}, ${result.epochs} epochs, ${options.workers} workers`;
      const note = `${(m.wordsPerSecond / 1000).toFixed(0)} k words/s, loaded machine`;
      const file = recordAppExperiments('word2vec', import.meta.dirname, [
        { experiment, model, metric: 'topic-pair minus random-pair centred cosine', value: Number((m.margin.topical - m.margin.random).toFixed(4)), baseline: 'random pairs 0 margin', command, note: `topic ${m.margin.topical.toFixed(3)}, random ${m.margin.random.toFixed(3)}; ${note}` },
        { experiment, model, metric: '3CosAdd analogy accuracy (app questions)', value: Number(m.analogies.accuracy.toFixed(4)), baseline: `chance ≈ 1/${m.vocabulary}`, command, note: `${m.analogies.correct}/${m.analogies.total}: ${m.analogies.sections.map((s) => `${s.section} ${s.correct}/${s.total}`).join(', ')}; ${note}` },
      ]);
      log(`recorded ${m.architecture} in ${file}`);
    }
  }
  return { result, pictures };
}
