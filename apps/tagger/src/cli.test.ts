import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { assertWellFormedXml } from '@elman/app-kit';
import { ValueError, getBackend, ready } from '@elman/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliOutcome, HELP, runCli } from './cli.js';
import { UNIVERSAL_TAGS } from './universal-tags.js';

describe('tagger CLI options', () => {
  it('--help prints the usage and runs nothing', async () => {
    const lines: string[] = [];
    expect(await runCli(['--help'], (l) => lines.push(l))).toBeNull();
    expect(lines).toEqual([HELP]);
  });

  it('rejects bad options with a ValueError naming the option', async () => {
    await expect(runCli(['--sentences', '5'], () => {})).rejects.toThrow(ValueError);
    await expect(runCli(['--sentences', '5'], () => {})).rejects.toThrow(/--sentences must be an integer >= 20, got '5'/);
  });
});

describe('tagger --quick', () => {
  const out = mkdtempSync(join(tmpdir(), 'elman-tagger-'));
  const lines: string[] = [];
  let outcome: CliOutcome;
  beforeAll(async () => {
    await ready(); // the default backend, as the binary gets it
    const run = await runCli(['--quick', '--out', out], (l) => lines.push(l));
    if (!run) throw new Error('runCli returned null for --quick');
    outcome = run;
  }, 120_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('samples 3,000 sentences, holds out 300, prints a progress line per epoch and the tables', () => {
    const r = outcome.result;
    expect(lines[0]).toContain(`backend ${getBackend().name}`);
    expect(r.trainSentences).toBe(2700);
    expect(r.testSentences).toBe(300);
    expect(lines.filter((l) => /epoch \d\/3 .*loss .*val_accuracy .*ex\/s/.test(l))).toHaveLength(3);
    expect(lines.some((l) => l.includes('most frequent tag per word') && l.includes('Accuracy per tag'))).toBe(true);
  });

  it('learns: the loss falls by more than half and token accuracy is far above tagging everything NOUN', () => {
    const r = outcome.result;
    expect(r.trainLoss.at(-1)!).toBeLessThan(r.trainLoss[0]! / 2);
    // Measured here: 0.90 after 3 epochs on 2,700 sentences (seed 1); the majority tag scores 0.23.
    expect(r.model.accuracy).toBeGreaterThan(0.85);
    expect(r.model.accuracy).toBeGreaterThan(r.majorityAccuracy + 0.5);
  });

  it('beats the most-frequent-tag baseline on words unseen in training by 10 points (context, suffix, shape)', () => {
    const r = outcome.result;
    // Measured here: 0.77 vs 0.56 on ~670 unseen tokens. Overall the quick model only ties the baseline (0.904 vs
    // 0.902); the full run (10,800 training sentences) is where it pulls ahead on all tokens.
    expect(r.unseenTokens).toBeGreaterThan(300);
    expect(r.model.unseenAccuracy).toBeGreaterThan(r.baseline.unseenAccuracy + 0.1);
  });

  it('per-tag scores agree with the confusion matrix, which counts every held-out token once', () => {
    const r = outcome.result;
    expect(r.model.confusion.flat().reduce((a, b) => a + b)).toBe(r.testTokens);
    const diag = r.model.confusion.reduce((a, row, t) => a + row[t]!, 0);
    expect(diag / r.testTokens).toBeCloseTo(r.model.accuracy, 10);
    expect(r.model.perTag).toHaveLength(UNIVERSAL_TAGS.length);
  });

  it('writes well-formed per-tag bars and confusion heat map', () => {
    expect(outcome.pictures.map((p) => basename(p))).toEqual(['per-tag-accuracy.svg', 'confusion.svg']);
    for (const path of outcome.pictures) {
      const svg = readFileSync(path, 'utf8');
      expect(assertWellFormedXml(svg, 'svg')).toBeGreaterThan(20);
      for (const tag of ['NOUN', 'VERB', 'CONJ']) expect(svg).toContain(`>${tag}</text>`);
    }
  });
});
