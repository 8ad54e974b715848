import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ValueError } from '@elman/core';

/**
 * One learning-experiment figure, as a line of `bench/results/experiments.jsonl` (rendered into `bench/RESULTS.md`
 * by `node bench/scripts/results-md.mjs`).
 */
export interface ExperimentRecord {
  /** What was learned, e.g. `"date normalisation (15 formats)"`. */
  experiment: string;
  /** The model and its size, e.g. `"BiLSTM H=64"`. */
  model: string;
  /** The metric's name, e.g. `"held-out exact match"`. */
  metric: string;
  /** The measured value. */
  value: number;
  /** The baseline it is compared with, as text (e.g. `"majority class 0.50"`). */
  baseline: string;
  /** The command that reproduces the figure. */
  command: string;
  /** Anything else a reader needs (run time, machine load). */
  note?: string;
}

/** The repository root above `from` (found by its `pnpm-workspace.yaml`), or null outside a workspace. */
export function workspaceRoot(from: string): string | null {
  let dir = resolve(from);
  while (dirname(dir) !== dir) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    dir = dirname(dir);
  }
  return null;
}

/**
 * Appends `record` (with today's date and the machine) as one JSON line to `<root>/bench/results/experiments.jsonl`.
 * Apps call it only when the user asks (`--record`), so test runs never touch the results file. Returns the file path.
 */
export function recordExperiment(record: ExperimentRecord, root: string): string {
  const file = join(root, 'bench', 'results', 'experiments.jsonl');
  mkdirSync(dirname(file), { recursive: true });
  const line = {
    experiment: record.experiment,
    model: record.model,
    metric: record.metric,
    value: record.value,
    baseline: record.baseline,
    command: record.command,
    date: new Date().toISOString().slice(0, 10),
    machine: 'AMD EPYC, 2 cores',
    ...(record.note === undefined ? {} : { note: record.note }),
  };
  // One write of one whole line: concurrent appenders interleave by lines, never inside one.
  appendFileSync(file, `${JSON.stringify(line)}\n`);
  return file;
}

/**
 * Appends an app's `records` ({@link recordExperiment}) to the experiments file of the workspace above `dir` (the
 * app's `import.meta.dirname`). Throws naming the app when it does not run inside the Elman workspace. Returns the
 * file path.
 */
export function recordAppExperiments(app: string, dir: string, records: readonly ExperimentRecord[]): string {
  const root = workspaceRoot(dir);
  if (root === null) throw new ValueError(`${app}: --record needs the Elman workspace (bench/results) above the app`);
  let file = '';
  for (const record of records) file = recordExperiment(record, root);
  return file;
}
