import { describe, expect, it } from 'vitest';
import { assertWellFormedXml } from './xml-check.js';

describe('assertWellFormedXml (the test helper itself)', () => {
  it('accepts a well-formed document and rejects broken ones', () => {
    expect(assertWellFormedXml('<?xml version="1.0"?>\n<svg a="1"><g><path d="M0 0"/></g><text>a &amp; b</text></svg>', 'svg')).toBe(4);
    expect(() => assertWellFormedXml('<svg><g></svg>', 'svg')).toThrow(/closes <g>/);
    expect(() => assertWellFormedXml('<svg><text>a < b</text></svg>', 'svg')).toThrow(/malformed/);
    expect(() => assertWellFormedXml('<svg><text>a & b</text></svg>', 'svg')).toThrow(/stray/);
    expect(() => assertWellFormedXml('<svg></svg><svg></svg>', 'svg')).toThrow(/one root/);
    expect(() => assertWellFormedXml('<svg>', 'svg')).toThrow(/unclosed/);
  });
});
