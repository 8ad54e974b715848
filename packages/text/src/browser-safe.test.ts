import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The main entry is documented as browser-safe: no module it reaches (statically, or through a dynamic import with a
// literal specifier, which bundlers follow too) may import a Node built-in. Word2Vec's Hogwild workers reach
// node:worker_threads at run time only (hogwild.ts), so bundling @elman/text for a browser needs no stub.

const SRC = dirname(fileURLToPath(import.meta.url));

/** Value imports of a module: `import … from`, `export … from`, `import '…'` and `import('…')` with a literal. */
function specifiers(source: string): string[] {
  const out: string[] = [];
  const statement = /^\s*(import|export)\s+(type\s+)?[^'";]*?from\s*'([^']+)'/gm;
  for (const m of source.matchAll(statement)) if (!m[2]) out.push(m[3]!);
  for (const m of source.matchAll(/^\s*import\s+'([^']+)'/gm)) out.push(m[1]!);
  for (const m of source.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)) out.push(m[1]!);
  return out;
}

/** Every module reachable from `entry` through relative imports, with the non-relative specifiers each uses. */
function moduleGraph(entry: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (graph.has(file)) continue;
    const found = specifiers(readFileSync(file, 'utf8'));
    graph.set(file, found.filter((s) => !s.startsWith('.')));
    for (const s of found) if (s.startsWith('.')) queue.push(join(dirname(file), s.replace(/\.js$/, '.ts')));
  }
  return graph;
}

describe('@elman/text main entry', () => {
  it('reaches no Node built-in, Hogwild workers included', () => {
    const graph = moduleGraph(join(SRC, 'index.ts'));
    // The walk does reach the Hogwild module and the wasm kernel.
    expect([...graph.keys()].map((f) => f.slice(SRC.length + 1))).toEqual(
      expect.arrayContaining(['node/hogwild.ts', 'word2vec/wasm-kernel.ts', 'word2vec/generated/kernel-wasm.ts']),
    );
    const builtins = [...graph].flatMap(([file, specs]) => specs.filter((s) => s.startsWith('node:')).map((s) => `${file}: ${s}`));
    expect(builtins).toEqual([]);
  });

  it('would notice one: the /node entry imports node:fs', () => {
    const graph = moduleGraph(join(SRC, 'node', 'index.ts'));
    expect([...graph.values()].flat()).toContain('node:fs');
  });
});
