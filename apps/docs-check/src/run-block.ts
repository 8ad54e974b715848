import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
  const js = ts.transpileModule(block.code, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    fileName: 'block.ts',
  }).outputText;
  const scratch = mkdtempSync(join(options.blockDir, '.blocks-'));
  const cwd = mkdtempSync(join(tmpdir(), 'elman-docs-run-'));
  const file = join(scratch, 'block.mjs');
  writeFileSync(file, js);
  try {
    return await runNode(file, cwd, options.timeoutMs);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    rmSync(cwd, { recursive: true, force: true });
  }
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
  const why = result.timedOut ? `timed out after ${Math.round(result.ms)} ms` : `exited with code ${result.exitCode}`;
  const tail = result.stderr.trim().split('\n').slice(-12).join('\n');
  return `${block.file}:${block.line}: block ${why}${tail ? `\n${tail}` : ''}`;
}
