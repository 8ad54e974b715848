import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { assertWellFormedXml } from '@elman/app-kit';
import { ValueError, getBackend, ready } from '@elman/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliOutcome, HELP, runCli } from './cli.js';
import { MODELS, type SeriesResult } from './experiment.js';

describe('forecast CLI options', () => {
  it('--help prints the usage and runs nothing', async () => {
    const lines: string[] = [];
    expect(await runCli(['--help'], (l) => lines.push(l))).toBeNull();
    expect(lines).toEqual([HELP]);
  });

  it('rejects a bad --series or --epochs with a ValueError naming the option', async () => {
    await expect(runCli(['--series', 'sunspots'], () => {})).rejects.toThrow(ValueError);
    await expect(runCli(['--series', 'sunspots'], () => {})).rejects.toThrow(/--series must be births, co2 or both, got 'sunspots'/);
    await expect(runCli(['--epochs', '0'], () => {})).rejects.toThrow(/--epochs must be an integer >= 1, got '0'/);
  });
});

describe('forecast --quick', () => {
  const out = mkdtempSync(join(tmpdir(), 'elman-forecast-'));
  const lines: string[] = [];
  let outcome: CliOutcome;
  beforeAll(async () => {
    await ready(); // the default backend, as the binary gets it
    const run = await runCli(['--quick', '--out', out], (l) => lines.push(l));
    if (!run) throw new Error('runCli returned null for --quick');
    outcome = run;
  }, 120_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  const series = (name: string): SeriesResult => {
    const r = outcome.results.find((s) => s.name === name);
    if (!r) throw new Error(`no ${name} result`);
    return r;
  };

  it('runs the pipeline on both series with a chronological 70/15/15 split, progress lines and the table', () => {
    expect(lines[0]).toContain(`backend ${getBackend().name}`);
    const births = series('births');
    expect(births.sizes.train + births.sizes.validation + births.sizes.test).toBe(7305);
    expect(births.truth).toHaveLength(births.sizes.test);
    expect(births.testYears[0]!).toBeGreaterThan(1985.9); // the test period is the last 15 %: 1986–1988
    expect(series('co2').period).toBe(12);
    expect(lines.filter((l) => /births LSTM epoch \d+\/12 {2}loss .*val_loss .*ex\/s/.test(l)).length).toBeGreaterThan(0);
    expect(lines.some((l) => l.includes('seasonal naive (lag 7)') && l.includes('test RMSE'))).toBe(true);
  });

  it('learns: every model ends with less than half its initial training loss', () => {
    for (const r of outcome.results) {
      for (const kind of MODELS) {
        const run = r.runs[kind]!;
        expect(Math.min(...run.trainLoss)).toBeLessThan(run.initialLoss / 2);
      }
    }
  });

  it('LSTM and GRU beat the last-value and training-mean forecasts on both series (test RMSE, original units)', () => {
    for (const r of outcome.results) {
      for (const kind of MODELS) {
        expect(r.errors[kind]!.rmse).toBeLessThan(r.errors['last value']!.rmse);
        expect(r.errors[kind]!.rmse).toBeLessThan(r.errors['training mean']!.rmse);
      }
    }
  });

  it('on CO₂ both beat seasonal naive (same month last year) by a wide margin', () => {
    const co2 = series('co2');
    // Measured here: LSTM 0.56, GRU 0.57, seasonal naive 2.49 ppm. On births the quick models are near seasonal
    // naive (≈ 460–560 vs 542 births/day); the full run's figures are in bench/RESULTS.md.
    for (const kind of MODELS) expect(co2.errors[kind]!.rmse).toBeLessThan(co2.errors['seasonal naive']!.rmse / 2);
  });

  it('predictions are in the series units: CO₂ forecasts lie within 3 ppm of the truth', () => {
    const co2 = series('co2');
    for (const kind of MODELS) {
      const p = co2.predictions[kind]!;
      expect(p).toHaveLength(co2.truth.length);
      for (let i = 0; i < p.length; i++) expect(Math.abs(p[i]! - co2.truth[i]!)).toBeLessThan(3);
    }
  });

  it('writes well-formed prediction and training plots for each series', () => {
    expect(outcome.pictures.map((p) => basename(p))).toEqual([
      'births-test-predictions.svg',
      'births-training.svg',
      'co2-test-predictions.svg',
      'co2-training.svg',
    ]);
    for (const path of outcome.pictures) {
      const svg = readFileSync(path, 'utf8');
      expect(assertWellFormedXml(svg, 'svg')).toBeGreaterThan(20);
      expect(svg).toMatch(/<path d="M[\d.]+ [\d.]+L/);
      for (const kind of MODELS) expect(svg).toContain(`>${kind}`);
    }
  });
});
