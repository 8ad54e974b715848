#!/usr/bin/env node
/**
 * `pnpm check:release`: a dry run of `pnpm changeset version` on a temporary copy of the workspace's manifests
 * (package.json files, pnpm-workspace.yaml, .changeset/, changelogs), so nothing in the tree changes. One extra
 * patch changeset for @elman/core is added to the copy, so the flow runs even when nothing is pending.
 * It checks that the command succeeds, that every released package (public, not in `ignore`) moves to one new
 * version (changesets' `fixed` group), that each gets a CHANGELOG.md entry for it, that ignored and private
 * packages keep their versions, and that the changesets are consumed.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { workspacePackages } from './check-packages.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CHANGESET_BIN = join(ROOT, 'node_modules', '.bin', 'changeset');
const PROBE = 'Dry-run probe of the release flow (scripts/check-release.mjs).';

/**
 * `ignore` globs of .changeset/config.json (only a trailing `*` is used there) as a predicate.
 *
 * @param {string[]} globs
 * @returns {(name: string) => boolean}
 */
function ignoredBy(globs) {
  return (name) => globs.some((g) => (g.endsWith('*') ? name.startsWith(g.slice(0, -1)) : name === g));
}

/**
 * Copies what `changeset version` reads and writes into `dest`.
 *
 * @param {string} root
 * @param {string} dest
 * @param {{ path: string }[]} pkgs
 */
function copyManifests(root, dest, pkgs) {
  for (const file of ['package.json', 'pnpm-workspace.yaml']) cpSync(join(root, file), join(dest, file));
  cpSync(join(root, '.changeset'), join(dest, '.changeset'), { recursive: true });
  for (const p of pkgs) {
    const rel = relative(root, p.path);
    mkdirSync(join(dest, rel), { recursive: true });
    for (const file of ['package.json', 'CHANGELOG.md']) {
      if (existsSync(join(p.path, file))) cpSync(join(p.path, file), join(dest, rel, file));
    }
  }
}

/**
 * Runs the dry run and returns what it found.
 *
 * @param {{ root?: string }} [options]
 * @returns {{ problems: string[], released: { name: string, from: string, to: string }[], output: string }}
 */
export function checkRelease({ root = ROOT } = {}) {
  const pkgs = workspacePackages(root);
  const config = JSON.parse(readFileSync(join(root, '.changeset', 'config.json'), 'utf8'));
  const ignored = ignoredBy(config.ignore ?? []);
  const dest = mkdtempSync(join(tmpdir(), 'elman-release-'));
  try {
    copyManifests(root, dest, pkgs);
    writeFileSync(join(dest, '.changeset', 'release-dry-run-probe.md'), `---\n"@elman/core": patch\n---\n\n${PROBE}\n`);
    const res = spawnSync(CHANGESET_BIN, ['version'], { cwd: dest, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    const output = `${res.stdout ?? ''}${res.stderr ?? ''}`.trim();
    if (res.status !== 0) return { problems: [`changeset version failed (exit ${res.status}):\n${output}`], released: [], output };

    const problems = [];
    const released = [];
    for (const p of pkgs) {
      const rel = relative(root, p.path);
      const after = JSON.parse(readFileSync(join(dest, rel, 'package.json'), 'utf8')).version;
      if (p.private || ignored(p.name)) {
        if (after !== p.version) problems.push(`${p.name} (private or ignored) moved ${p.version} → ${after}`);
        continue;
      }
      released.push({ name: p.name, from: p.version, to: after });
      const changelog = join(dest, rel, 'CHANGELOG.md');
      const text = existsSync(changelog) ? readFileSync(changelog, 'utf8') : '';
      if (!text.includes(`## ${after}`)) problems.push(`${p.name}: CHANGELOG.md has no "## ${after}" entry`);
    }
    const targets = new Set(released.map((r) => r.to));
    if (targets.size !== 1) {
      problems.push(`released packages did not move together: ${released.map((r) => `${r.name}@${r.to}`).join(', ')}`);
    }
    const unchanged = released.filter((r) => r.to === r.from);
    if (unchanged.length > 0) problems.push(`not bumped: ${unchanged.map((r) => r.name).join(', ')}`);
    const core = released.find((r) => r.name === '@elman/core');
    const coreLog = core ? readFileSync(join(dest, 'packages', 'core', 'CHANGELOG.md'), 'utf8') : '';
    if (!coreLog.includes(PROBE)) problems.push("@elman/core's CHANGELOG.md lacks the probe changeset's summary");
    const left = readdirSync(join(dest, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md');
    if (left.length > 0) problems.push(`changesets not consumed: ${left.join(', ')}`);
    return { problems, released, output };
  } finally {
    rmSync(dest, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { problems, released } = checkRelease();
  for (const r of released) console.log(`${r.name}: ${r.from} → ${r.to}`);
  for (const p of problems) console.log(`FAIL ${p}`);
  if (problems.length === 0) console.log('ok   changeset version (dry run on a temporary copy; the tree is unchanged)');
  process.exitCode = problems.length > 0 ? 1 : 0;
}
