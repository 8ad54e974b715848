import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectBlocks, extractBlocks, MarkdownBlockError, markdownFiles } from './extract.js';

describe('extractBlocks', () => {
  it('finds ts and typescript blocks with their fence line and mode, and skips other languages', () => {
    const md = [
      '# Title', // 1
      '```ts', // 2
      'const a = 1;', // 3
      '```', // 4
      '```sh', // 5
      'pnpm test', // 6
      '```', // 7
      '~~~typescript run', // 8
      'const b = 2;', // 9
      'const c = 3;', // 10
      '~~~', // 11
      '```TS no-check', // 12
      'fragment(', // 13
      '```', // 14
    ].join('\n');
    expect(extractBlocks(md, 'x.md')).toEqual([
      { file: 'x.md', line: 2, mode: 'check', code: 'const a = 1;' },
      { file: 'x.md', line: 8, mode: 'run', code: 'const b = 2;\nconst c = 3;' },
      { file: 'x.md', line: 12, mode: 'skip', code: 'fragment(' },
    ]);
  });

  it('removes a list item fence indentation from the code and keeps deeper indentation', () => {
    const md = '1. step\n   ```ts\n   if (x) {\n     y();\n   }\n   ```\n';
    expect(extractBlocks(md, 'x.md')).toEqual([{ file: 'x.md', line: 2, mode: 'check', code: 'if (x) {\n  y();\n}' }]);
  });

  it('does not extract a ts block shown inside a longer fence, nor inline triple backticks', () => {
    const md = ['````md', '```ts', 'not code', '```', '````', 'Write ```ts run``` to run a block.'].join('\n');
    expect(extractBlocks(md, 'x.md')).toEqual([]);
  });

  it('needs a closing fence at least as long as the opening one', () => {
    const md = ['````ts', 'const a = "```";', '```', 'still code', '````'].join('\n');
    expect(extractBlocks(md, 'x.md')[0]?.code).toBe('const a = "```";\n```\nstill code');
  });

  it('rejects an unclosed fence and an unknown flag, naming file and line', () => {
    expect(() => extractBlocks('text\n```ts\nconst a = 1;\n', 'g.md')).toThrow(
      new MarkdownBlockError('g.md:2: code fence ``` is never closed'),
    );
    expect(() => extractBlocks('\n\n```ts norun\nx\n```', 'g.md')).toThrow(/g\.md:3: unknown flag "norun"/);
    expect(() => extractBlocks('```ts run no-check\nx\n```', 'g.md')).toThrow(/g\.md:1: flags "run" and "no-check"/);
  });
});

describe('markdownFiles / collectBlocks', () => {
  it('reads README.md and every .md under docs/guides, recursively and sorted', () => {
    const root = mkdtempSync(join(tmpdir(), 'elman-docs-extract-'));
    try {
      mkdirSync(join(root, 'docs', 'guides', 'deep'), { recursive: true });
      mkdirSync(join(root, 'docs', 'api'), { recursive: true });
      writeFileSync(join(root, 'README.md'), '```ts\nconst r = 0;\n```\n');
      writeFileSync(join(root, 'docs', 'guides', 'b.md'), '```ts run\nconst b = 0;\n```\n');
      writeFileSync(join(root, 'docs', 'guides', 'a.md'), 'no code\n');
      writeFileSync(join(root, 'docs', 'guides', 'deep', 'c.md'), '```ts\nconst c = 0;\n```\n');
      writeFileSync(join(root, 'docs', 'guides', 'notes.txt'), '```ts\nignored\n```\n');
      writeFileSync(join(root, 'docs', 'api', 'x.md'), '```ts\nignored\n```\n');
      expect(markdownFiles(root)).toEqual(['README.md', 'docs/guides/a.md', 'docs/guides/b.md', 'docs/guides/deep/c.md']);
      expect(collectBlocks(root).map((b) => `${b.file}:${b.line}:${b.mode}`)).toEqual([
        'README.md:1:check',
        'docs/guides/b.md:1:run',
        'docs/guides/deep/c.md:1:check',
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
