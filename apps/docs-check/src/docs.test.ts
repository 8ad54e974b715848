import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { collectBlocks } from './extract.js';
import { describeFailure, runBlock } from './run-block.js';
import { type TypecheckResult, typecheckBlocks } from './typecheck.js';

// The code blocks of README.md and docs/guides/**/*.md, type-checked against the built packages, and run when the
// fence says `ts run`. Conventions: docs/guides/README.md.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BLOCK_DIR = fileURLToPath(new URL('../', import.meta.url));
/** A `ts run` block is a short example: it must finish well within this. */
const RUN_TIMEOUT_MS = 30_000;

const blocks = collectBlocks(ROOT);
const checked = blocks.filter((b) => b.mode !== 'skip');
const runnable = blocks.filter((b) => b.mode === 'run');

describe('code blocks in README.md and docs/guides', () => {
  let result: TypecheckResult;
  beforeAll(() => {
    result = typecheckBlocks(checked, { root: ROOT, blockDir: BLOCK_DIR });
  });

  it("finds the README's first program and runs it", () => {
    const first = blocks.find((b) => b.file === 'README.md' && b.code.includes("from '@elman/core'"));
    expect(first?.mode).toBe('run');
  });

  it('has no compiler errors outside the blocks', () => {
    expect(result.other).toEqual([]);
  });

  it.each(checked.map((b) => [`${b.file}:${b.line}`, b] as const))('%s type-checks', (_, block) => {
    expect(result.byBlock.get(block) ?? []).toEqual([]);
  });

  it.each(runnable.map((b) => [`${b.file}:${b.line}`, b] as const))(
    '%s runs without throwing',
    async (_, block) => {
      const run = await runBlock(block, { blockDir: BLOCK_DIR, timeoutMs: RUN_TIMEOUT_MS });
      expect(run.ok, describeFailure(block, run)).toBe(true);
    },
    RUN_TIMEOUT_MS + 10_000,
  );
});
