import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';

// docs/guides/onnx-and-pytorch.md's onnxruntime-node example, run as written (the repository's doc-block checker
// resolves only @elman/* packages, so the block is marked no-check there and runs here instead).

const GUIDE = fileURLToPath(new URL('../../../docs/guides/onnx-and-pytorch.md', import.meta.url));
const scratch = mkdtempSync(fileURLToPath(new URL('../.guide-', import.meta.url)));

/** The TypeScript code blocks of a Markdown text. */
function tsBlocks(text: string): string[] {
  return [...text.matchAll(/^```ts[^\n]*\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

describe('docs/guides/onnx-and-pytorch.md', () => {
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('serves an exported model with onnxruntime-node as the Node example shows', async () => {
    const blocks = tsBlocks(readFileSync(GUIDE, 'utf8')).filter((b) => b.includes("from 'onnxruntime-node'"));
    expect(blocks).toHaveLength(1);
    const file = join(scratch, 'serve-node.ts');
    writeFileSync(file, blocks[0]!);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      await import(/* @vite-ignore */ file);
      expect(log.mock.calls).toEqual([[[4, 8]]]);
    } finally {
      log.mockRestore();
    }
  });
});
