import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ChartSeries, PALETTE, lineChart, textTable } from '@elman/app-kit';
import { type ExperimentResult, MODEL_KINDS, type ModelKind } from './experiment.js';

const COLORS: Record<ModelKind, string> = { LSTM: PALETTE[0]!, Transformer: PALETTE[1]! };

/** The results as text: bits per character against the unigram baseline, then the samples of each model. */
export function formatReport(result: ExperimentResult): string {
  const parts = [
    `Moby Dick: ${result.trainChars} training / ${result.heldOutChars} held-out characters, alphabet of ${result.vocabSize};`,
    'held-out bits per character (lower is better); the unigram model ignores context.',
    '',
    textTable({
      header: ['model', 'params', 'seconds', 'chars/s', 'held-out bpc', 'vs unigram'],
      rows: [
        ...result.models.map((m) => [m.kind, String(m.parameters), m.seconds.toFixed(0), m.charsPerSecond.toFixed(0), m.bpc, `${(100 * (1 - m.bpc / result.unigramBpc)).toFixed(1)} % fewer bits`]),
        ['unigram', '–', '–', '–', result.unigramBpc, ''],
      ],
    }),
  ];
  for (const m of result.models) {
    parts.push('', `${m.kind} samples after the prompt ${JSON.stringify(result.prompt)}:`);
    for (const s of m.samples) parts.push(`  T = ${s.temperature.toFixed(1)}: ${JSON.stringify(s.text)}`);
  }
  return parts.join('\n');
}

/** Mean of each window of `k` consecutive values ending at i (so noisy per-update losses read as a trend). */
function runningMean(values: readonly number[], k: number): number[] {
  const out: number[] = [];
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i]!;
    if (i >= k) sum -= values[i - k]!;
    out.push(sum / Math.min(i + 1, k));
  }
  return out;
}

/** Writes `loss-curves.svg` (training bpc per update, held-out bpc per epoch, unigram baseline) into `outDir`; returns its path. */
export function writePictures(result: ExperimentResult, outDir: string): string[] {
  mkdirSync(outDir, { recursive: true });
  const order = (k: ModelKind): number => MODEL_KINDS.indexOf(k);
  const models = [...result.models].sort((a, b) => order(a.kind) - order(b.kind));
  const longest = Math.max(1, ...models.map((m) => m.stepBpc.length));
  const series: ChartSeries[] = [
    ...models.map((m) => ({
      label: `${m.kind} train`,
      x: m.stepBpc.map((_, i) => i + 1),
      y: runningMean(m.stepBpc, 20),
      color: COLORS[m.kind],
    })),
    ...models.map((m) => ({
      label: `${m.kind} held-out`,
      x: m.validation.map((v) => v.step),
      y: m.validation.map((v) => v.bpc),
      color: COLORS[m.kind],
      dashed: true,
    })),
    { label: 'unigram', x: [1, longest], y: [result.unigramBpc, result.unigramBpc], color: '#777777', dashed: true },
  ];
  const svg = lineChart({
    title: 'Character-level language models on Moby Dick',
    xLabel: 'update',
    yLabel: 'bits per character (running mean of 20 updates)',
    series,
  });
  const path = join(outDir, 'loss-curves.svg');
  writeFileSync(path, svg);
  return [path];
}
