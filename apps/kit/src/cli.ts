import { join, resolve } from 'node:path';
import { ValueError } from '@elman/core';
import { workspaceRoot } from './experiments.js';

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
