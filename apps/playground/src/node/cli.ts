import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultOutDir, intOption, recordExperiment, workspaceRoot } from '@elman/app-kit';
import { ValueError } from '@elman/core';
import { DEFAULT_SITE_DIR, buildSite } from './build.js';
import { loadPlaygroundData } from './data.js';
import { type E2eOutcome, runE2e } from './e2e.js';
import { type FullOutcome, runFull } from './full-run.js';
import { type StaticServer, serveStatic } from './server.js';
import { APP_ROOT } from './vite-config.js';

/** The `--help` text. */
export const HELP = `elman playground — train sequence models in the browser

Builds the playground page with Vite (a module Web Worker trains on Elman's WebAssembly backend), serves it on
localhost and prints the URL. In the page: pick a task (sine or US-births forecasting with an LSTM/GRU, a
character-level transformer on Moby Dick, attention seq2seq date normalisation), set hyperparameters, press Train;
watch the live loss chart, the forecast / sampled text / decoded dates with the attention heat map, and download the
weights as .safetensors.

Usage: pnpm demo playground [-- options]
  --port N     port to serve on (default 4173; 0 picks a free one)
  --quick      build, serve on a free port, drive headless Chromium (/usr/bin/chromium) through one training run,
               check that the loss falls and the download is a valid safetensors file, save a screenshot, exit
  --full       build, serve, and train every task in headless Chromium with the page's default settings (a few
               minutes); prints the table of what the page shows
  --out DIR    where --quick/--full put the screenshots (default: out/playground at the repository root)
  --record     with --quick or --full: append the measured figures to bench/results/experiments.jsonl
               (--quick --record also copies the screenshot to bench/playground.png for bench/RESULTS.md)
  --help       this text`;

/** The result of `--quick`: the browser run and where the screenshot went. */
export interface QuickOutcome {
  /** What the browser showed. */
  e2e: E2eOutcome;
  /** The screenshot's copy for bench/RESULTS.md (made by --record only), or null. */
  benchCopy: string | null;
}

/** What {@link runCli} started: nothing (`--help`), a server to keep running, or a finished quick check. */
export type CliOutcome =
  | { kind: 'help' }
  | { kind: 'serve'; server: StaticServer }
  | { kind: 'quick'; quick: QuickOutcome }
  | { kind: 'full'; full: FullOutcome };

/**
 * The playground's command line. Builds the page, then either serves it until the process is stopped (the server is
 * returned) or, with `--quick`, runs the end-to-end browser check and closes the server.
 */
export async function runCli(argv: string[], log: (line: string) => void = console.log): Promise<CliOutcome> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      out: { type: 'string' },
      quick: { type: 'boolean', default: false },
      full: { type: 'boolean', default: false },
      record: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    log(HELP);
    return { kind: 'help' };
  }
  if (values.quick && values.full) throw new ValueError('playground: choose one of --quick and --full');
  if (values.record && !values.quick && !values.full) throw new ValueError('playground: --record needs --quick or --full (it records a checked run)');
  const port = intOption('playground', 'port', values.port, values.quick || values.full ? 0 : 4173, 0);
  if (port > 65_535) throw new ValueError(`playground: --port must be at most 65535, got ${port}`);
  const out = values.out === undefined ? defaultOutDir('playground', import.meta.dirname) : resolve(values.out);
  log('Elman playground: building the page with Vite…');
  const seconds = await buildSite(DEFAULT_SITE_DIR);
  log(`built ${DEFAULT_SITE_DIR} in ${seconds.toFixed(1)} s`);
  const server = await serveStatic(DEFAULT_SITE_DIR, port);
  log(`serving the playground at ${server.url}`);
  if (!values.quick && !values.full) {
    log('open it in a browser; press Ctrl+C to stop');
    return { kind: 'serve', server };
  }
  if (values.full) {
    try {
      const full = await runFull({ url: server.url, outDir: out, log: (l) => log(`  ${l}`) });
      log('');
      log('| task | steps | initial loss | recent loss | throughput | held-out | seconds |');
      log('|---|---|---|---|---|---|---|');
      for (const r of full.runs) {
        log(`| ${r.cell ? `${r.task} (${r.cell})` : r.task} | ${r.steps} | ${r.initialLoss} | ${r.recentLoss} | ${r.throughput} | ${r.summary} | ${r.seconds.toFixed(1)} |`);
      }
      log(`backend ${full.backend}; screenshots in ${out}`);
      if (values.record) log(`recorded in ${recordFull(full)}`);
      return { kind: 'full', full };
    } finally {
      await server.close();
    }
  }
  try {
    const e2e = await runE2e({ url: server.url, outDir: out, datesSteps: DATES_STEPS, log: (l) => log(`  ${l}`) });
    // Only a recorded run replaces the committed screenshot, so `pnpm test` leaves the working tree clean.
    const benchCopy = values.record ? copyScreenshot(e2e.screenshot) : null;
    log('');
    log('| task | backend | steps | initial loss | recent loss | throughput | held-out |');
    log('|---|---|---|---|---|---|---|');
    log(`| sine (LSTM) | ${e2e.backend} | ${e2e.steps} | ${e2e.initialLoss} | ${e2e.recentLoss} | ${e2e.throughput} | ${e2e.sampleSummary} |`);
    if (e2e.dates) {
      log(`| dates (attention seq2seq) | ${e2e.backend} | ${DATES_STEPS} | ${e2e.dates.initialLoss} | ${e2e.dates.recentLoss} | | ${e2e.dates.summary} |`);
    }
    log('');
    log(`wrote ${e2e.screenshot}${benchCopy ? ` (copied to ${benchCopy})` : ''}`);
    log(`downloaded ${e2e.download.fileName}: ${e2e.download.bytes.byteLength} bytes, tensors ${Object.keys(e2e.header.tensors).join(', ')}`);
    if (!(e2e.recentLoss < e2e.initialLoss / 2)) throw new Error(`playground: the loss did not fall (${e2e.initialLoss} → ${e2e.recentLoss})`);
    if (values.record) log(`recorded in ${record(e2e)}`);
    return { kind: 'quick', quick: { e2e, benchCopy } };
  } finally {
    await server.close();
  }
}

/** Steps of the short dates run of `--quick` (it checks the heat map, not accuracy). */
const DATES_STEPS = 60;

/** Appends the sine run's held-out RMSE and the browser's training throughput to bench/results/experiments.jsonl. */
function record(e2e: E2eOutcome): string {
  const root = workspaceRoot(APP_ROOT);
  if (root === null) throw new ValueError('playground: --record needs the workspace (bench/results)');
  const rmse = /held-out RMSE ([\d.]+) vs seasonal-naive ([\d.]+)/.exec(e2e.sampleSummary);
  if (!rmse) throw new Error(`playground: no held-out RMSE in '${e2e.sampleSummary}'`);
  const command = 'pnpm demo playground -- --quick --record';
  const note = `headless Chromium, Web Worker, ${e2e.backend}; training MSE ${e2e.initialLoss} → ${e2e.recentLoss} in ${e2e.steps} steps; ${e2e.throughput} (loaded machine)`;
  const experiment = 'browser playground: sine forecasting (noise σ 0.05)';
  recordExperiment({ experiment, model: 'LSTM H=24', metric: 'held-out RMSE', value: Number(rmse[1]), baseline: `seasonal naive ${rmse[2]}`, command, note }, root);
  const stepsPerSecond = Number(/^([\d.]+) steps\/s/.exec(e2e.throughput)?.[1]);
  return recordExperiment({ experiment, model: 'LSTM H=24, B=32, T=25', metric: 'training steps/s in the browser', value: stepsPerSecond, baseline: '-', command, note }, root);
}

/** The char LM's reference: a uniform guess over the excerpt's characters, log2 V bits. */
function charBaseline(): string {
  const V = new Set(loadPlaygroundData().moby).size;
  return `uniform over its ${V} characters ${Math.log2(V).toFixed(2)}`;
}

/** The figure each task's summary line shows, as a learning-experiment record. */
const FULL_RECORDS: Record<string, { experiment: string; model: string; metric: string; pattern: RegExp; baseline: (m: RegExpExecArray) => string }> = {
  sine: {
    experiment: 'browser playground: sine forecasting (noise σ 0.05)',
    model: 'LSTM H=24, 150 steps',
    metric: 'held-out RMSE',
    pattern: /held-out RMSE ([\d.]+) vs seasonal-naive ([\d.]+)/,
    baseline: (m) => `seasonal naive ${m[2]}`,
  },
  births: {
    experiment: 'browser playground: US births 1969–1988, monthly',
    model: 'GRU H=24 on year-on-year changes, 200 steps',
    metric: 'held-out RMSE (births/month)',
    pattern: /held-out RMSE ([\d.]+) vs seasonal-naive ([\d.]+)/,
    baseline: (m) => `seasonal naive ${m[2]}`,
  },
  dates: {
    experiment: 'browser playground: date normalisation (7 formats)',
    model: 'BiLSTM + LSTM, Bahdanau attention, H=32, 300 steps',
    metric: 'held-out exact match (%)',
    pattern: /exact match ([\d.]+) %/,
    baseline: () => 'untrained 0',
  },
  charlm: {
    experiment: 'browser playground: char LM on Moby Dick ch. 1–10 (60k chars)',
    model: 'char-LSTM H=128, 300 steps',
    metric: 'held-out bits per character',
    pattern: /held-out ([\d.]+) bits per character/,
    baseline: charBaseline,
  },
  'charlm-transformer': {
    experiment: 'browser playground: char LM on Moby Dick ch. 1–10 (60k chars)',
    model: 'CausalLM d=64, 2 layers, 4 heads, 300 steps',
    metric: 'held-out bits per character',
    pattern: /held-out ([\d.]+) bits per character/,
    baseline: charBaseline,
  },
};

/** Appends one record per task of a `--full` run. */
function recordFull(full: FullOutcome): string {
  const root = workspaceRoot(APP_ROOT);
  if (root === null) throw new ValueError('playground: --record needs the workspace (bench/results)');
  let file = '';
  for (const r of full.runs) {
    const spec = FULL_RECORDS[r.cell ? `${r.task}-${r.cell}` : r.task];
    const m = spec?.pattern.exec(r.summary);
    if (!spec || !m) throw new Error(`playground: no figure for ${r.task} in '${r.summary}'`);
    const note = `headless Chromium, Web Worker, ${full.backend}; training loss ${r.initialLoss} → ${r.recentLoss}; ${r.throughput}; ${r.seconds.toFixed(0)} s (loaded machine)`;
    file = recordExperiment(
      { experiment: spec.experiment, model: spec.model, metric: spec.metric, value: Number(m[1]), baseline: spec.baseline(m), command: 'pnpm demo playground -- --full --record', note },
      root,
    );
  }
  return file;
}

/** Copies the screenshot to `bench/playground.png`, where bench/RESULTS.md shows it. */
function copyScreenshot(file: string): string | null {
  const root = workspaceRoot(APP_ROOT);
  if (root === null) return null;
  const target = join(root, 'bench', 'playground.png');
  mkdirSync(join(root, 'bench'), { recursive: true });
  copyFileSync(file, target);
  return target;
}
