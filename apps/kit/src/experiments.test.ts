import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ValueError } from '@elman/core';
import { recordAppExperiments, recordExperiment, workspaceRoot } from './experiments.js';

describe('recordExperiment', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('appends one dated JSON line per record under bench/results of the workspace', () => {
    const root = mkdtempSync(join(tmpdir(), 'elman-kit-'));
    dirs.push(root);
    writeFileSync(join(root, 'pnpm-workspace.yaml'), 'packages: []\n');
    mkdirSync(join(root, 'apps', 'x'), { recursive: true });
    expect(workspaceRoot(join(root, 'apps', 'x'))).toBe(root);
    const base = { experiment: 'e', model: 'm', metric: 'acc', baseline: 'majority 0.5', command: 'pnpm demo x' };
    const file = recordExperiment({ ...base, value: 0.9 }, root);
    recordExperiment({ ...base, value: 0.95, note: 'second' }, root);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ ...base, value: 0.9, machine: 'AMD EPYC, 2 cores' });
    expect(lines[0].date).toMatch(/^\d{4}-\d\d-\d\d$/);
    expect(lines[0].note).toBeUndefined();
    expect(lines[1]).toMatchObject({ value: 0.95, note: 'second' });
  });

  it('records an app\'s figures in the workspace above its folder, and refuses outside a workspace', () => {
    const root = mkdtempSync(join(tmpdir(), 'elman-kit-'));
    dirs.push(root);
    writeFileSync(join(root, 'pnpm-workspace.yaml'), 'packages: []\n');
    const app = join(root, 'apps', 'x', 'dist');
    mkdirSync(app, { recursive: true });
    const base = { experiment: 'e', model: 'm', metric: 'acc', baseline: 'b', command: 'pnpm demo x' };
    const file = recordAppExperiments('x', app, [{ ...base, value: 1 }, { ...base, value: 2 }]);
    expect(file).toBe(join(root, 'bench', 'results', 'experiments.jsonl'));
    expect(readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l).value)).toEqual([1, 2]);
    const outside = mkdtempSync(join(tmpdir(), 'elman-kit-'));
    dirs.push(outside);
    expect(() => recordAppExperiments('x', outside, [{ ...base, value: 3 }])).toThrow(ValueError);
    expect(() => recordAppExperiments('x', outside, [{ ...base, value: 3 }])).toThrow('x: --record needs the Elman workspace');
  });
});
