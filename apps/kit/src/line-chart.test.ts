import { describe, expect, it } from 'vitest';
import { escapeXml, lineChart, niceTicks } from './svg-chart.js';
import { assertWellFormedXml } from './xml.test-helper.js';

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

describe('lineChart', () => {
  const chart = lineChart({
    title: 'Norms <T & H>',
    xLabel: 't',
    yLabel: 'norm',
    logY: true,
    series: [
      { label: 'a', x: [0, 1, 2, 3], y: [1e-6, 1e-3, Number.NaN, 1] },
      { label: 'b "quoted"', x: [0, 3], y: [0.5, 2], dashed: true },
    ],
  });

  it('writes a well-formed SVG document with escaped text', () => {
    expect(assertWellFormedXml(chart, 'svg')).toBeGreaterThan(10);
    expect(chart).toContain('Norms &#60;T &#38; H&#62;');
    expect(chart).toContain('b &#34;quoted&#34;');
  });

  it('draws log-y ticks at whole decades covering the data, one legend entry per series', () => {
    const labels = [...chart.matchAll(/text-anchor="end" dominant-baseline="middle">([^<]+)</g)].map((m) => m[1]);
    expect(labels).toEqual(['1e-6', '1e-5', '1e-4', '1e-3', '0.01', '0.1', '1', '10']);
    expect(chart.match(/stroke-dasharray/g)).toHaveLength(2); // the dashed path and its legend sample
  });

  it('breaks a line at non-finite values instead of drawing through them', () => {
    const paths = [...chart.matchAll(/<path d="([^"]+)"/g)].map((m) => m[1]!);
    expect(paths).toHaveLength(2);
    expect(paths[0]!.match(/M/g)).toHaveLength(2); // points 0–1, then point 3 after the NaN
    expect(paths[1]!.match(/L/g)).toHaveLength(1);
  });

  it('escapes all five XML special characters', () => {
    expect(escapeXml(`<a href="x">&'`)).toBe('&#60;a href=&#34;x&#34;&#62;&#38;&#39;');
  });
});

describe('niceTicks', () => {
  it('steps by 1, 2 or 5 × 10^k and covers the range', () => {
    expect(niceTicks(0, 29)).toEqual([0, 5, 10, 15, 20, 25]);
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(3, 3)).toEqual([3]);
  });
});
