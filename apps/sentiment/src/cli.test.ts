import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { assertWellFormedXml } from '@elman/app-kit';
import { ValueError, getBackend, ready } from '@elman/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliOutcome, HELP, runCli } from './cli.js';
import { loadSentences, stratifiedSplit } from './data.js';

describe('sentiment data', () => {
  it('loads the 3 × 1,000 labelled sentences without the trailing empty records, balanced 50/50', () => {
    const all = loadSentences();
    expect(all).toHaveLength(3000);
    expect(all.filter((s) => s.label === 1)).toHaveLength(1500);
    expect(all.every((s) => s.text.length > 0 && (s.label === 0 || s.label === 1))).toBe(true);
  });

  it('splits by stratum, disjointly and reproducibly', () => {
    const items = Array.from({ length: 100 }, (_, i) => ({ i, g: i % 4 === 0 ? 'a' : 'b' }));
    const s1 = stratifiedSplit(items, (x) => x.g, 0.2, 7);
    const s2 = stratifiedSplit(items, (x) => x.g, 0.2, 7);
    expect(s1.test.map((x) => x.i)).toEqual(s2.test.map((x) => x.i));
    expect(s1.test.filter((x) => x.g === 'a')).toHaveLength(5); // 20 % of the 25 'a's
    expect(s1.test).toHaveLength(20);
    expect(new Set([...s1.train, ...s1.test].map((x) => x.i)).size).toBe(100);
    expect(() => stratifiedSplit(items, (x) => x.g, 1, 0)).toThrow(/testFraction must be in \(0, 1\), got 1/);
  });
});

describe('sentiment CLI options', () => {
  it('--help prints the usage and runs nothing', async () => {
    const lines: string[] = [];
    expect(await runCli(['--help'], (l) => lines.push(l))).toBeNull();
    expect(lines).toEqual([HELP]);
  });

  it('rejects bad options with a ValueError naming the option', async () => {
    await expect(runCli(['--epochs', '0'], () => {})).rejects.toThrow(ValueError);
    await expect(runCli(['--test', '0.9'], () => {})).rejects.toThrow(/--test must be a number in \[0.05, 0.5\], got '0.9'/);
  });
});

describe('sentiment --quick', () => {
  const out = mkdtempSync(join(tmpdir(), 'elman-sentiment-'));
  const lines: string[] = [];
  let outcome: CliOutcome;
  beforeAll(async () => {
    // The default backend, as the binary gets it.
    await ready();
    const run = await runCli(['--quick', '--out', out], (l) => lines.push(l));
    if (!run) throw new Error('runCli returned null for --quick');
    outcome = run;
  }, 120_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('holds out a stratified 20 % and prints a progress line per epoch and the tables', () => {
    expect(lines[0]).toContain(`backend ${getBackend().name}`);
    expect(outcome.result.trainSize).toBe(2400);
    expect(outcome.result.testSize).toBe(600);
    expect(lines.filter((l) => /epoch \d\/4 .*loss .*val_accuracy .*ex\/s/.test(l))).toHaveLength(4);
    expect(lines.some((l) => /^BiLSTM\s+0\.\d{3}/m.test(l) || /\nBiLSTM\s+0\.\d{3}/.test(l))).toBe(true);
  });

  it('learns: training loss falls and held-out accuracy beats the 50 % majority baseline by 10 points', () => {
    const r = outcome.result;
    expect(r.majorityAccuracy).toBeCloseTo(0.5, 5);
    expect(r.trainLoss.at(-1)!).toBeLessThan(r.trainLoss[0]! * 0.85);
    expect(Math.min(...r.testLoss)).toBeLessThan(r.initialTestLoss);
    // Measured here: 0.71 after 4 epochs (seed 1); chance is 0.5.
    expect(r.accuracy).toBeGreaterThan(r.majorityAccuracy + 0.1);
  });

  it('the confusion matrix counts every held-out sentence once and agrees with the accuracy', () => {
    const c = outcome.result.confusion;
    expect(c.flat().reduce((a, b) => a + b)).toBe(600);
    expect(c[0]![0]! + c[0]![1]!).toBe(300);
    expect((c[0]![0]! + c[1]![1]!) / 600).toBeCloseTo(outcome.result.accuracy, 10);
  });

  it('writes a well-formed confusion heat map and learning-curve chart', () => {
    expect(outcome.pictures.map((p) => basename(p))).toEqual(['confusion.svg', 'learning-curves.svg']);
    const heat = readFileSync(outcome.pictures[0]!, 'utf8');
    expect(assertWellFormedXml(heat, 'svg')).toBeGreaterThan(10);
    expect(heat).toContain(`>${outcome.result.confusion[1]![1]}</text>`);
    const curves = readFileSync(outcome.pictures[1]!, 'utf8');
    expect(assertWellFormedXml(curves, 'svg')).toBeGreaterThan(10);
    expect(curves).toContain('>held-out accuracy');
  });
});
