import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CodeBlock } from './extract.js';
import { typecheckBlocks } from './typecheck.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BLOCK_DIR = fileURLToPath(new URL('../', import.meta.url));

const block = (line: number, code: string): CodeBlock => ({ file: 'guide.md', line, mode: 'check', code });

describe('typecheckBlocks', () => {
  it('accepts correct code against the built @elman/core and reports errors at the Markdown line', () => {
    const good = block(10, "import { tensor } from '@elman/core';\nconst t = tensor([1, 2, 3]);\nconsole.log(t.sum().item());");
    const bad = block(40, "import { tensor } from '@elman/core';\n\nconst n: number = tensor([1]).shape;");
    const result = typecheckBlocks([good, bad], { root: ROOT, blockDir: BLOCK_DIR });
    expect(result.other).toEqual([]);
    expect(result.byBlock.get(good)).toBeUndefined();
    const errors = result.byBlock.get(bad) ?? [];
    expect(errors).toHaveLength(1);
    // Fence on line 40, code from line 41, the error on the block's third line.
    expect(errors[0]).toMatch(/^guide\.md:43:7 TS2322: Type 'readonly number\[\]' is not assignable to type 'number'/);
  });

  it("applies the repository's strict options (noUncheckedIndexedAccess)", () => {
    const b = block(1, 'const xs: number[] = [1];\nconst x: number = xs[0];\nconsole.log(x);');
    expect(typecheckBlocks([b], { root: ROOT, blockDir: BLOCK_DIR }).byBlock.get(b)?.[0]).toMatch(
      /^guide\.md:3:7 TS2322: Type 'number \| undefined'/,
    );
  });

  it('treats every block as its own module, so blocks may reuse top-level names', () => {
    const a = block(1, 'const model = 1;\nconsole.log(model);');
    const b = block(9, "const model = 'two';\nconsole.log(model);");
    const result = typecheckBlocks([a, b], { root: ROOT, blockDir: BLOCK_DIR });
    expect([...result.byBlock.values()]).toEqual([]);
  });

  it('says to build the workspace when an @elman module cannot be found', () => {
    const b = block(1, "import { nothing } from '@elman/does-not-exist';\nconsole.log(nothing);");
    expect(typecheckBlocks([b], { root: ROOT, blockDir: BLOCK_DIR }).byBlock.get(b)?.[0]).toMatch(
      /^guide\.md:2:25 TS2307: .*'@elman\/does-not-exist'.* run `pnpm build`\)$/,
    );
  });
});
