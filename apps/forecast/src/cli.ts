import { type ExperimentRecord, intOption, parseAppArgs, recordAppExperiments } from '@elman/app-kit';
import { ValueError, getBackend } from '@elman/core';
import { birthsSeries, co2Series } from './data.js';
import { MODELS, type SeriesResult, forecastSeries } from './experiment.js';
import { formatTable, writePictures } from './report.js';

/** The `--help` text. */
export const HELP = `elman forecast — LSTM vs GRU vs seasonal naive on two real series

Runs the full time-series pipeline (load → chronological 70/15/15 split → MinMax scaling on the training part →
sliding windows → train with early stopping → predict → inverse transform) on the daily US births 1969–1988
(CDC/NCHS) and the monthly Mauna Loa CO₂ series, and compares one-step forecasts of the test period (the last 15 %)
by an LSTM, a GRU and three baselines: seasonal naive (same weekday last week for births, same month last year for
CO₂), last value and training mean. RMSE/MAE in each series' units; plots of predictions against the truth.

Usage: pnpm demo forecast [-- options]
  --series S     births, co2 or both (default both)
  --epochs N     maximum epochs per model (default: births 30, co2 150; --quick: births 12, co2 40)
  --hidden N     LSTM/GRU hidden units (default 32)
  --seed N       seed of weights and shuffling (default 1)
  --out DIR      where the SVG pictures go (default: out/forecast at the repository root)
  --record       append the test RMSEs to bench/results/experiments.jsonl
  --quick        a short run (well under a minute)
  --help         this text`;

/** What {@link runCli} produced (null after `--help`). */
export interface CliOutcome {
  /** One result per series, births first. */
  results: SeriesResult[];
  /** Paths of the SVG files written. */
  pictures: string[];
}

/** Per-series settings: windows of four weeks of days and two years of months; CO₂'s few windows need more epochs. */
const SETTINGS = {
  births: { load: birthsSeries, window: 28, epochs: 30, quickEpochs: 12, patience: 5 },
  co2: { load: co2Series, window: 24, epochs: 150, quickEpochs: 40, patience: 15 },
} as const;

/**
 * The app's command line: parses `argv`, runs the pipeline on each series, prints progress and the table through
 * `log`, writes the pictures, and with `--record` appends the figures to the experiments file. Null after `--help`.
 */
export async function runCli(argv: string[], log: (line: string) => void = console.log): Promise<CliOutcome | null> {
  const args = parseAppArgs({ name: 'forecast', help: HELP, options: ['series', 'epochs', 'hidden', 'seed'], dir: import.meta.dirname }, argv, log);
  if (args === null) return null;
  const { values, quick, out } = args;
  const series = values.series ?? 'both';
  const names = series === 'both' ? (['births', 'co2'] as const) : ([series] as const);
  for (const name of names) {
    if (name !== 'births' && name !== 'co2') throw new ValueError(`forecast: --series must be births, co2 or both, got '${name}'`);
  }
  const hiddenSize = intOption('forecast', 'hidden', values.hidden, 32);
  const seed = intOption('forecast', 'seed', values.seed, 1, 0);
  const epochsOption = intOption('forecast', 'epochs', values.epochs, 0, 1);
  log(`Elman forecast: ${MODELS.join(' and ')} H=${hiddenSize} vs baselines on ${names.join(', ')}, backend ${getBackend().name}`);
  const results: SeriesResult[] = [];
  for (const name of names as readonly ('births' | 'co2')[]) {
    const s = SETTINGS[name];
    const epochs = epochsOption > 0 ? epochsOption : quick ? s.quickEpochs : s.epochs;
    results.push(await forecastSeries(s.load(), { window: s.window, epochs, patience: s.patience, hiddenSize, seed, onProgress: (l) => log(`  ${l}`) }));
  }
  log(`\n${formatTable(results)}\n`);
  const pictures = writePictures(results, out);
  for (const path of pictures) log(`wrote ${path}`);
  if (args.record) {
    const records: ExperimentRecord[] = [];
    for (const r of results) {
      const naive = r.errors['seasonal naive']!;
      for (const kind of MODELS) {
        const run = r.runs[kind]!;
        records.push({
          experiment: `${r.name} one-step forecast, test = last 15 % (${r.sizes.test} steps)`,
          model: `${kind} H=${hiddenSize}, window ${r.window}`,
          metric: `test RMSE (${r.units})`,
          value: Number(r.errors[kind]!.rmse.toFixed(4)),
          baseline: `seasonal naive (lag ${r.period}) ${naive.rmse.toFixed(4)}`,
          command: args.command,
          note: `MAE ${r.errors[kind]!.mae.toFixed(3)} vs ${naive.mae.toFixed(3)}; ${run.trainLoss.length} of at most ${r.maxEpochs} epochs (early stopping on validation loss), ${run.seconds.toFixed(0)} s on ${getBackend().name}`,
        });
      }
    }
    log(`recorded in ${recordAppExperiments('forecast', import.meta.dirname, records)}`);
  }
  return { results, pictures };
}
