import { describe, expect, it } from 'vitest';
import { heatMap } from './heat-map.js';
import { assertWellFormedXml } from './xml-check.js';

describe('heatMap', () => {
  const spec = {
    title: 'attention <dates>',
    values: [
      [1, 0, 0.5],
      [0, 0.25, Number.NaN],
    ],
    rowLabels: ['2', '0'],
    colLabels: ['a', '&', 'c'],
    rowTitle: 'output',
    colTitle: 'input',
  };
  const fills = (svg: string) => [...svg.matchAll(/<rect x="[\d.]+" y="[\d.]+" width="\d+" height="\d+" fill="([^"]+)" stroke="white">/g)].map((m) => m[1]);

  it('shades each cell against the map maximum (white at 0, dark blue at max, grey when missing), escapes labels', () => {
    const svg = heatMap(spec);
    expect(assertWellFormedXml(svg, 'svg')).toBeGreaterThan(10);
    expect(fills(svg)).toEqual(['rgb(8,48,107)', 'rgb(247,251,255)', 'rgb(128,150,181)', 'rgb(247,251,255)', 'rgb(187,200,218)', '#ddd']);
    expect(svg).toContain('attention &#60;dates&#62;');
    expect(svg).toContain('>&#38;</text>');
    expect(svg).toContain('>0.25</text>');
  });

  it('normalizeRows scales each row to its own maximum; cellText can blank the cells', () => {
    const svg = heatMap({ ...spec, normalizeRows: true, cellText: () => '' });
    expect(fills(svg)[4]).toBe('rgb(8,48,107)');
    expect(svg).not.toContain('>0.25</text>');
  });
});
