import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { intOption, listOption, numberOption, parseAppArgs, recordAppExperiments } from '@elman/app-kit';
import { ValueError, getBackend } from '@elman/core';
import { type ExperimentResult, MODEL_KINDS, runExperiment } from './experiment.js';
import { formatTable, writePictures } from './report.js';

/** The `--help` text. */
export const HELP = `elman listops — tree LSTM vs BiLSTM vs transformer on generated ListOps

Generates ListOps expressions (Nangia & Bowman 2018: MAX, MIN, MED, SM over digits, 2–5 arguments, nested up to a
depth), trains a ChildSumTreeLSTM on the gold trees (Tai et al. 2015), a flat BiLSTM and a transformer encoder on the
token sequence, and reports held-out accuracy overall and by depth against the majority-class baseline.

Usage: pnpm demo listops [-- options]
  --train N       training expressions (default 20000; --quick uses 3000)
  --test N        held-out expressions (default 2000; --quick uses 500)
  --depth N       maximum nesting depth (default 6; --quick uses 3)
  --epochs N      epochs per model (default 10; --quick uses 8)
  --hidden N      hidden units / model width (default 64; --quick uses 32)
  --lr X          Adam learning rate (default 1e-2, cosine-decayed to a tenth)
  --models LIST   comma-separated subset of ${MODEL_KINDS.join(',')} (default all)
  --seed N        seed of data and weights (default 1)
  --out DIR       where the SVG pictures and result.json go (default: out/listops at the repository root)
  --merge FILES   no training: table and pictures of earlier runs' result.json files (comma-separated), e.g.
                  of one run per model run side by side
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

/** One result from runs on the same data with different models; throws a ValueError when their data differ. */
export function mergeResults(parts: readonly ExperimentResult[]): ExperimentResult {
  const [first, ...rest] = parts;
  if (!first) throw new ValueError('listops: --merge needs at least one result.json');
  const key = (r: ExperimentResult): string => `${r.trainSize}/${r.testSize}/${r.maxDepth}/${r.majority}`;
  for (const r of rest) {
    if (key(r) !== key(first)) throw new ValueError(`listops: --merge: runs differ in train/test/depth: ${key(first)} vs ${key(r)}`);
  }
  // Results written before models carried their epoch count take the run's.
  const models = parts.flatMap((r) => r.models.map((m) => ({ ...m, epochs: m.epochs ?? r.epochs })));
  return { ...first, epochs: Math.max(...models.map((m) => m.epochs)), models };
}

/**
 * The demo's command line: parses `argv`, runs the experiment on the active backend, prints progress and the table
 * through `log`, writes the pictures, and with `--record` appends the figures to `bench/results/experiments.jsonl`.
 * Returns null after `--help`.
 */
export async function runCli(argv: string[], log: (line: string) => void = console.log): Promise<CliOutcome | null> {
  const args = parseAppArgs(
    {
      name: 'listops',
      help: HELP,
      options: ['train', 'test', 'depth', 'epochs', 'hidden', 'lr', 'models', 'seed', 'merge'],
      dir: import.meta.dirname,
    },
    argv,
    log,
  );
  if (args === null) return null;
  const { values, out } = args;
  if (values.merge !== undefined) {
    const result = mergeResults(values.merge.split(',').map((f) => JSON.parse(readFileSync(f.trim(), 'utf8')) as ExperimentResult));
    log(formatTable(result));
    const pictures = writePictures(result, out);
    for (const path of pictures) log(`wrote ${path}`);
    return { result, pictures };
  }
  const q = args.quick;
  const options = {
    trainSize: intOption('listops', 'train', values.train, q ? 3000 : 20_000, 10),
    testSize: intOption('listops', 'test', values.test, q ? 500 : 2000, 10),
    maxDepth: intOption('listops', 'depth', values.depth, q ? 3 : 6, 1),
    epochs: intOption('listops', 'epochs', values.epochs, q ? 8 : 10, 1),
    hiddenSize: intOption('listops', 'hidden', values.hidden, q ? 32 : 64, 4),
    lr: numberOption('listops', 'lr', values.lr, 1e-2, 1e-6, 1),
    seed: intOption('listops', 'seed', values.seed, 1, 0),
    models: listOption('listops', 'models', values.models, MODEL_KINDS, 'model'),
  };
  if (options.hiddenSize % 4 !== 0) throw new ValueError(`listops: --hidden must be a multiple of 4 (the transformer's heads), got ${options.hiddenSize}`);
  log(`Elman listops: ${options.models.join(' vs ')}, backend ${getBackend().name}`);
  const started = performance.now();
  const result = await runExperiment({ ...options, onProgress: (line) => log(`  ${line}`) });
  log(`\n${formatTable(result)}\n`);
  const pictures = writePictures(result, out);
  for (const path of pictures) log(`wrote ${path}`);
  writeFileSync(join(out, 'result.json'), `${JSON.stringify(result)}\n`);
  const seconds = (performance.now() - started) / 1000;
  log(`${seconds.toFixed(1)} s`);
  if (args.record) {
    for (const m of result.models) {
      const file = recordAppExperiments('listops', import.meta.dirname, [
        {
          experiment: `ListOps depth ≤ ${result.maxDepth} (${result.trainSize} train / ${result.testSize} held-out)`,
          model: `${m.kind} H=${options.hiddenSize}, ${result.epochs} epochs`,
          metric: 'held-out accuracy',
          value: Number(m.accuracy.toFixed(4)),
          baseline: `majority class ${result.majority.toFixed(3)}`,
          command: args.command,
          note: `by depth ${m.accuracyByDepth.map((a, d) => (Number.isFinite(a) ? `${d}:${a.toFixed(2)}` : '')).filter(Boolean).join(' ')}; ${m.seconds.toFixed(0)} s training, backend ${getBackend().name}, loaded machine`,
        },
      ]);
      log(`recorded ${m.kind} in ${file}`);
    }
  }
  return { result, pictures };
}
