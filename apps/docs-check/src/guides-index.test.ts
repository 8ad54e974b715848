import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { markdownFiles } from './extract.js';

// docs/guides/README.md is the index of the guides: it links every guide, and its links lead somewhere.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const INDEX = 'docs/guides/README.md';

/** Text outside fenced code blocks: links inside code blocks are not links. */
function prose(text: string): string {
  return text.replace(/^(`{3,}|~{3,})[\s\S]*?^\1/gm, '');
}

/** Targets of the Markdown links `[text](target)` of `text` that stay inside the repository, anchors kept. */
function localLinks(text: string): string[] {
  return [...prose(text).matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1]!)
    .filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t) && !t.startsWith('#'));
}

/** GitHub's anchors of a Markdown file's headings: lower case, punctuation dropped, spaces to hyphens. */
function anchors(text: string): Set<string> {
  return new Set(
    [...prose(text).matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)].map((m) =>
      m[1]!.toLowerCase().replace(/[^\p{L}\p{N}\p{M} _-]/gu, '').replace(/ /g, '-'),
    ),
  );
}

describe('the guides index', () => {
  const text = readFileSync(join(ROOT, INDEX), 'utf8');
  const links = localLinks(text);
  const files = links.map((t) => t.split('#')[0]!);

  it('links every guide under docs/guides', () => {
    const guides = markdownFiles(ROOT).filter((f) => f.startsWith('docs/guides/') && f !== INDEX);
    const linked = new Set(files.map((t) => normalize(join('docs/guides', t))));
    const missing = guides.filter((g) => !linked.has(normalize(g)));
    expect(missing, `${INDEX} does not link: ${missing.join(', ')}`).toEqual([]);
  });

  it('has no link that points nowhere (files, and headings of Markdown files)', () => {
    const broken = links.filter((t) => {
      const [file = '', anchor] = t.split('#');
      const path = join(ROOT, dirname(INDEX), file);
      if (!existsSync(path)) return true;
      return anchor !== undefined && file.endsWith('.md') && !anchors(readFileSync(path, 'utf8')).has(anchor);
    });
    expect(broken, `${INDEX} links missing files or headings`).toEqual([]);
  });

  it('reads links and anchors the way GitHub does', () => {
    expect(localLinks('[a](x.md) [b](https://e.org) [c](#top) [d](../y.md#part)\n```md\n[e](z.md)\n```\n')).toEqual([
      'x.md',
      '../y.md#part',
    ]);
    expect(anchors('# Cells (`@elman/cells`)\n## Truncated BPTT\n```sh\n# not a heading\n```\n### Encoder–decoder ##')).toEqual(
      new Set(['cells-elmancells', 'truncated-bptt', 'encoderdecoder']),
    );
  });
});
