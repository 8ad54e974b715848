import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ChartSeries, heatMap, lineChart, textTable } from '@elman/app-kit';
import type { RunResult } from './experiment.js';

/** The results table: one row per run. */
export function formatTable(runs: readonly RunResult[]): string {
  return textTable({
    header: ['task', 'model', 'params', 'epochs', 'train s', 'ex/s', 'EM before', 'exact match', 'WER', 'PER/CER', 'year align'],
    rows: runs.map((r) => [
      r.config.task,
      r.config.model,
      String(r.params),
      String(r.epochs),
      r.seconds.toFixed(0),
      r.examplesPerSecond.toFixed(0),
      r.initialExactMatch,
      r.exactMatch,
      r.wer,
      r.per,
      r.yearAlignment ?? Number.NaN,
    ]),
  });
}

/** A few decoded held-out examples per run, as text. */
export function formatExamples(runs: readonly RunResult[]): string {
  const sep = (r: RunResult) => (r.config.task === 'g2p' ? ' ' : '');
  return runs
    .flatMap((r) => [
      `${r.config.task} / ${r.config.model}:`,
      ...r.examples.map((e) => `  ${e.source.padEnd(28)} → ${e.predicted.join(sep(r)).padEnd(24)} (reference ${e.reference.join(sep(r))})`),
    ])
    .join('\n');
}

/** Writes, per run, the attention heat map of its first held-out example, and per task the loss curves; returns the paths. */
export function writePictures(runs: readonly RunResult[], dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const files: [string, string][] = [];
  for (const r of runs) {
    const e = r.examples[0];
    if (e === undefined) continue;
    const what = r.config.model === 'seq2seq' ? 'Bahdanau attention' : `transformer cross-attention, last layer, head ${e.head}`;
    files.push([
      `attention-${r.config.task}-${r.config.model}.svg`,
      heatMap({
        title: `${r.config.task}: ${what} for “${e.source}”`,
        values: e.attention,
        rowLabels: [...e.predicted, '</s>'].slice(0, e.attention.length),
        colLabels: [...e.source].map((c) => (c === ' ' ? '␣' : c)),
        rowTitle: 'output',
        colTitle: 'input',
        cellText: () => '',
        cell: 20,
      }),
    ]);
  }
  for (const task of new Set(runs.map((r) => r.config.task))) {
    const series: ChartSeries[] = runs
      .filter((r) => r.config.task === task)
      .flatMap((r) => {
        const x = r.loss.map((_, i) => i + 1);
        return [
          { label: `${r.config.model} train`, x, y: r.loss },
          { label: `${r.config.model} held-out`, x, y: r.valLoss, dashed: true },
        ];
      });
    files.push([`loss-${task}.svg`, lineChart({ title: `${task}: cross-entropy per epoch`, xLabel: 'epoch', yLabel: 'cross-entropy (nats / token)', logY: true, series })]);
  }
  return files.map(([name, svg]) => {
    const path = join(dir, name);
    writeFileSync(path, svg);
    return path;
  });
}
