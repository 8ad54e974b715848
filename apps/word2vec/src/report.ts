import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PALETTE, scatterChart, textTable } from '@elman/app-kit';
import type { ExperimentResult } from './experiment.js';
import { TOPICS } from './topics.js';

/** The results as text: a summary table, each model's nearest neighbours, and analogy accuracy per section. */
export function formatReport(result: ExperimentResult): string {
  const { corpus } = result;
  const parts = [
    `State of the Union ${corpus.years[0]}–${corpus.years[1]}: ${corpus.addresses} addresses, ${corpus.words} words, ${result.epochs} epochs;`,
    'similarity = cosine after removing the mean vector; analogies = 3CosAdd top-1 (question words excluded).',
    '',
    textTable({
      header: ['model', 'vocabulary', 'k words/s', 'topic pairs', 'random pairs', 'margin', 'analogies', 'PCA var'],
      rows: result.models.map((m) => [
        m.architecture,
        String(m.vocabulary),
        (m.wordsPerSecond / 1000).toFixed(0),
        m.margin.topical,
        m.margin.random,
        m.margin.topical - m.margin.random,
        `${m.analogies.correct}/${m.analogies.total}`,
        m.explained,
      ]),
    }),
  ];
  for (const m of result.models) {
    parts.push('', `${m.architecture}: nearest neighbours`);
    for (const n of m.neighbours) parts.push(`  ${n.word.padEnd(10)} ${n.nearest.map((s) => `${s.word} ${s.similarity.toFixed(2)}`).join(', ')}`);
    parts.push(`${m.architecture}: analogies ${m.analogies.sections.map((s) => `${s.section} ${s.correct}/${s.total}`).join(', ')}`);
  }
  return parts.join('\n');
}

/** Writes `pca-<architecture>.svg` (the topic words on their first two principal components) per model; returns the paths. */
export function writePictures(result: ExperimentResult, outDir: string): string[] {
  mkdirSync(outDir, { recursive: true });
  return result.models.map((m) => {
    const svg = scatterChart({
      title: `${m.architecture === 'cbow' ? 'CBOW' : 'Skip-gram'} vectors of topic words, first two principal components`,
      xLabel: 'principal component 1',
      yLabel: 'principal component 2',
      groups: Object.keys(TOPICS).map((topic, k) => ({
        label: topic,
        color: PALETTE[k % PALETTE.length]!,
        points: m.projection.filter((p) => p.topic === topic).map((p) => ({ x: p.x, y: p.y, text: p.word })),
      })),
    });
    const path = join(outDir, `pca-${m.architecture}.svg`);
    writeFileSync(path, svg);
    return path;
  });
}
