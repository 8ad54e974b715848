import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { assertWellFormedXml } from '@elman/app-kit';
import { ValueError } from '@elman/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliOutcome, HELP, runCli } from './cli.js';
import { TOPICS } from './topics.js';

describe('word2vec CLI options', () => {
  it('--help prints the usage and runs nothing', async () => {
    const lines: string[] = [];
    expect(await runCli(['--help'], (l) => lines.push(l))).toBeNull();
    expect(lines).toEqual([HELP]);
    expect(HELP).toMatch(/--quick/);
  });

  it('rejects bad options with a ValueError naming the option', async () => {
    await expect(runCli(['--epochs', '0'], () => {})).rejects.toThrow(ValueError);
    await expect(runCli(['--epochs', '0'], () => {})).rejects.toThrow(/--epochs must be an integer >= 1, got '0'/);
    await expect(runCli(['--arch', 'glove'], () => {})).rejects.toThrow(/unknown architecture 'glove'/);
  });
});

// Word2Vec trains on its own flat-array kernel, not the tensor backends, so this runs once. One worker keeps the run
// deterministic (Hogwild threads are not).
describe('word2vec --quick (State of the Union 1960–2021)', () => {
  const out = mkdtempSync(join(tmpdir(), 'elman-word2vec-'));
  const lines: string[] = [];
  let outcome: CliOutcome;
  // About 20–40 s of CPU; the generous bound is for a shared, loaded machine (seen > 5 min wall time under load).
  beforeAll(async () => {
    const run = await runCli(['--quick', '--workers', '1', '--out', out], (l) => lines.push(l));
    if (!run) throw new Error('runCli returned null for --quick');
    outcome = run;
  }, 600_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('trains both architectures on the real corpus and prints progress and the report', () => {
    const { corpus, models } = outcome.result;
    expect(corpus.years).toEqual([1960, 2021]);
    expect(corpus.words).toBeGreaterThan(300_000);
    expect(models.map((m) => m.architecture)).toEqual(['cbow', 'skipgram']);
    expect(lines.some((l) => /cbow: epoch 3\/3 +100\.0%/.test(l))).toBe(true);
    expect(lines.some((l) => /topic pairs .* vs random pairs/.test(l))).toBe(true);
    expect(lines.some((l) => l.includes('\ncbow: analogies country-adjective'))).toBe(true);
  });

  it('learns topics: topic words are clearly nearer each other than random pairs of frequent words', () => {
    // Measured (seed 1, one worker): CBOW 0.45 vs 0.18, skip-gram 0.55 vs 0.07.
    for (const m of outcome.result.models) expect(m.margin.topical - m.margin.random).toBeGreaterThan(0.15);
  });

  it('finds sensible neighbours and solves some analogies (far above chance ≈ 1/vocabulary)', () => {
    for (const m of outcome.result.models) {
      const congress = m.neighbours.find((n) => n.word === 'congress');
      expect(congress?.nearest.map((s) => s.word)).toContain('senate');
      expect(m.analogies.total).toBeGreaterThan(100);
      expect(m.analogies.accuracy).toBeGreaterThan(0.05);
    }
  });

  it('writes a well-formed PCA scatter plot per model with every topic word', () => {
    expect(outcome.pictures.map((p) => basename(p))).toEqual(['pca-cbow.svg', 'pca-skipgram.svg']);
    for (const path of outcome.pictures) {
      const svg = readFileSync(path, 'utf8');
      expect(assertWellFormedXml(svg, 'svg')).toBeGreaterThan(40);
      for (const w of ['tax', 'army', 'japan', 'schools', 'january']) expect(svg).toContain(`>${w}</text>`);
      for (const topic of Object.keys(TOPICS)) expect(svg).toContain(`>${topic}</text>`);
    }
  });
});
