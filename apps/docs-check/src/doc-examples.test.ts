import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  collectDocExamples,
  DocExampleError,
  extractDocExamples,
  namesWithExamples,
  packageOf,
  sourceFiles,
} from './doc-examples.js';
import { typecheckBlocks } from './typecheck.js';

describe('extractDocExamples', () => {
  it('strips the comment prefix " * " and keeps the code’s own indentation, with the fence’s source line', () => {
    const src = [
      "import { x } from './x.js';", // 1
      '', // 2
      '/**', // 3
      ' * Adds things.', // 4
      ' *', // 5
      ' * @example', // 6
      ' * ```ts run', // 7
      " * import { tensor } from '@elman/core';", // 8
      ' * if (tensor([1]).size > 0) {', // 9
      " *   console.log('one');", // 10
      ' * }', // 11
      ' * ```', // 12
      ' */', // 13
      'export function add(): void {}', // 14
    ].join('\n');
    expect(extractDocExamples(src, 'packages/p/src/add.ts')).toEqual([
      {
        file: 'packages/p/src/add.ts',
        line: 7,
        mode: 'run',
        column: 4,
        code: "import { tensor } from '@elman/core';\nif (tensor([1]).size > 0) {\n  console.log('one');\n}",
      },
    ]);
  });

  it('handles indented member comments, a bare "*" line inside the code, titles and several examples', () => {
    const src = [
      'export class A {', // 1
      '  /**', // 2
      '   * A method.', // 3
      '   * @example Shapes', // 4
      '   * ```ts', // 5
      '   * const a = 1;', // 6
      '   *', // 7
      '   * const b = 2;', // 8
      '   * ```', // 9
      '   * @example', // 10
      '   * ```ts no-check', // 11
      '   * fragment(', // 12
      '   * ```', // 13
      '   * @returns nothing', // 14
      '   */', // 15
      '  m(): void {}', // 16
      '}', // 17
    ].join('\n');
    expect(extractDocExamples(src, 'a.ts')).toEqual([
      { file: 'a.ts', line: 5, mode: 'check', column: 6, code: 'const a = 1;\n\nconst b = 2;' },
      { file: 'a.ts', line: 11, mode: 'skip', column: 6, code: 'fragment(' },
    ]);
  });

  it('ignores ts blocks outside @example, other languages, and one-line or non-doc comments', () => {
    const src = [
      '/** One line. */',
      '/*',
      ' * @example',
      ' * ```ts',
      ' * not a doc comment',
      ' * ```',
      ' */',
      '/**',
      ' * Described with a block that is not an example:',
      ' * ```ts',
      ' * ignored',
      ' * ```',
      ' * @example',
      ' * ```sh',
      ' * pnpm demo forecast',
      ' * ```',
      ' */',
      "const s = ' /** @example ```ts x ``` */';",
    ].join('\n');
    expect(extractDocExamples(src, 'a.ts')).toEqual([]);
  });

  it('ends an example at the next block tag, but not at an "@" inside its fence', () => {
    const src = [
      '/**',
      ' * @example',
      ' * ```ts',
      " * import { lstm } from '@elman/wrappers';",
      ' * @decorator',
      ' * ```',
      ' * @param x - the input',
      ' * ```ts',
      ' * after the example: not extracted',
      ' * ```',
      ' */',
    ].join('\n');
    expect(extractDocExamples(src, 'a.ts').map((b) => b.code)).toEqual([
      "import { lstm } from '@elman/wrappers';\n@decorator",
    ]);
  });

  it('rejects an example without a fence, an unclosed fence and an unknown flag, naming file and line', () => {
    expect(() => extractDocExamples('/**\n * @example\n * add(1, 2);\n */', 'a.ts')).toThrow(
      new DocExampleError('a.ts:3: @example has no fenced code block (write ```ts … ```)'),
    );
    expect(() => extractDocExamples('\n/**\n * @example\n * ```ts\n * x\n */', 'a.ts')).toThrow(
      new DocExampleError('a.ts:4: code fence ``` is never closed'),
    );
    expect(() => extractDocExamples('/**\n * @example\n * ```ts runn\n * x\n * ```\n */', 'a.ts')).toThrow(
      /^a\.ts:3: unknown flag "runn"/,
    );
  });

  it('gives type errors at the source line and column of the code inside the comment', () => {
    const src = ['/**', ' * @example', ' * ```ts', ' * const n: number = "one";', ' * ```', ' */'].join('\n');
    const [block] = extractDocExamples(src, 'packages/p/src/n.ts');
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const result = typecheckBlocks([block!], { root, blockDir: fileURLToPath(new URL('../', import.meta.url)) });
    // ` * const n` → `n` is at column 10 of line 4.
    expect(result.byBlock.get(block!)?.[0]).toMatch(/^packages\/p\/src\/n\.ts:4:10 TS2322: /);
  });
});

describe('namesWithExamples', () => {
  it('names the declarations right after comments that have an example with a fence', () => {
    const ex = (decl: string) => `/**\n * Doc.\n * @example\n * \`\`\`ts\n * x;\n * \`\`\`\n */\n${decl}`;
    const src = [
      ex('export class Tensor {'),
      '  /**',
      '   * @example',
      '   * ```ts',
      '   * t.sum();',
      '   * ```',
      '   */',
      '',
      '  mostSimilar(query: string): void {}',
      ex('  static build(corpus: string[]): Vocabulary {'),
      '}',
      ex('export abstract class Module {}'),
      ex('export async function saveModel(path: string): Promise<void> {}'),
      ex('export function tensor<T>(values: T): Tensor {'),
      '/** No example. */',
      'export function plain(): void {}',
      '/**\n * @example\n * plain text, no fence (an error for the extractor)\n */',
      'export function unfenced(): void {}',
      '/**\n * Fenced but not an example:\n * ```ts\n * x;\n * ```\n */',
      'export const notExample = 1;',
    ].join('\n');
    expect(namesWithExamples(src)).toEqual(['Tensor', 'mostSimilar', 'build', 'Module', 'saveModel', 'tensor']);
  });
});

describe('sourceFiles / collectDocExamples / packageOf', () => {
  it('reads packages/*/src/**/*.ts except tests and declarations, sorted', () => {
    const root = mkdtempSync(join(tmpdir(), 'elman-docs-examples-'));
    try {
      mkdirSync(join(root, 'packages', 'b', 'src', 'deep'), { recursive: true });
      mkdirSync(join(root, 'packages', 'a', 'src'), { recursive: true });
      mkdirSync(join(root, 'packages', 'a', 'dist'), { recursive: true });
      mkdirSync(join(root, 'packages', 'no-src'), { recursive: true });
      const example = '/**\n * @example\n * ```ts\n * const x = 1;\n * ```\n */\n';
      writeFileSync(join(root, 'packages', 'a', 'src', 'index.ts'), example);
      writeFileSync(join(root, 'packages', 'a', 'src', 'index.test.ts'), example);
      writeFileSync(join(root, 'packages', 'a', 'src', 'types.d.ts'), example);
      writeFileSync(join(root, 'packages', 'a', 'dist', 'index.ts'), example);
      writeFileSync(join(root, 'packages', 'b', 'src', 'deep', 'z.ts'), `\n${example}`);
      writeFileSync(join(root, 'packages', 'b', 'src', 'y.ts'), 'export const y = 1;\n');
      expect(sourceFiles(root)).toEqual(['packages/a/src/index.ts', 'packages/b/src/deep/z.ts', 'packages/b/src/y.ts']);
      expect(collectDocExamples(root).map((b) => `${b.file}:${b.line}`)).toEqual([
        'packages/a/src/index.ts:3',
        'packages/b/src/deep/z.ts:4',
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('names the package of a source file', () => {
    expect(packageOf('packages/core/src/nn/linear.ts')).toBe('core');
  });
});
