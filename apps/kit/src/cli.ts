import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ValueError } from '@elman/core';
import { workspaceRoot } from './experiments.js';

/** An app's command line, for {@link parseAppArgs}. */
export interface AppCommand<K extends string> {
  /** The app's name, as in `pnpm demo <name>`; it names option errors and the default output folder. */
  name: string;
  /** The `--help` text. */
  help: string;
  /** The app's own options, each taking a value (`--epochs 3`). */
  options: readonly K[];
  /** The app's `import.meta.dirname`, where the search for the workspace starts. */
  dir: string;
  /** Whether the app takes `--record` (default true). */
  record?: boolean;
}

/** A parsed app command line. */
export interface AppArgs<K extends string> {
  /** The app's own options as typed (absent ones are undefined); parse them with {@link intOption} and friends. */
  values: { readonly [name in K]?: string };
  /** `--quick`: the short run used by the tests and the tour. */
  quick: boolean;
  /** `--record`: append the figures to `bench/results/experiments.jsonl`. */
  record: boolean;
  /** Where the pictures go: `--out` resolved, else {@link defaultOutDir}. */
  out: string;
  /** The command that reproduces the run, for experiment records: without `--record`, and without `--out` (where the pictures go does not change the figures). */
  command: string;
}

/**
 * Parses a demo app's `argv`: its own value options plus the common `--out DIR`, `--record`, `--quick` and `--help`
 * (unknown options throw, as `node:util` `parseArgs` does). After `--help` it logs the help text and returns null.
 */
export function parseAppArgs<K extends string>(command: AppCommand<K>, argv: readonly string[], log: (line: string) => void): AppArgs<K> | null {
  const takesRecord = command.record ?? true;
  const options: Record<string, { type: 'string' } | { type: 'boolean'; default: false }> = { out: { type: 'string' } };
  for (const name of command.options) options[name] = { type: 'string' };
  if (takesRecord) options.record = { type: 'boolean', default: false };
  options.quick = { type: 'boolean', default: false };
  options.help = { type: 'boolean', default: false };
  const { values } = parseArgs({ args: [...argv], options, strict: true });
  if (values.help === true) {
    log(command.help);
    return null;
  }
  const out = typeof values.out === 'string' ? resolve(values.out) : defaultOutDir(command.name, command.dir);
  const rest = argv.filter((a, i) => a !== '--record' && a !== '--out' && argv[i - 1] !== '--out' && !a.startsWith('--out='));
  return {
    values: values as AppArgs<K>['values'],
    quick: values.quick === true,
    record: values.record === true,
    out,
    command: rest.length > 0 ? `pnpm demo ${command.name} -- ${rest.join(' ')}` : `pnpm demo ${command.name}`,
  };
}

/**
 * Where an app writes its pictures: `<repo>/out/<app>` when `from` lies inside the workspace (found by its
 * `pnpm-workspace.yaml`), else `./out/<app>` under the working directory. Apps pass their own `import.meta` directory.
 */
export function defaultOutDir(app: string, from: string): string {
  const root = workspaceRoot(from);
  return root === null ? resolve('out', app) : join(root, 'out', app);
}

/**
 * Parses an integer command-line option: `fallback` when absent, else the integer `text`, which must be ≥ `min`.
 * Throws a ValueError naming the app and the option otherwise.
 */
export function intOption(app: string, name: string, text: string | undefined, fallback: number, min = 1): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new ValueError(`${app}: --${name} must be an integer >= ${min}, got '${text}'`);
  return n;
}

/**
 * Parses a numeric command-line option: `fallback` when absent, else the finite number `text` within [min, max].
 * Throws a ValueError naming the app and the option otherwise.
 */
export function numberOption(
  app: string,
  name: string,
  text: string | undefined,
  fallback: number,
  min = -Infinity,
  max = Infinity,
): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
    throw new ValueError(`${app}: --${name} must be a number in [${min}, ${max}], got '${text}'`);
  }
  return n;
}

/**
 * Parses a comma-separated choice list such as `--models LSTM,Transformer`: all of `choices` when absent, else the
 * named ones in the order given. Throws a ValueError naming the app, the option and the unknown `what` otherwise.
 */
export function listOption<T extends string>(app: string, name: string, text: string | undefined, choices: readonly T[], what: string): readonly T[] {
  if (text === undefined) return choices;
  const names = text.split(',').map((s) => s.trim());
  for (const n of names) {
    if (!(choices as readonly string[]).includes(n)) throw new ValueError(`${app}: --${name}: unknown ${what} '${n}' (choose from ${choices.join(', ')})`);
  }
  return names as T[];
}
