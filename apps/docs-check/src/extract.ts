import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** What the doc-code test does with a block, from its fence's info string. */
export type BlockMode = 'check' | 'run' | 'skip';

/** A fenced TypeScript code block found in a Markdown file. */
export interface CodeBlock {
  /** The Markdown file, relative to the repository root, with `/` separators (used in messages). */
  file: string;
  /** 1-based line of the opening fence in `file`. */
  line: number;
  /** `check`: type-check (```ts); `run`: type-check and run (```ts run); `skip`: neither (```ts no-check). */
  mode: BlockMode;
  /** The code between the fences, with the fence's own indentation removed from every line. */
  code: string;
  /**
   * 1-based column in `file` where the code's lines start, when it is not 1: a TSDoc example's lines sit after the
   * comment's ` * ` prefix. Error messages add it to the column within the code.
   */
  column?: number;
}

/** A Markdown file whose fences cannot be read; the message names the file and line. */
export class MarkdownBlockError extends Error {
  override name = 'MarkdownBlockError';
}

const TS_LANGS = new Set(['ts', 'typescript']);
const FLAG_MODES: Record<string, BlockMode> = { run: 'run', 'no-check': 'skip' };

// CommonMark fences: three or more backticks or tildes; a backtick fence's info string may not contain a backtick
// (so inline code like ``` ```ts run ``` in a sentence is not a fence). Indentation is allowed beyond CommonMark's
// three spaces so that fences inside list items are found too.
const OPEN = /^([ \t]*)(`{3,}|~{3,})(.*)$/;

/**
 * Extracts the ```ts / ```typescript blocks of one Markdown text. Blocks in other languages are skipped, as are
 * fences nested inside a longer fence (a ````md block that shows a ```ts block is documentation, not code).
 *
 * @param text the Markdown source
 * @param file the file's name for messages and {@link CodeBlock.file}
 * @param firstLine the line of `file` that `text` starts on (1 for a whole file; a doc comment's section elsewhere)
 * @throws MarkdownBlockError on an unclosed fence or an unknown flag after `ts` (e.g. ```ts norun)
 */
export function extractBlocks(text: string, file: string, firstLine = 1): CodeBlock[] {
  const lines = text.split(/\r?\n/);
  const blocks: CodeBlock[] = [];
  let i = 0;
  while (i < lines.length) {
    const open = OPEN.exec(lines[i]!);
    const info = open?.[3]?.trim() ?? '';
    if (!open || (open[2]!.startsWith('`') && info.includes('`'))) {
      i++;
      continue;
    }
    const indent = open[1]!.length;
    const fence = open[2]!;
    const start = i;
    const body: string[] = [];
    i++;
    while (i < lines.length && !isClose(lines[i]!, fence)) {
      body.push(stripIndent(lines[i]!, indent));
      i++;
    }
    const line = start + firstLine;
    if (i >= lines.length) throw new MarkdownBlockError(`${file}:${line}: code fence ${fence} is never closed`);
    i++;
    const [lang = '', ...flags] = info.split(/\s+/);
    if (!TS_LANGS.has(lang.toLowerCase())) continue;
    blocks.push({ file, line, mode: modeOf(flags, file, line), code: body.join('\n') });
  }
  return blocks;
}

/** A closing fence: the opening fence's character, at least as many times, nothing else on the line. */
function isClose(line: string, fence: string): boolean {
  const trimmed = line.trim();
  return trimmed.length >= fence.length && /^(`+|~+)$/.test(trimmed) && trimmed[0] === fence[0];
}

/** Removes up to `n` leading blanks: the code of a fence indented inside a list item starts at the fence's column. */
function stripIndent(line: string, n: number): string {
  let k = 0;
  while (k < n && (line[k] === ' ' || line[k] === '\t')) k++;
  return line.slice(k);
}

function modeOf(flags: readonly string[], file: string, line: number): BlockMode {
  let mode: BlockMode = 'check';
  for (const flag of flags) {
    const m = FLAG_MODES[flag];
    if (m === undefined) {
      throw new MarkdownBlockError(
        `${file}:${line}: unknown flag "${flag}" after ts; use \`ts\` (type-check), \`ts run\` (type-check and run) or \`ts no-check\``,
      );
    }
    if (mode !== 'check' && mode !== m) {
      throw new MarkdownBlockError(`${file}:${line}: flags "run" and "no-check" exclude each other`);
    }
    mode = m;
  }
  return mode;
}

/**
 * The Markdown files whose code the test checks: the root README.md and every `*.md` under docs/guides
 * (recursively; docs/api is generated and not included), sorted, relative to `root` with `/` separators.
 *
 * @param root the repository root
 */
export function markdownFiles(root: string): string[] {
  const files = ['README.md'];
  const guides = join(root, 'docs', 'guides');
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.md')) files.push(relative(root, path).split(sep).join('/'));
    }
  };
  if (statSync(guides, { throwIfNoEntry: false })?.isDirectory()) walk(guides);
  return files;
}

/**
 * Every TypeScript block of {@link markdownFiles}, in file order.
 *
 * @param root the repository root
 */
export function collectBlocks(root: string): CodeBlock[] {
  return markdownFiles(root).flatMap((file) => extractBlocks(readFileSync(join(root, file), 'utf8'), file));
}
