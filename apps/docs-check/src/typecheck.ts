import { join } from 'node:path';
import ts from 'typescript';
import type { CodeBlock } from './extract.js';

/** The outcome of {@link typecheckBlocks}. */
export interface TypecheckResult {
  /** Errors of each block, as `file:line:col TSxxxx: message` with the line in the block's file; absent = none. */
  byBlock: Map<CodeBlock, string[]>;
  /** Errors that belong to no block (compiler options, declaration files). */
  other: string[];
  /** Wall time of building the program and collecting its diagnostics, in milliseconds. */
  ms: number;
}

/** Options of {@link typecheckBlocks}. */
export interface TypecheckOptions {
  /** The repository root: its tsconfig.base.json gives the compiler options, so guides meet the packages' bar. */
  root: string;
  /**
   * A directory whose ancestors' node_modules resolve the workspace packages (the docs-check package's); the blocks
   * become in-memory files there, so `@elman/*` resolve to their built `dist` types as a user's code would.
   */
  blockDir: string;
}

/**
 * Type-checks every block as its own ES module in one TypeScript program (one program over all blocks: the
 * declaration files of the packages and of Node are parsed once). Blocks are never written to disk.
 *
 * @param blocks the blocks to check (callers drop `skip` blocks)
 * @param options where the blocks resolve from and which compiler options apply
 */
export function typecheckBlocks(blocks: readonly CodeBlock[], options: TypecheckOptions): TypecheckResult {
  const started = performance.now();
  const compilerOptions = compilerOptionsOf(options.root);
  const files = new Map<string, CodeBlock>();
  blocks.forEach((block, n) => {
    files.set(join(options.blockDir, `block-${n}-${block.file.replace(/[^A-Za-z0-9]+/g, '-')}-L${block.line}.ts`), block);
  });

  const host = ts.createCompilerHost(compilerOptions);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const block = files.get(fileName);
    return block
      ? ts.createSourceFile(fileName, block.code, languageVersion, true)
      : getSourceFile.call(host, fileName, languageVersion, onError, shouldCreate);
  };
  host.fileExists = (fileName) => files.has(fileName) || fileExists.call(host, fileName);
  host.readFile = (fileName) => files.get(fileName)?.code ?? readFile.call(host, fileName);

  const program = ts.createProgram({ rootNames: [...files.keys()], options: compilerOptions, host });
  const byBlock = new Map<CodeBlock, string[]>();
  const other: string[] = [];
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    const block = d.file ? files.get(d.file.fileName) : undefined;
    if (block && d.file && d.start !== undefined) {
      const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
      // The block's first code line is the line after its opening fence; a doc example's code starts after ` * `.
      const where = `${block.file}:${block.line + 1 + line}:${character + (block.column ?? 1)}`;
      const list = byBlock.get(block) ?? [];
      list.push(`${where} TS${d.code}: ${text}${hint(d.code, text)}`);
      byBlock.set(block, list);
    } else {
      other.push(`${d.file ? `${d.file.fileName}: ` : ''}TS${d.code}: ${text}`);
    }
  }
  return { byBlock, other, ms: performance.now() - started };
}

/** A missing `@elman/*` module usually means the workspace is not built: packages resolve to their `dist` types. */
function hint(code: number, text: string): string {
  return code === 2307 && text.includes("'@elman/") ? ' (workspace packages resolve to dist: run `pnpm build`)' : '';
}

/**
 * tsconfig.base.json's options (strict, noUncheckedIndexedAccess, NodeNext, …) adjusted for checking snippets:
 * nothing is emitted, every block is a module even without imports (so two blocks may both declare `model`), and
 * only Node's ambient types are loaded.
 */
function compilerOptionsOf(root: string): ts.CompilerOptions {
  const configPath = join(root, 'tsconfig.base.json');
  const read = ts.readConfigFile(configPath, ts.sys.readFile);
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, root, undefined, configPath);
  return {
    ...parsed.options,
    noEmit: true,
    composite: false,
    incremental: false,
    declaration: false,
    declarationMap: false,
    sourceMap: false,
    moduleDetection: ts.ModuleDetectionKind.Force,
    types: ['node'],
  };
}
