#!/usr/bin/env node
/**
 * `pnpm check:packages [name…]`: what `npm publish` would ship, checked before it ships. For every public workspace
 * package (or only the named ones) it packs the tarball with `pnpm pack` into a temporary directory, then
 * - lints it with publint (strict: warnings and suggestions fail too);
 * - checks with Are the Types Wrong (`attw`, offline: no DefinitelyTyped look-ups) that every `exports` entry
 *   resolves to JavaScript and to types, under the `esm-only` profile (the packages are ESM only, so CommonJS
 *   `require` and the pre-exports `node10` resolution are out of scope);
 * - checks that no test file, fixture, build-info file or `workspace:` range ships;
 * - checks that all public packages have one version (changesets' `fixed` group moves them together).
 * Exit code 1 and one line per problem when anything is wrong. Packages must be built first (`pnpm build`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ATTW = join(ROOT, 'node_modules', '.bin', 'attw');
/** Resolution modes attw's `esm-only` profile leaves out; its JSON output lists their problems anyway. */
const ESM_ONLY_IGNORED = new Set(['node10', 'node16-cjs']);
/** Files that must never be published, whatever `files` says. */
const UNPUBLISHABLE = [/\.test\.[cm]?[jt]s(\.map)?$/, /\.test\.d\.[cm]?ts(\.map)?$/, /\.tsbuildinfo$/, /\/fixtures\//];

/**
 * Runs a command to completion; throws only when it cannot be started.
 *
 * @param {string} cmd
 * @param {string[]} args
 * @param {string} cwd
 * @returns {{ status: number | null, stdout: string, stderr: string }}
 */
function run(cmd, args, cwd) {
  const res = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (res.error) throw res.error;
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

/**
 * The workspace's packages as pnpm sees them.
 *
 * @param {string} [root]
 * @returns {{ name: string, version: string, path: string, private: boolean }[]}
 */
export function workspacePackages(root = ROOT) {
  const res = run('pnpm', ['ls', '-r', '--depth', '-1', '--json'], root);
  if (res.status !== 0) throw new Error(`pnpm ls failed:\n${res.stderr}`);
  /** @type {{ name: string, version: string, path: string, private?: boolean }[]} */
  const list = JSON.parse(res.stdout);
  return list
    .filter((p) => p.path !== root.replace(/\/$/, ''))
    .map((p) => ({ name: p.name, version: p.version, path: p.path, private: Boolean(p.private) }));
}

/**
 * Packs one package into `dest` and returns the tarball's path and its file list.
 *
 * @param {string} dir package directory
 * @param {string} dest destination directory
 * @returns {{ tarball: string, files: string[] }}
 */
export function pack(dir, dest) {
  const res = run('pnpm', ['pack', '--pack-destination', dest, '--json'], dir);
  if (res.status !== 0) throw new Error(`pnpm pack failed in ${dir}:\n${res.stderr}`);
  /** @type {{ filename: string, files: { path: string }[] }} */
  const out = JSON.parse(res.stdout);
  return { tarball: out.filename, files: out.files.map((f) => f.path) };
}

/**
 * publint's findings on a tarball, one line each.
 *
 * @param {string} tarball
 * @returns {Promise<string[]>}
 */
export async function lintTarball(tarball) {
  const bytes = readFileSync(tarball);
  const data = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const { messages, pkg } = await publint({ pack: { tarball: data }, strict: true, level: 'suggestion' });
  return messages.map((m) => `publint ${m.type} ${m.code}: ${formatMessage(m, pkg, { color: false }) ?? ''}`);
}

/**
 * attw's findings on a tarball under the `esm-only` profile, one line each.
 *
 * @param {string} tarball
 * @returns {string[]}
 */
export function typesTarball(tarball) {
  const res = run(ATTW, [tarball, '--profile', 'esm-only', '--no-definitely-typed', '--format', 'json'], ROOT);
  let report;
  try {
    report = JSON.parse(res.stdout);
  } catch {
    return [`attw failed (exit ${res.status}): ${res.stderr.trim() || res.stdout.trim()}`];
  }
  // attw finds nothing wrong with a package that has no types at all; for a TypeScript library that is the problem.
  if (report.analysis?.types === false) return ['attw: no entry point resolves to types (the package ships none)'];
  const problems = Object.values(report.problems ?? {})
    .flat()
    .filter((p) => !ESM_ONLY_IGNORED.has(p.resolutionKind))
    .map((p) => `attw ${p.kind}: entrypoint "${p.entrypoint ?? '?'}"${p.resolutionKind ? ` (${p.resolutionKind})` : ''}`);
  if (res.status !== 0 && problems.length === 0) problems.push(`attw exited with ${res.status}: ${res.stderr.trim()}`);
  return problems;
}

/**
 * Checks of the packed file list and manifest that neither publint nor attw make.
 *
 * @param {string[]} files paths inside the tarball
 * @param {Record<string, any>} manifest the packed package.json
 * @returns {string[]}
 */
export function contentProblems(files, manifest) {
  const problems = files
    .filter((f) => UNPUBLISHABLE.some((re) => re.test(`/${f}`)))
    .map((f) => `ships ${f} (tests, fixtures and build info stay out of the tarball: fix "files")`);
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const [dep, range] of Object.entries(manifest[field] ?? {})) {
      if (String(range).startsWith('workspace:')) problems.push(`${field}.${dep} is still "${range}" in the tarball`);
    }
  }
  return problems;
}

/**
 * One problem when the public packages do not share one version (changesets' `fixed` group moves them together).
 *
 * @param {{ name: string, version: string }[]} pkgs the public packages
 * @returns {string[]}
 */
export function versionProblems(pkgs) {
  if (new Set(pkgs.map((p) => p.version)).size <= 1) return [];
  return [`versions differ across public packages (they move together): ${pkgs.map((p) => `${p.name}@${p.version}`).join(', ')}`];
}

/**
 * Reads package/package.json out of a tarball.
 *
 * @param {string} tarball
 * @returns {Record<string, any>}
 */
function packedManifest(tarball) {
  const res = run('tar', ['-xzf', tarball, '-O', 'package/package.json'], ROOT);
  if (res.status !== 0) throw new Error(`cannot read package.json from ${tarball}: ${res.stderr}`);
  return JSON.parse(res.stdout);
}

/**
 * Packs and checks the public packages.
 *
 * @param {{ root?: string, only?: string[] }} [options] `only`: package names to check (default: every public one)
 * @returns {Promise<{ name: string, version: string, files: number, problems: string[] }[]>}
 */
export async function checkPackages({ root = ROOT, only = [] } = {}) {
  const all = workspacePackages(root).filter((p) => !p.private);
  const unknown = only.filter((n) => !all.some((p) => p.name === n));
  if (unknown.length > 0) throw new Error(`check-packages: not public workspace packages: ${unknown.join(', ')}`);
  const chosen = only.length > 0 ? all.filter((p) => only.includes(p.name)) : all;
  const dest = mkdtempSync(join(tmpdir(), 'elman-pack-'));
  try {
    const results = [];
    for (const p of chosen) {
      const { tarball, files } = pack(p.path, dest);
      const problems = [
        ...(existsSync(join(p.path, 'dist')) ? [] : ['not built (no dist/): run `pnpm build` first']),
        ...(await lintTarball(tarball)),
        ...typesTarball(tarball),
        ...contentProblems(files, packedManifest(tarball)),
      ];
      results.push({ name: p.name, version: p.version, files: files.length, problems });
    }
    const mismatch = versionProblems(all);
    for (const r of results) r.problems.push(...mismatch);
    return results;
  } finally {
    rmSync(dest, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const only = process.argv.slice(2).filter((a) => a !== '--');
  const results = await checkPackages({ only });
  for (const r of results) {
    console.log(`${r.problems.length === 0 ? 'ok  ' : 'FAIL'} ${r.name}@${r.version} (${r.files} files)`);
    for (const p of r.problems) console.log(`     ${p}`);
  }
  process.exitCode = results.some((r) => r.problems.length > 0) ? 1 : 0;
}
