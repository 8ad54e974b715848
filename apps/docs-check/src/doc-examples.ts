import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { type CodeBlock, extractBlocks } from './extract.js';

/** A doc comment whose `@example` cannot be read; the message names the source file and line. */
export class DocExampleError extends Error {
  override name = 'DocExampleError';
}

/** One `/** … *\/` comment with its lines' ` * ` prefixes removed. */
interface DocComment {
  /** 1-based line of the comment's `/**` in the source file. */
  line: number;
  /** The comment's text lines, prefix-stripped; `lines[k]` is on source line `line + k`. */
  lines: string[];
  /** For each line, the 1-based source column its stripped text starts at. */
  columns: number[];
  /** The first non-blank source line after the comment: the declaration it documents. */
  next: string;
}

const FENCE = /^[ \t]*(`{3,}|~{3,})/;
const BLOCK_TAG = /^@[A-Za-z]/;

/**
 * Extracts the ```ts blocks inside the `@example` tags of a TypeScript source's TSDoc comments. Each comment line
 * loses its ` * ` prefix (the blanks, the star and one space, so code keeps its own indentation); an `@example`
 * section runs from its tag to the next block tag (`@param`, `@returns`, …) outside a fence or the comment's end.
 * Blocks keep the Markdown fence conventions of {@link extractBlocks} (`ts`, `ts run`, `ts no-check`); their
 * {@link CodeBlock.line} is the fence's line in the source and {@link CodeBlock.column} the column the code starts at.
 *
 * @param source the TypeScript source text
 * @param file the source's name for messages and {@link CodeBlock.file}
 * @throws DocExampleError on an `@example` without a fenced code block, an unclosed fence or an unknown flag
 */
export function extractDocExamples(source: string, file: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  for (const comment of docComments(source)) {
    for (const [start, end] of exampleSections(comment)) {
      const line = comment.line + start;
      let found: CodeBlock[];
      try {
        found = extractBlocks(comment.lines.slice(start, end).join('\n'), file, line);
      } catch (err) {
        throw new DocExampleError(err instanceof Error ? err.message : String(err));
      }
      if (!comment.lines.slice(start, end).some((l) => FENCE.test(l))) {
        throw new DocExampleError(`${file}:${line}: @example has no fenced code block (write \`\`\`ts … \`\`\`)`);
      }
      for (const block of found) {
        const k = block.line - comment.line;
        const fenceIndent = /^[ \t]*/.exec(comment.lines[k] ?? '')?.[0].length ?? 0;
        blocks.push({ ...block, column: (comment.columns[k] ?? 1) + fenceIndent });
      }
    }
  }
  return blocks;
}

// An exported declaration (`export class X`, `export async function x`, …) or a class member (`x(`, `static x(`).
const DECLARATION =
  /^(?:export\s+)?(?:declare\s+)?(?:default\s+)?(?:abstract\s+)?(?:async\s+)?(?:class|function\*?|interface|type|const|let|enum)\s+([A-Za-z_$][\w$]*)|^(?:(?:public|static|async|override|readonly|get|set)\s+)*([A-Za-z_$][\w$]*)\s*[<(:]/;

/**
 * The names of the declarations whose doc comment has an `@example` with a fenced block: `export class Tensor`,
 * `export function tensor`, a method `mostSimilar(…)`, in source order. Used to check that every main class and
 * function keeps its example.
 *
 * @param source the TypeScript source text
 */
export function namesWithExamples(source: string): string[] {
  const names: string[] = [];
  for (const comment of docComments(source)) {
    const hasExample = exampleSections(comment).some(([s, e]) => comment.lines.slice(s, e).some((l) => FENCE.test(l)));
    const m = DECLARATION.exec(comment.next);
    const name = m?.[1] ?? m?.[2];
    if (hasExample && name) names.push(name);
  }
  return names;
}

/**
 * The `/** … *\/` comments of a source, found line by line: a comment opens at a line whose first non-blank
 * characters are `/**` (how the repository's formatter lays out doc comments; a `/**` inside a string or after code
 * on the same line is not a doc comment) and closes at the first `*\/`. One-line comments carry no example.
 */
function docComments(source: string): DocComment[] {
  const lines = source.split(/\r?\n/);
  const comments: DocComment[] = [];
  let i = 0;
  while (i < lines.length) {
    const open = /^([ \t]*)\/\*\*(?!\/)/.exec(lines[i]!);
    if (!open || lines[i]!.includes('*/', open[0].length)) {
      i++;
      continue;
    }
    const rest = lines[i]!.slice(open[0].length);
    const blanks = rest.length - rest.trimStart().length;
    const comment: DocComment = { line: i + 1, lines: [rest.trim()], columns: [open[0].length + blanks + 1], next: '' };
    i++;
    while (i < lines.length) {
      const raw = lines[i]!;
      const close = raw.indexOf('*/');
      const [text, column] = stripPrefix(close >= 0 ? raw.slice(0, close) : raw, open[1]!.length);
      comment.lines.push(close >= 0 ? text.trimEnd() : text);
      comment.columns.push(column);
      i++;
      if (close >= 0) break;
    }
    let k = i;
    while (k < lines.length && lines[k]!.trim() === '') k++;
    comment.next = lines[k]?.trim() ?? '';
    comments.push(comment);
  }
  return comments;
}

/**
 * Removes a doc-comment line's prefix: blanks, one `*` and one space after it. A line without a star (TSDoc allows
 * it) loses at most the comment's own indentation. Returns the text and the 1-based column it starts at.
 */
function stripPrefix(line: string, indent: number): [string, number] {
  const star = /^[ \t]*\* ?/.exec(line);
  if (star) return [line.slice(star[0].length), star[0].length + 1];
  let k = 0;
  while (k < indent && (line[k] === ' ' || line[k] === '\t')) k++;
  return [line.slice(k), k + 1];
}

/** The `[start, end)` line ranges of a comment's `@example` sections, each starting on its tag's line. */
function exampleSections(comment: DocComment): [number, number][] {
  const sections: [number, number][] = [];
  let start = -1;
  let fence = '';
  comment.lines.forEach((line, k) => {
    const f = FENCE.exec(line)?.[1];
    if (fence) {
      if (f && f[0] === fence[0] && f.length >= fence.length && line.trim() === f) fence = '';
      return;
    }
    if (f) {
      fence = f;
      return;
    }
    if (!BLOCK_TAG.test(line)) return;
    if (start >= 0) sections.push([start, k]);
    // The tag's own line may carry a title (`@example Training a model`); the code follows on the next lines.
    start = /^@example\b/.test(line) ? k : -1;
  });
  if (start >= 0) sections.push([start, comment.lines.length]);
  return sections.map(([s, e]) => [s + 1, e]);
}

/**
 * The sources whose doc examples the test checks: every `*.ts` under `packages/<name>/src` (recursively), except
 * tests (`*.test.ts`) and declaration files, sorted, relative to `root` with `/` separators.
 *
 * @param root the repository root
 */
export function sourceFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (name !== 'node_modules') walk(path);
      } else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts')) {
        files.push(relative(root, path).split(sep).join('/'));
      }
    }
  };
  const packages = join(root, 'packages');
  for (const name of readdirSync(packages).sort()) {
    const src = join(packages, name, 'src');
    if (statSync(src, { throwIfNoEntry: false })?.isDirectory()) walk(src);
  }
  return files;
}

/**
 * Every `@example` TypeScript block of {@link sourceFiles}, in file order.
 *
 * @param root the repository root
 */
export function collectDocExamples(root: string): CodeBlock[] {
  return sourceFiles(root).flatMap((file) => extractDocExamples(readFileSync(join(root, file), 'utf8'), file));
}

/**
 * The package a source file belongs to (`packages/core/src/x.ts` → `core`), used to run one package's examples in
 * one process.
 *
 * @param file a path relative to the repository root, with `/` separators
 */
export function packageOf(file: string): string {
  return /^packages\/([^/]+)\//.exec(file)?.[1] ?? file;
}
