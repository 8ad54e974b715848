import { intOption, numberOption, parseAppArgs, recordAppExperiments } from '@elman/app-kit';
import { getBackend } from '@elman/core';
import { type ExperimentResult, runExperiment } from './experiment.js';
import { formatTable, writePictures } from './report.js';

/** The `--help` text. */
export const HELP = `elman sentiment — many-to-one BiLSTM sentiment classifier

Trains Embedding → bidirectional LSTM (final states of both directions) → Linear on the 3 × 1,000 labelled review
sentences of the sentiment package (IMDB, Amazon, Yelp; Kotzias et al. 2015), holds out a stratified, seeded 20 %
and reports held-out accuracy against the majority-class baseline, per source, with the confusion matrix.

Usage: pnpm demo sentiment [-- options]
  --epochs N     passes over the training sentences (default 12; --quick uses 4)
  --hidden N     LSTM hidden units per direction (default 64; --quick uses 32)
  --embed N      embedding width (default 64; --quick uses 32)
  --min-count N  words seen fewer times in training become <unk> (default 1)
  --test F       held-out fraction (default 0.2)
  --seed N       seed of the split, weights and shuffling (default 1)
  --out DIR      where the SVG pictures go (default: out/sentiment at the repository root)
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
 * the pictures, and with `--record` appends the figure to the experiments file. Returns null after `--help`.
 */
export async function runCli(argv: string[], log: (line: string) => void = console.log): Promise<CliOutcome | null> {
  const args = parseAppArgs(
    { name: 'sentiment', help: HELP, options: ['epochs', 'hidden', 'embed', 'min-count', 'test', 'seed'], dir: import.meta.dirname },
    argv,
    log,
  );
  if (args === null) return null;
  const { values, quick, out } = args;
  const options = {
    epochs: intOption('sentiment', 'epochs', values.epochs, quick ? 4 : 12),
    hiddenSize: intOption('sentiment', 'hidden', values.hidden, quick ? 32 : 64),
    embeddingDim: intOption('sentiment', 'embed', values.embed, quick ? 32 : 64),
    minCount: intOption('sentiment', 'min-count', values['min-count'], 1),
    testFraction: numberOption('sentiment', 'test', values.test, 0.2, 0.05, 0.5),
    seed: intOption('sentiment', 'seed', values.seed, 1, 0),
  };
  log(`Elman sentiment: BiLSTM H=${options.hiddenSize} E=${options.embeddingDim}, ${options.epochs} epochs, backend ${getBackend().name}`);
  const result = await runExperiment({ ...options, onProgress: (line) => log(`  ${line}`) });
  log(`\n${formatTable(result)}\n`);
  const pictures = writePictures(result, out);
  for (const path of pictures) log(`wrote ${path}`);
  log(`trained in ${result.seconds.toFixed(1)} s`);
  if (args.record) {
    const file = recordAppExperiments('sentiment', import.meta.dirname, [
      {
        experiment: 'many-to-one sentiment (sentiment pkg IMDB/Amazon/Yelp, 20% stratified held out)',
        model: `BiLSTM E=${options.embeddingDim} H=${options.hiddenSize}, ${options.epochs} epochs`,
        metric: 'held-out accuracy',
        value: Number(result.accuracy.toFixed(4)),
        baseline: `majority class ${result.majorityAccuracy.toFixed(3)}`,
        command: args.command,
        note: `${result.trainSize} train / ${result.testSize} held-out sentences, vocab ${result.vocabSize}, ${result.seconds.toFixed(0)} s training on ${getBackend().name}`,
      },
    ]);
    log(`recorded in ${file}`);
  }
  return { result, pictures };
}
