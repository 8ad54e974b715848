import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { assertWellFormedXml } from '@elman/app-kit';
import { ValueError } from '@elman/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliOutcome, HELP, mergeResults, runCli } from './cli.js';

describe('charlm CLI options', () => {
  it('--help prints the usage and runs nothing', async () => {
    const lines: string[] = [];
    expect(await runCli(['--help'], (l) => lines.push(l))).toBeNull();
    expect(lines).toEqual([HELP]);
    expect(HELP).toMatch(/--quick/);
  });

  it('rejects bad options with a ValueError naming the option', async () => {
    await expect(runCli(['--chars', '10'], () => {})).rejects.toThrow(ValueError);
    await expect(runCli(['--chars', '10'], () => {})).rejects.toThrow(/--chars must be an integer >= 1000, got '10'/);
    await expect(runCli(['--models', 'GRU'], () => {})).rejects.toThrow(/unknown model 'GRU'/);
    await expect(runCli(['--tf-lr', '2'], () => {})).rejects.toThrow(/--tf-lr must be a number in/);
  });
});

// The --quick run on the default backend (the LSTM and transformer kernels are tested on every backend in their packages).
describe('charlm --quick (120 k characters of Moby Dick)', () => {
  const out = mkdtempSync(join(tmpdir(), 'elman-charlm-'));
  const lines: string[] = [];
  let outcome: CliOutcome;
  // About 20–40 s of CPU; the generous bound is for a shared, loaded machine (seen > 5 min wall time under load).
  beforeAll(async () => {
    const run = await runCli(['--quick', '--out', out], (l) => lines.push(l));
    if (!run) throw new Error('runCli returned null for --quick');
    outcome = run;
  }, 900_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('trains both models with progress lines and prints the table and samples at three temperatures', () => {
    const r = outcome.result;
    expect([r.trainChars, r.heldOutChars, r.vocabSize]).toEqual([120_000, 20_000, 89]);
    expect(r.models.map((m) => m.kind)).toEqual(['LSTM', 'Transformer']);
    expect(lines.some((l) => /LSTM: epoch 2\/2 batch \d+\/\d+ update \d+\/\d+ train [\d.]+ bpc \(\d+ chars\/s/.test(l))).toBe(true);
    expect(lines.some((l) => /^Transformer +\d+ +\d+ +\d+ +[\d.]+/m.test(l))).toBe(true);
    for (const m of r.models) {
      expect(m.samples.map((s) => s.temperature)).toEqual([0.5, 0.8, 1.0]);
      for (const s of m.samples) expect(s.text).toHaveLength(160);
    }
  });

  it('learns: training bpc falls and held-out bpc is well below the unigram baseline (≈ 4.4)', () => {
    const r = outcome.result;
    expect(r.unigramBpc).toBeGreaterThan(4.2);
    for (const m of r.models) {
      const first = m.stepBpc.slice(0, 10).reduce((a, b) => a + b) / 10;
      const last = m.stepBpc.slice(-10).reduce((a, b) => a + b) / 10;
      expect(last).toBeLessThan(first - 1);
      // Held-out: untrained (≈ log2 89 ≈ 6.5 bits) and after each of the two epochs.
      expect(m.validation.map((v) => v.step)).toEqual([0, m.stepBpc.length / 2, m.stepBpc.length]);
      expect(m.validation[0]!.bpc).toBeGreaterThan(r.unigramBpc);
    }
    // Measured here: LSTM 2.98, transformer 3.63 bpc (seed 1).
    const [lstm, transformer] = r.models;
    expect(lstm!.bpc).toBeLessThan(r.unigramBpc - 1);
    expect(transformer!.bpc).toBeLessThan(r.unigramBpc - 0.5);
  });

  it('draws the loss curves as a well-formed SVG and writes a result.json that --merge reads back', async () => {
    expect(outcome.pictures.map((p) => basename(p))).toEqual(['loss-curves.svg']);
    const svg = readFileSync(outcome.pictures[0]!, 'utf8');
    expect(assertWellFormedXml(svg, 'svg')).toBeGreaterThan(20);
    for (const label of ['LSTM train', 'Transformer held-out', 'unigram']) expect(svg).toContain(`>${label}</text>`);
    const file = join(out, 'result.json');
    const merged = await runCli(['--merge', `${file},${file}`, '--out', join(out, 'merged')], () => {});
    expect(merged?.result.models).toHaveLength(4);
    expect(() => mergeResults([outcome.result, { ...outcome.result, trainChars: 5 }])).toThrow(/runs differ/);
  });
});
