import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { assertWellFormedXml } from '@elman/app-kit';
import { ValueError } from '@elman/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliOutcome, HELP, mergeResults, runCli } from './cli.js';

describe('listops CLI options', () => {
  it('--help prints the usage and runs nothing', async () => {
    const lines: string[] = [];
    expect(await runCli(['--help'], (l) => lines.push(l))).toBeNull();
    expect(lines).toEqual([HELP]);
    expect(HELP).toMatch(/--quick/);
  });

  it('rejects bad options with a ValueError naming the option', async () => {
    await expect(runCli(['--depth', '0'], () => {})).rejects.toThrow(ValueError);
    await expect(runCli(['--depth', '0'], () => {})).rejects.toThrow(/--depth must be an integer >= 1, got '0'/);
    await expect(runCli(['--models', 'GRU'], () => {})).rejects.toThrow(/unknown model 'GRU'/);
    await expect(runCli(['--hidden', '30'], () => {})).rejects.toThrow(/--hidden must be a multiple of 4/);
  });
});

// The --quick run on the default backend (the tree, the BiLSTM and the transformer use the backends' kernels; their
// numerics are tested in their packages on every backend).
describe('listops --quick (depth ≤ 3)', () => {
  const out = mkdtempSync(join(tmpdir(), 'elman-listops-'));
  const lines: string[] = [];
  let outcome: CliOutcome;
  // About 20–40 s of CPU; the generous bound is for a shared, loaded machine (seen > 5 min wall time under load).
  beforeAll(async () => {
    const run = await runCli(['--quick', '--out', out], (l) => lines.push(l));
    if (!run) throw new Error('runCli returned null for --quick');
    outcome = run;
  }, 900_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  const model = (kind: string) => {
    const m = outcome.result.models.find((r) => r.kind === kind);
    if (!m) throw new Error(`no ${kind} in the result`);
    return m;
  };

  it('trains the three models on the quick configuration, with a progress line per epoch and a table', () => {
    const r = outcome.result;
    expect([r.trainSize, r.testSize, r.maxDepth, r.epochs]).toEqual([3000, 500, 3, 8]);
    expect(r.models.map((m) => m.kind)).toEqual(['TreeLSTM', 'BiLSTM', 'Transformer']);
    for (const kind of ['TreeLSTM', 'BiLSTM', 'Transformer']) expect(lines.some((l) => l.includes(`${kind}: epoch 8/8 loss`))).toBe(true);
    expect(lines.some((l) => /^model +params +epochs +seconds +accuracy %/m.test(l))).toBe(true);
    expect(r.depthCounts.slice(1).every((n) => n > 0)).toBe(true);
  });

  it('every model learns: training loss falls and held-out accuracy is far above the majority class', () => {
    for (const m of outcome.result.models) {
      expect(m.epochLoss[m.epochLoss.length - 1]!).toBeLessThan(m.epochLoss[0]! * 0.85);
      expect(m.accuracy).toBeGreaterThan(outcome.result.majority + 0.25);
    }
  });

  it('the tree LSTM on the gold trees beats the flat models, most on the deepest expressions', () => {
    const tree = model('TreeLSTM');
    const bilstm = model('BiLSTM');
    expect(tree.accuracy).toBeGreaterThan(bilstm.accuracy);
    expect(tree.accuracyByDepth[3]!).toBeGreaterThan(bilstm.accuracyByDepth[3]! + 0.05);
    expect(tree.accuracyByDepth[3]!).toBeGreaterThan(model('Transformer').accuracyByDepth[3]! + 0.05);
  });

  it('writes two well-formed SVG charts with every model and the baseline, and a result.json --merge reads back', async () => {
    expect(outcome.pictures.map((p) => basename(p))).toEqual(['accuracy-by-depth.svg', 'learning-curves.svg']);
    for (const path of outcome.pictures) {
      const svg = readFileSync(path, 'utf8');
      expect(assertWellFormedXml(svg, 'svg')).toBeGreaterThan(20);
      for (const kind of ['TreeLSTM', 'BiLSTM', 'Transformer', 'majority']) expect(svg).toContain(`>${kind}</text>`);
    }
    const file = join(out, 'result.json');
    const merged = await runCli(['--merge', `${file},${file}`, '--out', join(out, 'merged')], () => {});
    expect(merged?.result.models).toHaveLength(6);
    expect(() => mergeResults([outcome.result, { ...outcome.result, trainSize: 1 }])).toThrow(/runs differ/);
  });
});
