import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CodeBlock } from './extract.js';
import { describeFailure, runBlock } from './run-block.js';

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
