import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { assertWellFormedXml } from '@elman/app-kit';
import { ValueError, ready } from '@elman/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliOutcome, HELP, runCli } from './cli.js';

describe('translate CLI options', () => {
  it('--help prints the usage and runs nothing', async () => {
    const lines: string[] = [];
    expect(await runCli(['--help'], (l) => lines.push(l))).toBeNull();
    expect(lines).toEqual([HELP]);
    expect(HELP).toMatch(/--quick/);
  });

  it('rejects unknown tasks, models and bad numbers with ValueErrors naming the option', async () => {
    await expect(runCli(['--task', 'poetry'], () => {})).rejects.toThrow(ValueError);
    await expect(runCli(['--task', 'poetry'], () => {})).rejects.toThrow(/--task must be one of dates, g2p, all; got 'poetry'/);
    await expect(runCli(['--quick', '--task', 'g2p'], () => {})).rejects.toThrow(/--task must be one of dates, all; got 'g2p'/);
    await expect(runCli(['--model', 'rnn'], () => {})).rejects.toThrow(/--model must be one of seq2seq, transformer, all/);
    await expect(runCli(['--epochs', '0'], () => {})).rejects.toThrow(/--epochs must be an integer >= 1, got '0'/);
  });
});

describe('translate --quick on the default backend', () => {
  const out = mkdtempSync(join(tmpdir(), 'elman-translate-'));
  const lines: string[] = [];
  let outcome: CliOutcome;
  beforeAll(async () => {
    await ready();
    const run = await runCli(['--quick', '--out', out], (l) => lines.push(l));
    if (!run) throw new Error('runCli returned null for --quick');
    outcome = run;
  }, 180_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  const run = (model: string) => {
    const r = outcome.runs.find((x) => x.config.model === model);
    if (!r) throw new Error(`no ${model} run`);
    return r;
  };

  it('trains both models on dates and prints progress per epoch and the results table', () => {
    expect(outcome.runs.map((r) => `${r.config.task}/${r.config.model}`)).toEqual(['dates/seq2seq', 'dates/transformer']);
    expect(lines.filter((l) => /^ {2}epoch \d+\/3 {2}loss [\d.]+ {2}val_loss [\d.]+ {2}\d+ ex\/s/.test(l))).toHaveLength(6);
    expect(lines.some((l) => /^task\s+model\s+params/m.test(l))).toBe(true);
  });

  it('attention seq2seq learns dates: held-out exact match ≥ 50 % from 0, loss falls, year digits attend to the year', () => {
    const r = run('seq2seq');
    expect(r.initialExactMatch).toBe(0);
    expect(r.exactMatch).toBeGreaterThanOrEqual(0.5);
    expect(r.per).toBeLessThan(r.initialPer / 4);
    expect(r.valLoss.at(-1)!).toBeLessThan(r.valLoss[0]! / 2);
    expect(r.yearAlignment!).toBeGreaterThan(0.8);
  });

  it('the transformer learns too: held-out loss falls and its character error rate halves', () => {
    const r = run('transformer');
    expect(r.valLoss.at(-1)!).toBeLessThan(0.7 * r.valLoss[0]!);
    expect(r.per).toBeLessThan(r.initialPer / 2);
  });

  it('writes well-formed SVGs: an attention heat map per model and the loss curves', () => {
    expect(outcome.pictures.map((p) => basename(p))).toEqual(['attention-dates-seq2seq.svg', 'attention-dates-transformer.svg', 'loss-dates.svg']);
    for (const path of outcome.pictures) expect(assertWellFormedXml(readFileSync(path, 'utf8'), 'svg')).toBeGreaterThan(20);
    const map = readFileSync(outcome.pictures[0]!, 'utf8');
    const e = run('seq2seq').examples[0]!;
    // One cell per (output symbol + END) × input character.
    expect(map.match(/<rect x="[\d.]+" y="[\d.]+" width="20" height="20"/g)).toHaveLength(e.attention.length * e.source.length);
    expect(readFileSync(outcome.pictures[2]!, 'utf8')).toContain('>transformer held-out');
  });
});
