import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { heatMap, lineChart, textTable } from '@elman/app-kit';
import { CLASSES, type ExperimentResult } from './experiment.js';

/** The results table: held-out accuracy of the BiLSTM (overall and per source) against the majority baseline. */
export function formatTable(r: ExperimentResult): string {
  const results = textTable({
    header: ['model', 'held-out accuracy', ...Object.keys(r.accuracyBySource)],
    rows: [
      ['BiLSTM', r.accuracy, ...Object.values(r.accuracyBySource)],
      ['majority class', r.majorityAccuracy, ...Object.keys(r.accuracyBySource).map(() => Number.NaN)],
    ],
  });
  const confusion = textTable({
    header: ['true \\ predicted', ...CLASSES],
    rows: CLASSES.map((name, i) => [name, ...r.confusion[i]!.map(String)]),
  });
  return `${results}\n\nConfusion matrix (held-out, ${r.testSize} sentences):\n${confusion}`;
}

/** Writes the confusion heat map and the learning curves; returns the paths. */
export function writePictures(r: ExperimentResult, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const epochs = r.trainLoss.map((_, i) => i + 1);
  const files: [string, string][] = [
    [
      'confusion.svg',
      heatMap({
        title: `BiLSTM sentiment: held-out confusion (accuracy ${(100 * r.accuracy).toFixed(1)}%)`,
        rowLabels: [...CLASSES],
        colLabels: [...CLASSES],
        values: r.confusion,
        rowTitle: 'true class',
        colTitle: 'predicted class',
        cell: 90,
      }),
    ],
    [
      'learning-curves.svg',
      lineChart({
        title: 'BiLSTM sentiment: loss and held-out accuracy',
        xLabel: 'epoch',
        yLabel: 'cross-entropy / accuracy',
        series: [
          { label: 'train loss', x: epochs, y: r.trainLoss },
          { label: 'held-out loss', x: epochs, y: r.testLoss },
          { label: 'held-out accuracy', x: epochs, y: r.testAccuracy },
          { label: 'majority baseline', x: [1, Math.max(2, epochs.length)], y: [r.majorityAccuracy, r.majorityAccuracy], dashed: true },
        ],
      }),
    ],
  ];
  return files.map(([name, svg]) => {
    const path = join(dir, name);
    writeFileSync(path, svg);
    return path;
  });
}
