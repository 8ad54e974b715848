import { describe, expect, it } from 'vitest';
import { scatterChart } from './scatter-chart.js';
import { assertWellFormedXml } from './xml-check.js';

describe('scatterChart', () => {
  const svg = scatterChart({
    title: 'Words <PCA>',
    xLabel: 'PC 1',
    yLabel: 'PC 2',
    groups: [
      { label: 'money', points: [{ x: 0, y: 0, text: 'tax' }, { x: 1, y: 2, text: 'r&d' }] },
      { label: 'war', points: [{ x: -1, y: 1, text: 'army' }, { x: Number.NaN, y: 0, text: 'lost' }], color: '#123456' },
    ],
  });

  it('writes a well-formed SVG with escaped text, a label per point and a legend entry per group', () => {
    expect(assertWellFormedXml(svg, 'svg')).toBeGreaterThan(10);
    expect(svg).toContain('Words &#60;PCA&#62;');
    expect(svg).toContain('>r&#38;d</text>');
    for (const t of ['tax', 'army', 'money', 'war']) expect(svg).toContain(`>${t}</text>`);
    expect(svg).not.toContain('>lost<'); // the non-finite point is skipped
  });

  it('places the points by their coordinates: larger x further right, larger y higher up', () => {
    const dots = [...svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)" r="4"/g)].map((m) => [Number(m[1]), Number(m[2])] as const);
    expect(dots).toHaveLength(3);
    const [tax, rd, army] = dots as unknown as [[number, number], [number, number], [number, number]];
    expect(army[0]).toBeLessThan(tax[0]);
    expect(tax[0]).toBeLessThan(rd[0]);
    expect(rd[1]).toBeLessThan(army[1]); // y = 2 is above y = 1 (SVG y grows downwards)
    expect(army[1]).toBeLessThan(tax[1]);
    // Equal x steps map to equal pixel steps.
    expect(rd[0] - tax[0]).toBeCloseTo(tax[0] - army[0], 0);
  });
});
