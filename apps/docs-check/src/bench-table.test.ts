import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { END, parseResults, renderTable, replaceBetweenMarkers, START, updateReadme } from '../../../scripts/bench-table.mjs';

const line = (over: Record<string, unknown>) =>
  JSON.stringify({
    name: 'matmul',
    shape: '[8,8]x[8,8]',
    backend: 'js',
    value: 6.2,
    unit: 'GFLOP/s',
    peer: 'tfjs-cpu',
    peerValue: 1.55,
    ratio: 4.0,
    higherIsBetter: true,
    threads: 1,
    peerVersion: '4.22.0',
    command: 'pnpm bench',
    date: '2026-11-26T04:17:20.111Z',
    machine: 'AMD EPYC, 2 cores',
    node: 'v20.20.2',
    ...over,
  });

const RESULTS = [
  line({}),
  line({ peer: 'tfjs-wasm', peerValue: 45.95, ratio: 0.13494 }),
  line({ backend: 'wasm', value: 30, peer: 'tfjs-wasm', peerValue: 45.95, ratio: 0.6529, date: '2026-11-28T10:00:00.000Z' }),
  line({ name: 'lstm', shape: 'B=64', note: 'train | step', unit: 'ms', value: 120, higherIsBetter: false, peer: null, peerValue: null, ratio: null }),
].join('\n');

describe('bench-table', () => {
  it('renders one row per benchmark, shape and backend, with one column per peer', () => {
    const table = renderTable(parseResults(RESULTS));
    expect(table).toContain('Measured 2026-11-26 – 2026-11-28 on AMD EPYC, 2 cores, Node v20.20.2 by `pnpm bench`');
    expect(table.split('\n').filter((l) => l.startsWith('|'))).toEqual([
      '| benchmark | shape | Elman | tfjs-cpu 4.22.0 | tfjs-wasm 4.22.0 |',
      '| --- | --- | --- | --- | --- |',
      '| matmul | [8,8]x[8,8] | 6.2 GFLOP/s (js) | 1.55 GFLOP/s · 4× | 45.95 GFLOP/s · 0.135× |',
      '| matmul | [8,8]x[8,8] | 30 GFLOP/s (wasm) | — | 45.95 GFLOP/s · 0.653× |',
      '| lstm (train \\| step) | B=64 | 120 ms (js) | — | — |',
    ]);
    expect(renderTable([])).toMatch(/No benchmark results yet/);
  });

  it('rejects a malformed results line, naming its line number', () => {
    expect(() => parseResults(`${line({})}\n\n{oops`, 'latest.jsonl')).toThrow(/^latest\.jsonl:3: not a benchmark result line/);
    expect(() => parseResults('{"name":"x"}')).toThrow(/:1: .*missing "shape"/);
  });

  it('replaces only the region between the markers and needs both, once, in order', () => {
    const text = `# R\n\nbefore\n${START}\nold table\n${END}\nafter\n`;
    expect(replaceBetweenMarkers(text, 'NEW')).toBe(`# R\n\nbefore\n${START}\n\nNEW\n\n${END}\nafter\n`);
    expect(() => replaceBetweenMarkers('# R\n', 'NEW')).toThrow(/needs the markers/);
    expect(() => replaceBetweenMarkers(`${END}\n${START}`, 'NEW')).toThrow(/comes before/);
    expect(() => replaceBetweenMarkers(`${START}${END}${START}${END}`, 'NEW')).toThrow(/once each/);
  });

  it('updates a README in place, is idempotent, and --check writes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'elman-bench-table-'));
    try {
      const readme = join(dir, 'README.md');
      const results = join(dir, 'latest.jsonl');
      writeFileSync(results, RESULTS);
      writeFileSync(readme, `# R\n\n## Benchmarks\n\n${START}\n${END}\n\n## Next\n`);
      expect(updateReadme({ readme, results, check: true })).toEqual({ changed: true });
      expect(readFileSync(readme, 'utf8')).toBe(`# R\n\n## Benchmarks\n\n${START}\n${END}\n\n## Next\n`);
      expect(updateReadme({ readme, results })).toEqual({ changed: true });
      const once = readFileSync(readme, 'utf8');
      expect(once).toMatch(/^# R\n\n## Benchmarks\n\n<!-- bench:start -->\n\nMeasured [\s\S]*\| 120 ms \(js\) \| — \| — \|\n\n<!-- bench:end -->\n\n## Next\n$/);
      expect(updateReadme({ readme, results })).toEqual({ changed: false });
      expect(updateReadme({ readme, results, check: true })).toEqual({ changed: false });
      expect(readFileSync(readme, 'utf8')).toBe(once);
      expect(() => updateReadme({ readme, results: join(dir, 'missing.jsonl') })).toThrow(/run `pnpm bench` first/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
