#!/usr/bin/env node
/**
 * `pnpm demo <name> [-- args]`: builds the demo app `apps/<name>` (and what it depends on, through turbo's cache)
 * and runs its `start` script with the args. `pnpm demo` alone lists the demos with their descriptions.
 * A demo is a workspace package under apps/ named `@elman/demo-*`; other packages there (docs-check) are not demos.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * The demo apps under `<root>/apps`, sorted by name.
 *
 * @param {string} [root] repository root
 * @returns {{ name: string, pkg: string, description: string, dir: string }[]}
 */
export function listDemos(root = ROOT) {
  const apps = join(root, 'apps');
  if (!existsSync(apps)) return [];
  return readdirSync(apps)
    .sort()
    .flatMap((name) => {
      const file = join(apps, name, 'package.json');
      if (!existsSync(file)) return [];
      const json = JSON.parse(readFileSync(file, 'utf8'));
      if (!String(json.name).startsWith('@elman/demo-') || !json.scripts?.start) return [];
      return [{ name, pkg: json.name, description: json.description ?? '', dir: join(apps, name) }];
    });
}

/**
 * The listing `pnpm demo` prints.
 *
 * @param {{ name: string, description: string }[]} demos
 * @returns {string}
 */
export function formatList(demos) {
  const width = Math.max(0, ...demos.map((d) => d.name.length));
  return [
    'Usage: pnpm demo <name> [-- options]   (every demo takes --help and --quick)',
    '',
    'Demos:',
    ...demos.map((d) => `  ${d.name.padEnd(width)}  ${d.description}`),
  ].join('\n');
}

/**
 * Splits `pnpm demo` arguments into the demo's name and the arguments for the demo. pnpm forwards a literal `--`
 * placed between them (`pnpm demo quickstart -- --quick`); the runner drops the first one.
 *
 * @param {string[]} argv arguments after the script name
 * @returns {{ name: string | undefined, args: string[] }}
 */
export function parseArgs(argv) {
  const rest = argv[0] === '--' ? argv.slice(1) : argv;
  const [name, ...args] = rest;
  if (name === undefined || name.startsWith('-')) return { name: undefined, args: rest };
  return { name, args: args[0] === '--' ? args.slice(1) : args };
}

/**
 * Runs `pnpm demo`; returns the exit code.
 *
 * @param {string[]} argv arguments after the script name
 * @param {{ root?: string, build?: boolean }} [options] `build: false` skips the turbo build (tests)
 * @returns {number}
 */
export function main(argv, { root = ROOT, build = true } = {}) {
  const { name, args } = parseArgs(argv);
  const demos = listDemos(root);
  if (name === undefined) {
    console.log(formatList(demos));
    return args.length === 0 || args.includes('--help') || args.includes('-h') ? 0 : 1;
  }
  const demo = demos.find((d) => d.name === name);
  if (!demo) {
    console.error(`pnpm demo: no demo named "${name}"\n\n${formatList(demos)}`);
    return 1;
  }
  if (build) {
    // `<pkg>...` = the app and every workspace package it depends on; turbo replays cached builds.
    const built = spawnSync('pnpm', ['exec', 'turbo', 'run', 'build', `--filter=${demo.pkg}...`, '--output-logs=errors-only'], {
      cwd: root,
      stdio: 'inherit',
    });
    if (built.status !== 0) return built.status ?? 1;
  }
  const run = spawnSync('pnpm', ['run', '--silent', 'start', ...args], { cwd: demo.dir, stdio: 'inherit' });
  return run.status ?? 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}
