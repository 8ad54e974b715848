import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatList, listDemos, main, parseArgs } from '../../../scripts/demo.mjs';

// scripts/demo.mjs (`pnpm demo`), on a throw-away workspace whose one demo records the arguments it gets.

let root: string;
const app = (name: string, json: Record<string, unknown>) => {
  mkdirSync(join(root, 'apps', name), { recursive: true });
  writeFileSync(join(root, 'apps', name, 'package.json'), JSON.stringify(json));
};

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'elman-demo-runner-'));
  app('echo', { name: '@elman/demo-echo', description: 'records its arguments', scripts: { start: 'node main.mjs' } });
  writeFileSync(
    join(root, 'apps', 'echo', 'main.mjs'),
    "import { writeFileSync } from 'node:fs';\nwriteFileSync('args.json', JSON.stringify(process.argv.slice(2)));\n" +
      "process.exitCode = process.argv.includes('--fail') ? 3 : 0;\n",
  );
  app('alpha', { name: '@elman/demo-alpha', description: 'first', scripts: { start: 'node -e ""' } });
  app('docs-check', { name: '@elman/docs-check', description: 'not a demo', scripts: { test: 'vitest run' } });
  app('nostart', { name: '@elman/demo-nostart', description: 'no start script', scripts: {} });
  mkdirSync(join(root, 'apps', 'empty-folder'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('pnpm demo', () => {
  it('lists the @elman/demo-* apps that have a start script, sorted, with their descriptions', () => {
    expect(listDemos(root).map((d) => [d.name, d.pkg, d.description])).toEqual([
      ['alpha', '@elman/demo-alpha', 'first'],
      ['echo', '@elman/demo-echo', 'records its arguments'],
    ]);
    expect(formatList(listDemos(root))).toContain('\n  alpha  first\n  echo   records its arguments');
  });

  it('splits the name from the demo arguments, dropping the `--` pnpm forwards', () => {
    expect(parseArgs([])).toEqual({ name: undefined, args: [] });
    expect(parseArgs(['--help'])).toEqual({ name: undefined, args: ['--help'] });
    expect(parseArgs(['echo', '--quick'])).toEqual({ name: 'echo', args: ['--quick'] });
    expect(parseArgs(['echo', '--', '--quick', '--', 'x'])).toEqual({ name: 'echo', args: ['--quick', '--', 'x'] });
    expect(parseArgs(['--', 'echo', '--help'])).toEqual({ name: 'echo', args: ['--help'] });
  });

  it("runs the app's start script in its folder with the arguments and returns its exit code", () => {
    expect(main(['echo', '--', '--quick', '--help'], { root, build: false })).toBe(0);
    expect(JSON.parse(readFileSync(join(root, 'apps', 'echo', 'args.json'), 'utf8'))).toEqual(['--quick', '--help']);
    expect(main(['echo', '--fail'], { root, build: false })).toBe(3);
  });

  it('fails on an unknown name or a non-demo app, and lists the demos without one', () => {
    expect(main(['nope'], { root, build: false })).toBe(1);
    expect(main(['docs-check'], { root, build: false })).toBe(1);
    expect(main([], { root, build: false })).toBe(0);
  });
});
