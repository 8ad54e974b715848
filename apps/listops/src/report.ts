import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PALETTE, barChart, lineChart } from '@elman/app-kit';
import { type ExperimentResult, MODEL_KINDS, type ModelKind } from './experiment.js';

const COLORS: Record<ModelKind, string> = { TreeLSTM: PALETTE[2]!, BiLSTM: PALETTE[0]!, Transformer: PALETTE[1]! };

const pct = (v: number): string => (Number.isFinite(v) ? `${(100 * v).toFixed(1)}` : '–');

/** The result as a plain-text table: per model the held-out accuracy overall and at every depth (in %). */
export function formatTable(result: ExperimentResult): string {
  const depths = result.depthCounts.map((_, d) => d).filter((d) => result.depthCounts[d]! > 0);
  const header = ['model', 'params', 'epochs', 'seconds', 'accuracy %', ...depths.map((d) => `depth ${d}`)];
  const rows = [
    ...result.models.map((m) => [
      m.kind,
      String(m.parameters),
      String(m.epochs),
      m.seconds.toFixed(0),
      pct(m.accuracy),
      ...depths.map((d) => pct(m.accuracyByDepth[d] ?? Number.NaN)),
    ]),
    ['majority', '0', '', '0', pct(result.majority), ...depths.map(() => '')],
    ['(examples)', '', '', '', String(result.testSize), ...depths.map((d) => String(result.depthCounts[d]))],
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [
    `ListOps, depth ≤ ${result.maxDepth}: ${result.trainSize} training / ${result.testSize} held-out expressions;`,
    'held-out accuracy (%) overall and by nesting depth; majority = always the most frequent training value.',
    '',
    line(header),
    ...rows.map(line),
  ].join('\n');
}

/**
 * Writes `accuracy-by-depth.svg` (bars of held-out accuracy per depth and overall, with the majority baseline) and
 * `learning-curves.svg` (held-out accuracy after every epoch) into `outDir`; returns their paths.
 */
export function writePictures(result: ExperimentResult, outDir: string): string[] {
  mkdirSync(outDir, { recursive: true });
  const order = (k: ModelKind): number => MODEL_KINDS.indexOf(k);
  const models = [...result.models].sort((a, b) => order(a.kind) - order(b.kind));
  const depths = result.depthCounts.map((_, d) => d).filter((d) => result.depthCounts[d]! > 0);
  const baseline = { label: 'majority', color: '#777777', dashed: true };
  const charts: Record<string, string> = {
    'accuracy-by-depth.svg': barChart({
      title: `ListOps held-out accuracy by nesting depth (${result.trainSize} training expressions)`,
      yLabel: 'accuracy',
      categories: [...depths.map((d) => `depth ${d} (${result.depthCounts[d]})`), `all (${result.testSize})`],
      series: [
        ...models.map((m) => ({ label: m.kind, values: [...depths.map((d) => m.accuracyByDepth[d]!), m.accuracy], color: COLORS[m.kind] })),
        { label: 'majority', values: [...depths.map(() => Number.NaN), result.majority], color: '#777777' },
      ],
      yMax: 1,
      width: 860,
    }),
    'learning-curves.svg': lineChart({
      title: 'ListOps held-out accuracy after each epoch',
      xLabel: 'epoch',
      yLabel: 'accuracy',
      series: [
        ...models.map((m) => ({ label: m.kind, x: m.epochAccuracy.map((_, i) => i + 1), y: m.epochAccuracy, color: COLORS[m.kind] })),
        { ...baseline, x: [1, result.epochs], y: [result.majority, result.majority] },
      ],
    }),
  };
  return Object.entries(charts).map(([name, svg]) => {
    const path = join(outDir, name);
    writeFileSync(path, svg);
    return path;
  });
}
