import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import type { CodeBlock } from './extract.js';

/** How one run of a block ended. */
export interface RunResult {
  /** True when the process exited with code 0 within the time limit. */
  ok: boolean;
  /** Exit code, or null when the process was killed. */
  exitCode: number | null;
  /** True when the time limit killed it. */
  timedOut: boolean;
  /** What the block printed. */
  stdout: string;
  /** What the block printed on stderr (an uncaught error's stack lands here). */
  stderr: string;
  /** Wall time, milliseconds. */
  ms: number;
}

/** Options of {@link runBlock}. */
export interface RunOptions {
  /**
   * A directory whose ancestors' node_modules resolve the workspace packages; the compiled block is written to a
   * fresh sub-directory of it (removed afterwards), so `@elman/*` resolve to their built `dist` like a user's code.
   */
  blockDir: string;
  /** Kill the block after this many milliseconds. */
  timeoutMs: number;
}

/**
 * Compiles a block to JavaScript (type erasure only; `typecheckBlocks` checks types) and runs it in a fresh
 * `node` process, so a block cannot disturb the test process or another block (global backend, RNG seed) and a
 * block that hangs is killed. The process's working directory is a fresh temporary directory, so files a block
 * writes land there and are removed.
 *
 * @param block the block to run
 * @param options where it resolves from and how long it may take
 */
export async function runBlock(block: CodeBlock, options: RunOptions): Promise<RunResult> {
  const scratch = mkdtempSync(join(options.blockDir, '.blocks-'));
  const cwd = mkdtempSync(join(tmpdir(), 'elman-docs-run-'));
  const file = join(scratch, 'block.mjs');
  writeFileSync(file, toJs(block));
  try {
    return await runNode(file, cwd, options.timeoutMs);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    rmSync(cwd, { recursive: true, force: true });
  }
}

/** Type erasure only: `typecheckBlocks` checks the types. */
function toJs(block: CodeBlock): string {
  return ts.transpileModule(block.code, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    fileName: 'block.ts',
  }).outputText;
}

// Written on its own line to stdout and stderr before each block of a batch, so output is told apart per block.
const MARK = '\u0000docs-check-block:';

/**
 * Runs several blocks one after another in ONE fresh `node` process (each is imported as its own module, in order),
 * for the many short examples of the API docs where a process per block would cost more than the blocks. A block
 * that throws fails alone and the next one still runs; blocks share the process's globals (backend, RNG seed), so
 * each example sets what it relies on. A block that ends the process (exit, crash, time limit) fails, and the
 * blocks after it fail as not run. Working directory and files as in {@link runBlock}.
 *
 * @param blocks the blocks, run in this order
 * @param options where they resolve from; `timeoutMs` limits the whole batch
 * @returns each block's result; `stdout`/`stderr` hold what was printed while it ran, `ms` its own time
 */
export async function runBlocks(blocks: readonly CodeBlock[], options: RunOptions): Promise<Map<CodeBlock, RunResult>> {
  const scratch = mkdtempSync(join(options.blockDir, '.blocks-'));
  const cwd = mkdtempSync(join(tmpdir(), 'elman-docs-run-'));
  const results = join(scratch, 'results.jsonl');
  blocks.forEach((block, n) => {
    writeFileSync(join(scratch, `block-${n}.mjs`), toJs(block));
  });
  const driver = join(scratch, 'driver.mjs');
  writeFileSync(driver, driverSource(blocks.length, results));
  try {
    const run = await runNode(driver, cwd, options.timeoutMs);
    const done = new Map<number, { ok: boolean; ms: number; error?: string }>();
    if (existsSync(results)) {
      for (const line of readFileSync(results, 'utf8').split('\n').filter(Boolean)) {
        const r = JSON.parse(line) as { n: number; ok: boolean; ms: number; error?: string };
        done.set(r.n, r);
      }
    }
    const stdout = splitByMark(run.stdout);
    const stderr = splitByMark(run.stderr);
    const out = new Map<CodeBlock, RunResult>();
    blocks.forEach((block, n) => {
      const r = done.get(n);
      const printed = { stdout: stdout.get(n) ?? '', stderr: stderr.get(n) ?? '' };
      if (r) {
        out.set(block, {
          ok: r.ok,
          exitCode: r.ok ? 0 : 1,
          timedOut: false,
          stdout: printed.stdout,
          stderr: r.error ? `${printed.stderr}${r.error}\n` : printed.stderr,
          ms: r.ms,
        });
      } else if (stdout.has(n)) {
        // It started and never reported: it ended the process (or the time limit did).
        out.set(block, { ...run, ok: false, ...printed });
      } else {
        out.set(block, { ok: false, exitCode: null, timedOut: false, stdout: '', stderr: 'not run: an earlier block ended the process', ms: 0 });
      }
    });
    return out;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    rmSync(cwd, { recursive: true, force: true });
  }
}

/** The batch's driver: imports block-0.mjs, block-1.mjs, … in order and appends one JSON line per block. */
function driverSource(count: number, results: string): string {
  return `import { appendFileSync } from 'node:fs';
const results = ${JSON.stringify(results)};
for (let n = 0; n < ${count}; n++) {
  process.stdout.write(${JSON.stringify(MARK)} + n + '\\n');
  process.stderr.write(${JSON.stringify(MARK)} + n + '\\n');
  const started = performance.now();
  let record;
  try {
    await import('./block-' + n + '.mjs');
    record = { n, ok: true };
  } catch (err) {
    record = { n, ok: false, error: String((err && err.stack) || err) };
  }
  appendFileSync(results, JSON.stringify({ ...record, ms: performance.now() - started }) + '\\n');
}
process.exit(0);
`;
}

/** Splits a batch's output at the per-block marks: block number → what it printed. */
function splitByMark(text: string): Map<number, string> {
  const parts = new Map<number, string>();
  let current = -1;
  for (const line of text.split(/(?<=\n)/)) {
    if (line.startsWith(MARK)) current = Number(line.slice(MARK.length));
    else if (current >= 0) parts.set(current, (parts.get(current) ?? '') + line);
    if (current >= 0 && !parts.has(current)) parts.set(current, '');
  }
  return parts;
}

function runNode(file: string, cwd: string, timeoutMs: number): Promise<RunResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      resolve({ ok: exitCode === 0 && !timedOut, exitCode, timedOut, stdout, stderr, ms: performance.now() - started });
    });
  });
}

/**
 * One line saying why a run failed, with the block's location and the tail of its stderr.
 *
 * @param block the block that ran
 * @param result its result
 */
export function describeFailure(block: CodeBlock, result: RunResult): string {
  const why = result.timedOut
    ? `timed out after ${Math.round(result.ms)} ms`
    : result.exitCode === null
      ? 'did not run'
      : `exited with code ${result.exitCode}`;
  const tail = result.stderr.trim().split('\n').slice(-12).join('\n');
  return `${block.file}:${block.line}: block ${why}${tail ? `\n${tail}` : ''}`;
}
