import { describe, expect, it } from 'vitest';
import { fmtTick, lineChart } from './line-chart.js';
import { assertWellFormedXml } from './xml-check.js';

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
});

describe('fmtTick', () => {
  it('keeps neighbouring large and small ticks distinct', () => {
    expect([10000, 12000, 14000].map((v) => fmtTick(v, false))).toEqual(['10000', '12000', '14000']);
    expect([2e6, 2.5e6].map((v) => fmtTick(v, false))).toEqual(['2e+6', '2.5e+6']);
    expect([0.0002, 0.0004].map((v) => fmtTick(v, false))).toEqual(['2e-4', '4e-4']);
    expect(fmtTick(0, false)).toBe('0');
    expect(fmtTick(1e-5, true)).toBe('1e-5');
  });
});
