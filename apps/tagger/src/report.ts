import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { barChart, heatMap, textTable } from '@elman/app-kit';
import type { ExperimentResult } from './experiment.js';
import { UNIVERSAL_TAGS } from './universal-tags.js';

/** The results tables: overall and unseen-word accuracy, then accuracy per tag, BiLSTM against the baselines. */
export function formatTable(r: ExperimentResult): string {
  const overall = textTable({
    header: ['tagger', 'token accuracy', `unseen words (${r.unseenTokens})`],
    rows: [
      ['BiLSTM', r.model.accuracy, r.model.unseenAccuracy],
      ['most frequent tag per word', r.baseline.accuracy, r.baseline.unseenAccuracy],
      ['majority tag (NOUN)', r.majorityAccuracy, Number.NaN],
    ],
    digits: 4,
  });
  const perTag = textTable({
    header: ['tag', 'tokens', 'BiLSTM', 'most frequent tag'],
    rows: UNIVERSAL_TAGS.map((tag, t) => [
      tag,
      String(r.model.confusion[t]!.reduce((a, b) => a + b, 0)),
      r.model.perTag[t]!,
      r.baseline.perTag[t]!,
    ]),
  });
  return `Held-out: ${r.testSentences} sentences, ${r.testTokens} tokens\n${overall}\n\nAccuracy per tag:\n${perTag}`;
}

/** Writes the per-tag accuracy bars and the BiLSTM's confusion heat map; returns the paths. */
export function writePictures(r: ExperimentResult, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const files: [string, string][] = [
    [
      'per-tag-accuracy.svg',
      barChart({
        title: `Brown POS tagging, held-out accuracy per universal tag (${r.testTokens} tokens)`,
        yLabel: 'token accuracy',
        categories: [...UNIVERSAL_TAGS],
        series: [
          { label: `BiLSTM ${(100 * r.model.accuracy).toFixed(1)}%`, values: r.model.perTag },
          { label: `most frequent ${(100 * r.baseline.accuracy).toFixed(1)}%`, values: r.baseline.perTag },
        ],
        yMax: 1,
        width: 860,
      }),
    ],
    [
      'confusion.svg',
      heatMap({
        title: 'BiLSTM tagger: held-out confusion (row-normalised shading)',
        rowLabels: [...UNIVERSAL_TAGS],
        colLabels: [...UNIVERSAL_TAGS],
        values: r.model.confusion,
        rowTitle: 'true tag',
        colTitle: 'predicted tag',
        normalizeRows: true,
        cell: 46,
      }),
    ],
  ];
  return files.map(([name, svg]) => {
    const path = join(dir, name);
    writeFileSync(path, svg);
    return path;
  });
}
