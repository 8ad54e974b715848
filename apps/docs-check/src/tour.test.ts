import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listDemos } from '../../../scripts/demo.mjs';
import { STOPS, parseTourArgs, pictures } from '../../../scripts/tour.mjs';

// scripts/tour.mjs (`pnpm start`). Each stop's --quick run is tested by its app's own cli.test.ts.

const ROOT = join(import.meta.dirname, '..', '..', '..');

describe('pnpm start (the tour)', () => {
  it('stops only at demo apps of this repository, each in its quick mode', () => {
    const demos = new Map(listDemos(ROOT).map((d) => [d.name, d]));
    for (const stop of STOPS) {
      const demo = demos.get(stop.app);
      expect(demo, stop.app).toBeDefined();
      if (stop.app !== 'quickstart') expect(stop.args).toContain('--quick');
      const json = JSON.parse(readFileSync(join(demo!.dir, 'package.json'), 'utf8'));
      expect(json.scripts.start).toBe('node dist/main.js');
    }
  });

  it('is what the README and the root start script promise', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.scripts.start).toMatch(/node scripts\/tour\.mjs$/);
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain('pnpm start');
  });

  it('parses --list and --only', () => {
    expect(parseTourArgs([])).toEqual({ list: false, only: null });
    expect(parseTourArgs(['--', '--only', 'forecast,word2vec'])).toEqual({ list: false, only: ['forecast', 'word2vec'] });
    expect(parseTourArgs(['--list'])).toEqual({ list: true, only: null });
  });

  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('lists the pictures under out/, newest first, ignoring other files', () => {
    const root = mkdtempSync(join(tmpdir(), 'elman-tour-'));
    dirs.push(root);
    expect(pictures(root)).toEqual([]);
    mkdirSync(join(root, 'out', 'a'), { recursive: true });
    mkdirSync(join(root, 'out', 'b'));
    writeFileSync(join(root, 'out', 'a', 'old.svg'), '<svg/>');
    writeFileSync(join(root, 'out', 'b', 'new.png'), '');
    writeFileSync(join(root, 'out', 'b', 'notes.txt'), '');
    utimesSync(join(root, 'out', 'a', 'old.svg'), 1_000, 1_000);
    expect(pictures(root)).toEqual([join(root, 'out', 'b', 'new.png'), join(root, 'out', 'a', 'old.svg')]);
  });
});
