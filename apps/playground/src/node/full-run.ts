import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, numberIn, openPlayground, train } from './e2e.js';

/** The runs of `--full`, in order: every task with its defaults, plus the char LM's transformer. */
export const FULL_RUNS: readonly { task: string; cell?: string }[] = [
  { task: 'sine' },
  { task: 'births' },
  { task: 'dates' },
  { task: 'charlm' },
  { task: 'charlm', cell: 'transformer' },
];

/** One task trained in the page with its default hyperparameters. */
export interface TaskRun {
  /** The task. */
  task: string;
  /** The model select's value when it was changed from the task's default. */
  cell?: string;
  /** Steps done. */
  steps: number;
  /** Mean loss of the first 10 steps, as displayed. */
  initialLoss: number;
  /** Mean loss of the last 10 steps, as displayed. */
  recentLoss: number;
  /** Throughput, as displayed. */
  throughput: string;
  /** The sample summary line: held-out RMSE vs seasonal naive, exact match, or bits per character. */
  summary: string;
  /** Wall time of the run, seconds. */
  seconds: number;
  /** Full-page screenshot after the run. */
  screenshot: string;
}

/** What {@link runFull} measured. */
export interface FullOutcome {
  /** The backend the worker reported. */
  backend: string;
  /** One entry per task. */
  runs: TaskRun[];
  /** Errors the page or the worker logged (none expected). */
  pageErrors: string[];
}

/**
 * Trains every task of the served page with its default hyperparameters in headless Chromium, one after the other
 * ({@link FULL_RUNS}), and reads the figures the page shows; screenshots go to `outDir/playground-<run>.png`.
 */
export async function runFull(options: { url: string; outDir: string; chromiumPath?: string; log?: (line: string) => void }): Promise<FullOutcome> {
  const log = options.log ?? (() => {});
  mkdirSync(options.outDir, { recursive: true });
  const browser = await launchChromium(options.chromiumPath);
  try {
    const { page, backend, pageErrors } = await openPlayground(browser, options.url);
    log(`page loaded, worker ready on the ${backend} backend`);
    const runs: TaskRun[] = [];
    for (const { task, cell } of FULL_RUNS) {
      const started = performance.now();
      // Selecting the task (and the cell) loads its defaults into the form; the steps are left as they are.
      const status = await train(page, task, undefined, 600_000, cell);
      const name = cell ? `${task}-${cell}` : task;
      const screenshot = join(options.outDir, `playground-${name}.png`);
      await page.screenshot({ path: screenshot, fullPage: true });
      const run: TaskRun = {
        task,
        ...(cell ? { cell } : {}),
        steps: await numberIn(page, '#stat-step'),
        initialLoss: await numberIn(page, '#stat-initial'),
        recentLoss: await numberIn(page, '#stat-recent'),
        throughput: ((await page.textContent('#stat-speed')) ?? '').trim(),
        summary: ((await page.textContent('#sample-summary')) ?? '').trim(),
        seconds: (performance.now() - started) / 1000,
        screenshot,
      };
      log(`${name}: ${status} ${run.summary}`);
      runs.push(run);
    }
    return { backend, runs, pageErrors };
  } finally {
    await browser.close();
  }
}
