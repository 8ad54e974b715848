import { intOption, parseAppArgs } from '@elman/app-kit';
import { getBackend } from '@elman/core';
import { type ExperimentResult, runExperiment } from './experiment.js';
import { formatTable, writePictures } from './report.js';

/** The `--help` text. */
export const HELP = `elman gradients — the vanishing/exploding gradient explorer

Measures ‖∂L/∂h_t‖ against t for a tanh RNN, an IRNN (ReLU, identity init), an LSTM and a GRU on the adding problem
(Hochreiter & Schmidhuber 1997), at initialisation and after training with Adam, without and with gradient clipping.

Usage: pnpm demo gradients [-- options]
  --T N        sequence length (default 50; --quick uses 30)
  --steps N    Adam steps per training run (default 1500; --quick uses 150)
  --out DIR    where the SVG pictures go (default: out/gradients at the repository root; a relative
               DIR is relative to the working directory, apps/gradients under pnpm demo)
  --quick      a short run (well under a minute)
  --help       this text`;

/** What {@link runCli} produced: the measurements and the pictures written (null after `--help`). */
export interface CliOutcome {
  /** The experiment's measurements. */
  result: ExperimentResult;
  /** Paths of the SVG files written. */
  pictures: string[];
}

/**
 * The explorer's command line: parses `argv` (the arguments after the program name), runs the experiment, prints the
 * progress and the table through `log`, writes the pictures. Returns null after `--help`. Runs on the active backend
 * (the binary awaits `ready()` first, so it gets the fastest one).
 */
export function runCli(argv: string[], log: (line: string) => void = console.log): CliOutcome | null {
  const args = parseAppArgs({ name: 'gradients', help: HELP, options: ['T', 'steps'], dir: import.meta.dirname, record: false }, argv, log);
  if (args === null) return null;
  const { values, quick, out } = args;
  const length = intOption('gradients', 'T', values.T, quick ? 30 : 50, 2);
  const steps = intOption('gradients', 'steps', values.steps, quick ? 150 : 1500, 1);
  log(`Elman gradients: adding problem, T = ${length}, ${steps} steps per run, backend ${getBackend().name}`);
  const started = performance.now();
  const result = runExperiment({ length, steps, onProgress: (line) => log(`  ${line}`) });
  log(`\n${formatTable(result)}\n`);
  const pictures = writePictures(result, out);
  for (const path of pictures) log(`wrote ${path}`);
  log(`${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { result, pictures };
}
