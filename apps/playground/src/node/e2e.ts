import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';
import { type SafetensorsHeader, parseSafetensorsHeader } from './safetensors-header.js';

/** Where Debian's `chromium` package puts the browser (`.ci/run` installs it when missing). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Whether a Chromium binary is installed at `path`. */
export function chromiumAvailable(path: string = CHROMIUM_PATH): boolean {
  return existsSync(path);
}

/** Starts headless Chromium from `executablePath`; throws, naming the path and the fix, when it is not installed. */
export async function launchChromium(executablePath: string = CHROMIUM_PATH): Promise<Browser> {
  if (!chromiumAvailable(executablePath)) {
    throw new Error(`e2e: no Chromium at ${executablePath} (Debian: apt-get install chromium; .ci/run does it)`);
  }
  return chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
}

/** An open playground page whose worker is ready. */
export interface OpenPage {
  /** The page. */
  page: Page;
  /** The backend the worker reported. */
  backend: string;
  /** Errors the page or the worker log from now on (filled as they happen). */
  pageErrors: string[];
}

/** Opens the playground at `url` in a new page (downloads allowed) and waits until the worker reports its backend. */
export async function openPlayground(browser: Browser, url: string): Promise<OpenPage> {
  const page = await browser.newPage({ acceptDownloads: true, viewport: { width: 1040, height: 900 } });
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(m.text());
  });
  await page.goto(url);
  await page.waitForFunction(() => document.getElementById('stat-backend')?.textContent !== '–', undefined, { timeout: 15_000 });
  return { page, backend: ((await page.textContent('#stat-backend')) ?? '').trim(), pageErrors };
}

/** Options of {@link runE2e}. */
export interface E2eOptions {
  /** URL of the served page. */
  url: string;
  /** Folder for the screenshot (created if needed). */
  outDir: string;
  /** Chromium binary (default {@link CHROMIUM_PATH}). */
  chromiumPath?: string;
  /** Task to train, a value of the page's task picker (default `sine`). */
  task?: string;
  /** Steps to train (default: the form's default for the task). */
  steps?: number;
  /** Progress lines. */
  log?: (line: string) => void;
  /** Longest wait for the run to finish, ms (default 40 s). */
  timeoutMs?: number;
  /** Steps of a second, short run of the dates task that checks the attention heat map (0 skips it; default 0). */
  datesSteps?: number;
}

/** What the browser run showed. */
export interface E2eOutcome {
  /** Backend the worker reported: `wasm (relaxed-simd)` or `wasm (simd)` when WebAssembly SIMD works in the browser. */
  backend: string;
  /** Steps the page reports as done. */
  steps: number;
  /** "Initial loss" the page displays (mean of the first 10 steps). */
  initialLoss: number;
  /** "Recent loss" the page displays (mean of the last 10 steps). */
  recentLoss: number;
  /** Throughput text the page displays. */
  throughput: string;
  /** The sample summary line (held-out RMSE vs baseline, bits per char or exact match). */
  sampleSummary: string;
  /** Path of the full-page screenshot. */
  screenshot: string;
  /** The downloaded file's name and bytes. */
  download: { fileName: string; bytes: Uint8Array };
  /** Its parsed header. */
  header: SafetensorsHeader;
  /** The attention heat map of a short dates run: SVG cells, and the rows of the decoded-dates table. */
  dates: {
    /** Cells of the heat map. */
    cells: number;
    /** Distinct rows (output characters) of the heat map. */
    rows: number;
    /** Distinct columns (input characters) of the heat map. */
    cols: number;
    /** The first decoded example's input, whose attention the heat map shows. */
    firstInput: string;
    /** "Initial loss" of the dates run. */
    initialLoss: number;
    /** "Recent loss" of the dates run. */
    recentLoss: number;
    /** Rows of the decoded-dates table. */
    tableRows: number;
    /** The sample summary line (exact match). */
    summary: string;
    /** Path of the screenshot of the dates run. */
    screenshot: string;
  } | null;
  /** Errors the page or the worker logged (none expected). */
  pageErrors: string[];
  /** Wall time of the browser part, seconds. */
  seconds: number;
}

/** The number in an element's text (`"0.1234"`, `"150 / 150"` → first number). */
export async function numberIn(page: Page, selector: string): Promise<number> {
  const text = (await page.textContent(selector)) ?? '';
  const m = /-?\d+(\.\d+)?(e-?\d+)?/i.exec(text);
  if (!m) throw new Error(`e2e: ${selector} shows no number: '${text}'`);
  return Number(m[0]);
}

/**
 * Picks `task` (and `cell`, when given), sets the steps, clicks Train and waits for "Done" and for the stats to show the last step; returns the
 * status line. Throws if the run ends any other way.
 */
export async function train(page: Page, task: string, steps: number | undefined, timeout: number, cell?: string): Promise<string> {
  await page.selectOption('#task', task);
  if (cell !== undefined) await page.selectOption('#cell', cell);
  if (steps !== undefined) await page.fill('#steps', String(steps));
  await page.click('#train');
  await page.waitForFunction(() => /^(Done|Stopped|Error)/.test(document.getElementById('status')?.textContent ?? ''), undefined, {
    timeout,
    polling: 250,
  });
  const status = ((await page.textContent('#status')) ?? '').trim();
  if (!status.startsWith('Done')) throw new Error(`e2e: the ${task} run ended with '${status}'`);
  // The stats update on the next animation frame after the last step: wait until they show every step.
  await page.waitForFunction(() => /^(\d+) \/ \1$/.test(document.getElementById('stat-step')?.textContent ?? ''), undefined, { timeout: 5_000 });
  return status;
}

/**
 * Drives the served playground in headless Chromium the way a user would: waits for the worker's backend, picks the
 * task, sets the steps, clicks Train, waits for "Done", reads the loss figures from the page, takes a full-page
 * screenshot and clicks "Download weights", returning the file and its parsed safetensors header.
 */
export async function runE2e(options: E2eOptions): Promise<E2eOutcome> {
  const log = options.log ?? (() => {});
  const task = options.task ?? 'sine';
  const started = performance.now();
  const browser = await launchChromium(options.chromiumPath);
  try {
    const { page, backend, pageErrors } = await openPlayground(browser, options.url);
    log(`page loaded, worker ready on the ${backend} backend`);
    const status = await train(page, task, options.steps, options.timeoutMs ?? 40_000);
    log(`training ${task}: ${status}`);
    const outcome = {
      backend,
      steps: await numberIn(page, '#stat-step'),
      initialLoss: await numberIn(page, '#stat-initial'),
      recentLoss: await numberIn(page, '#stat-recent'),
      throughput: ((await page.textContent('#stat-speed')) ?? '').trim(),
      sampleSummary: ((await page.textContent('#sample-summary')) ?? '').trim(),
    };
    log(`initial loss ${outcome.initialLoss}, recent loss ${outcome.recentLoss}, ${outcome.throughput}`);
    mkdirSync(options.outDir, { recursive: true });
    const screenshot = join(options.outDir, 'playground.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 10_000 }), page.click('#download')]);
    const file = await download.path();
    const bytes = new Uint8Array(readFileSync(file));
    const header = parseSafetensorsHeader(bytes);
    log(`downloaded ${download.suggestedFilename()}: ${bytes.byteLength} bytes, ${Object.keys(header.tensors).length} tensors`);
    let dates: E2eOutcome['dates'] = null;
    if (options.datesSteps) {
      log(`dates: ${await train(page, 'dates', options.datesSteps, options.timeoutMs ?? 40_000)}`);
      const shot = join(options.outDir, 'playground-dates.png');
      await page.screenshot({ path: shot, fullPage: true });
      const grid = await page.$$eval('#attention svg rect', (rects) => ({
        cells: rects.length,
        rows: new Set(rects.map((r) => r.getAttribute('y'))).size,
        cols: new Set(rects.map((r) => r.getAttribute('x'))).size,
      }));
      dates = {
        ...grid,
        firstInput: ((await page.textContent('#sample tbody tr td')) ?? '').trim(),
        initialLoss: await numberIn(page, '#stat-initial'),
        recentLoss: await numberIn(page, '#stat-recent'),
        tableRows: await page.locator('#sample tbody tr').count(),
        summary: ((await page.textContent('#sample-summary')) ?? '').trim(),
        screenshot: shot,
      };
      log(`dates: ${dates.summary} heat map of ${dates.cells} cells`);
    }
    return {
      dates,
      ...outcome,
      screenshot,
      download: { fileName: download.suggestedFilename(), bytes },
      header,
      pageErrors,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await browser.close();
  }
}
