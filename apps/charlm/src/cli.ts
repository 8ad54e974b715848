import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { intOption, listOption, numberOption, parseAppArgs, recordAppExperiments } from '@elman/app-kit';
import { ValueError, getBackend } from '@elman/core';
import { type ExperimentResult, MODEL_KINDS, runExperiment } from './experiment.js';
import { formatReport, writePictures } from './report.js';

/** The `--help` text. */
export const HELP = `elman charlm — character-level LSTM and transformer language models on Moby Dick

Trains a character LSTM with truncated BPTT (state carried between windows) and a decoder-only transformer on the
first 95 % of Moby Dick, scores held-out bits per character against the unigram baseline (≈ 4.4 bpc), prints
samples at temperatures 0.5, 0.8 and 1.0, and draws the loss curves.

Usage: pnpm demo charlm [-- options]
  --chars N       training characters (default all ≈ 1.15 M; --quick uses 120000)
  --held-out N    held-out characters scored (default all ≈ 61 k; --quick uses 20000)
  --epochs N      epochs over the training characters (default 1; --quick uses 2)
  --hidden N      LSTM hidden size (default 256; --quick uses 128)
  --d-model N     transformer width (default 128; --quick uses 64)
  --layers N      transformer layers (default 3; --quick uses 2)
  --seq N         characters per LSTM training sequence (default 128; --quick uses 64)
  --tbptt N       LSTM truncated-BPTT window (default 32)
  --context N     transformer context in characters (default 128; --quick uses 32)
  --dropout X     transformer dropout (default 0.1; --quick uses 0)
  --lstm-lr X     LSTM peak learning rate (default 1e-2)
  --tf-lr X       transformer peak learning rate (default 3e-3; --quick uses 1e-2)
  --models LIST   LSTM, Transformer or LSTM,Transformer (default both)
  --seed N        seed (default 1)
  --out DIR       where the SVG picture and result.json go (default: out/charlm at the repository root)
  --merge FILES   no training: report and picture of earlier runs' result.json files (comma-separated), e.g.
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

/** One result from runs on the same text with different models; throws a ValueError when their data differ. */
export function mergeResults(parts: readonly ExperimentResult[]): ExperimentResult {
  const [first, ...rest] = parts;
  if (!first) throw new ValueError('charlm: --merge needs at least one result.json');
  const key = (r: ExperimentResult): string => `${r.trainChars}/${r.heldOutChars}/${r.vocabSize}`;
  for (const r of rest) {
    if (key(r) !== key(first)) throw new ValueError(`charlm: --merge: runs differ in training/held-out characters: ${key(first)} vs ${key(r)}`);
  }
  return { ...first, models: parts.flatMap((r) => r.models) };
}

/**
 * The demo's command line: parses `argv`, trains on the active backend, prints progress, the table and the samples
 * through `log`, writes the picture, and with `--record` appends the figures to `bench/results/experiments.jsonl`.
 * Null after `--help`.
 */
export async function runCli(argv: string[], log: (line: string) => void = console.log): Promise<CliOutcome | null> {
  const args = parseAppArgs(
    {
      name: 'charlm',
      help: HELP,
      options: ['chars', 'held-out', 'epochs', 'hidden', 'd-model', 'layers', 'seq', 'tbptt', 'context', 'lstm-lr', 'tf-lr', 'dropout', 'models', 'seed', 'merge'],
      dir: import.meta.dirname,
    },
    argv,
    log,
  );
  if (args === null) return null;
  const { values, out } = args;
  if (values.merge !== undefined) {
    const result = mergeResults(values.merge.split(',').map((f) => JSON.parse(readFileSync(f.trim(), 'utf8')) as ExperimentResult));
    log(formatReport(result));
    const pictures = writePictures(result, out);
    for (const path of pictures) log(`wrote ${path}`);
    return { result, pictures };
  }
  const q = args.quick;
  const all = Number.MAX_SAFE_INTEGER;
  const options = {
    trainChars: intOption('charlm', 'chars', values.chars, q ? 120_000 : all, 1000),
    heldOutChars: intOption('charlm', 'held-out', values['held-out'], q ? 20_000 : all, 1000),
    epochs: intOption('charlm', 'epochs', values.epochs, q ? 2 : 1, 1),
    hiddenSize: intOption('charlm', 'hidden', values.hidden, q ? 128 : 256, 1),
    dModel: intOption('charlm', 'd-model', values['d-model'], q ? 64 : 128, 4),
    layers: intOption('charlm', 'layers', values.layers, q ? 2 : 3, 1),
    sequenceLength: intOption('charlm', 'seq', values.seq, q ? 64 : 128, 2),
    tbptt: intOption('charlm', 'tbptt', values.tbptt, 32, 1),
    context: intOption('charlm', 'context', values.context, q ? 32 : 128, 2),
    lstmLr: numberOption('charlm', 'lstm-lr', values['lstm-lr'], 1e-2, 1e-6, 1),
    transformerLr: numberOption('charlm', 'tf-lr', values['tf-lr'], q ? 1e-2 : 3e-3, 1e-6, 1),
    dropout: numberOption('charlm', 'dropout', values.dropout, q ? 0 : 0.1, 0, 0.9),
    seed: intOption('charlm', 'seed', values.seed, 1, 0),
    models: listOption('charlm', 'models', values.models, MODEL_KINDS, 'model'),
  };
  if (options.dModel % 4 !== 0) throw new ValueError(`charlm: --d-model must be a multiple of 4 (the heads), got ${options.dModel}`);
  log(`Elman charlm: ${options.models.join(' and ')} on Moby Dick, backend ${getBackend().name}`);
  const started = performance.now();
  const result = await runExperiment({ ...options, onProgress: (line) => log(`  ${line}`) });
  log(`\n${formatReport(result)}\n`);
  const pictures = writePictures(result, out);
  for (const path of pictures) log(`wrote ${path}`);
  writeFileSync(join(out, 'result.json'), `${JSON.stringify(result)}\n`);
  log(`${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (args.record) {
    for (const m of result.models) {
      const size =
        m.kind === 'LSTM'
          ? `H=${options.hiddenSize}, TBPTT ${options.tbptt}, lr ${options.lstmLr}`
          : `d=${options.dModel}, ${options.layers} layers, context ${options.context}, lr ${options.transformerLr}`;
      const file = recordAppExperiments('charlm', import.meta.dirname, [
        {
          experiment: `char LM on Moby Dick (${(result.trainChars / 1e6).toFixed(2)} M training chars, ${options.epochs} epoch${options.epochs > 1 ? 's' : ''})`,
          model: `${m.kind} ${size}, ${m.parameters} params`,
          metric: 'held-out bits per character',
          value: Number(m.bpc.toFixed(4)),
          baseline: `unigram ${result.unigramBpc.toFixed(3)} bpc`,
          command: args.command,
          note: `${m.seconds.toFixed(0)} s training, ${m.charsPerSecond.toFixed(0)} chars/s, backend ${getBackend().name}, loaded machine`,
        },
      ]);
      log(`recorded ${m.kind} in ${file}`);
    }
  }
  return { result, pictures };
}
