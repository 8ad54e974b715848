import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CodeBlock } from './extract.js';
import { describeFailure, runBlock, runBlocks } from './run-block.js';

const BLOCK_DIR = fileURLToPath(new URL('../', import.meta.url));
const block = (code: string): CodeBlock => ({ file: 'guide.md', line: 7, mode: 'run', code });
const scratchDirs = () => readdirSync(BLOCK_DIR).filter((n) => n.startsWith('.blocks-'));

describe('runBlock', () => {
  it('runs TypeScript that imports the built @elman/core, with top-level await, and captures its output', async () => {
    const run = await runBlock(
      block(
        "import { ready, tensor, type Tensor } from '@elman/core';\nawait ready();\n" +
          "const t: Tensor = tensor([1, 2, 3]);\nconsole.log('sum', t.sum().item());",
      ),
      { blockDir: BLOCK_DIR, timeoutMs: 20_000 },
    );
    expect(run).toMatchObject({ ok: true, exitCode: 0, timedOut: false, stdout: 'sum 6\n' });
  });

  it('fails a block that throws, with its location and error in the message', async () => {
    const b = block("throw new Error('boom in a guide');");
    const run = await runBlock(b, { blockDir: BLOCK_DIR, timeoutMs: 20_000 });
    expect(run.ok).toBe(false);
    expect(run.exitCode).toBe(1);
    expect(describeFailure(b, run)).toMatch(/^guide\.md:7: block exited with code 1\n[\s\S]*boom in a guide/);
  });

  it('kills a block that runs past its time limit', async () => {
    const b = block('setInterval(() => {}, 1000);');
    const run = await runBlock(b, { blockDir: BLOCK_DIR, timeoutMs: 500 });
    expect(run).toMatchObject({ ok: false, timedOut: true, exitCode: null });
    expect(describeFailure(b, run)).toMatch(/^guide\.md:7: block timed out after \d+ ms$/);
  });

  it('runs in a scratch working directory and removes what it wrote', async () => {
    const before = scratchDirs();
    const run = await runBlock(
      block("import { writeFileSync } from 'node:fs';\nwriteFileSync('model.safetensors', 'x');\nconsole.log(process.cwd());"),
      { blockDir: BLOCK_DIR, timeoutMs: 20_000 },
    );
    expect(run.ok).toBe(true);
    expect(run.stdout.startsWith(BLOCK_DIR)).toBe(false);
    expect(readdirSync(BLOCK_DIR)).not.toContain('model.safetensors');
    expect(scratchDirs()).toEqual(before);
  });
});

describe('runBlocks', () => {
  const at = (line: number, code: string): CodeBlock => ({ file: 'src/a.ts', line, mode: 'run', code });

  it('runs blocks in order in one process, each as its own module, and attributes output and errors per block', async () => {
    const first = at(
      3,
      "import { tensor } from '@elman/core';\nconst x = 1;\nconsole.log('first', tensor([1, 2]).sum().item());\n(globalThis as { pid?: number }).pid = process.pid;",
    );
    const throws = at(9, "const x = 2;\nconsole.log('second');\nthrow new Error('boom in an example');");
    const third = at(20, "const x = 3;\nawait Promise.resolve();\nconsole.log('third', (globalThis as { pid?: number }).pid === process.pid);");
    const runs = await runBlocks([first, throws, third], { blockDir: BLOCK_DIR, timeoutMs: 20_000 });
    expect(runs.get(first)).toMatchObject({ ok: true, exitCode: 0, stdout: 'first 3\n' });
    expect(runs.get(throws)).toMatchObject({ ok: false, exitCode: 1, stdout: 'second\n' });
    expect(describeFailure(throws, runs.get(throws)!)).toMatch(/^src\/a\.ts:9: block exited with code 1\n[\s\S]*boom in an example/);
    // Same process (the global set by the first block is seen), and a failure does not stop the batch.
    expect(runs.get(third)).toMatchObject({ ok: true, stdout: 'third true\n' });
  });

  it('fails the block that ends the process and marks the later ones as not run', async () => {
    const ok = at(1, "console.log('fine');");
    const exits = at(5, 'process.exit(3);');
    const after = at(9, "console.log('never');");
    const runs = await runBlocks([ok, exits, after], { blockDir: BLOCK_DIR, timeoutMs: 20_000 });
    expect(runs.get(ok)?.ok).toBe(true);
    expect(runs.get(exits)).toMatchObject({ ok: false, exitCode: 3 });
    expect(describeFailure(after, runs.get(after)!)).toBe(
      'src/a.ts:9: block did not run\nnot run: an earlier block ended the process',
    );
  });

  it('kills a batch that runs past its time limit, failing the block that hung', async () => {
    const hangs = at(2, 'await new Promise((resolve) => setInterval(() => {}, 1000));');
    const runs = await runBlocks([hangs], { blockDir: BLOCK_DIR, timeoutMs: 800 });
    expect(runs.get(hangs)).toMatchObject({ ok: false, timedOut: true });
  });
});
