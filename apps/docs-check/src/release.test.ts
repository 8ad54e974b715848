import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPackages, contentProblems, lintTarball, pack, typesTarball, versionProblems } from '../../../scripts/check-packages.mjs';
import { checkRelease } from '../../../scripts/check-release.mjs';

// The release checks: scripts/check-packages.mjs (`pnpm check:packages`) and scripts/check-release.mjs
// (`pnpm check:release`). The full check of every package runs in CI as `pnpm check:packages`; here @elman/core
// (the one package every other depends on; about 5 s) and a deliberately broken package.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

describe('check-packages', () => {
  it('@elman/core packs clean: publint, types of every entry point, contents', async () => {
    const [core] = await checkPackages({ only: ['@elman/core'] });
    expect(core?.name).toBe('@elman/core');
    expect(core?.files).toBeGreaterThan(100);
    expect(core?.problems).toEqual([]);
  });

  describe('on broken packages', () => {
    let dir: string;
    const packed: Record<string, { tarball: string; files: string[] }> = {};
    /** A package `name` with the given files (path → contents) whose root and ./extra entries name dist files. */
    const make = (name: string, files: Record<string, string>) => {
      mkdirSync(join(dir, name, 'dist'), { recursive: true });
      const exports = {
        '.': { types: './dist/index.d.ts', default: './dist/index.js' },
        './extra': { default: './dist/extra.js' },
      };
      writeFileSync(join(dir, name, 'package.json'), JSON.stringify({ name, version: '1.0.0', type: 'module', exports }));
      for (const [path, text] of Object.entries(files)) writeFileSync(join(dir, name, path), text);
      packed[name] = pack(join(dir, name), dir);
    };
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'elman-broken-pkg-'));
      const js = { 'dist/index.js': 'export const a = 1;\n', 'dist/extra.js': 'export const b = 2;\n' };
      make('no-types', { ...js, 'dist/index.test.js': 'export {};\n' });
      make('partly-typed', { ...js, 'dist/index.d.ts': 'export declare const a: number;\n' });
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('publint reports a types file that is not in the tarball', async () => {
      expect(await lintTarball(packed['no-types']!.tarball)).toContainEqual(
        expect.stringMatching(/^publint error FILE_DOES_NOT_EXIST: pkg\.exports\["\."\]\.types/),
      );
      expect(await lintTarball(packed['partly-typed']!.tarball)).toEqual([]);
    });

    it('the types check reports a package without types and an entry point without types', () => {
      expect(typesTarball(packed['no-types']!.tarball)).toEqual([
        'attw: no entry point resolves to types (the package ships none)',
      ]);
      expect(typesTarball(packed['partly-typed']!.tarball)).toEqual([
        'attw UntypedResolution: entrypoint "./extra" (node16-esm)',
        'attw UntypedResolution: entrypoint "./extra" (bundler)',
      ]);
    });

    it('shipped tests and leftover workspace: ranges are problems', () => {
      expect(packed['no-types']!.files).toContain('dist/index.test.js');
      expect(contentProblems(packed['no-types']!.files, { dependencies: { '@elman/core': 'workspace:*', x: '^1.0.0' } })).toEqual([
        'ships dist/index.test.js (tests, fixtures and build info stay out of the tarball: fix "files")',
        'dependencies.@elman/core is still "workspace:*" in the tarball',
      ]);
      expect(contentProblems(['src/x/fixtures/a.json', 'dist/a.tsbuildinfo', 'dist/a.js'], {})).toHaveLength(2);
    });
  });

  it('public packages must share one version', () => {
    expect(versionProblems([{ name: 'a', version: '0.1.0' }, { name: 'b', version: '0.1.0' }])).toEqual([]);
    expect(versionProblems([{ name: 'a', version: '0.1.0' }, { name: 'b', version: '0.2.0' }])).toEqual([
      'versions differ across public packages (they move together): a@0.1.0, b@0.2.0',
    ]);
  });
});

describe('check-release', () => {
  it('`changeset version` moves every public package to one new version on a copy, leaving the tree alone', () => {
    const manifest = join(ROOT, 'packages', 'core', 'package.json');
    const before = readFileSync(manifest, 'utf8');
    const { problems, released } = checkRelease();
    expect(problems).toEqual([]);
    expect(released.map((r) => r.name)).toContain('@elman/core');
    expect(new Set(released.map((r) => r.to)).size).toBe(1);
    expect(released.every((r) => r.to !== r.from)).toBe(true);
    expect(readFileSync(manifest, 'utf8')).toBe(before);
  });
});
