import { assertWellFormedXml } from '@elman/app-kit';
import { describe, expect, it } from 'vitest';
import { heatMapSvg, weightColor } from './heat-map.js';

describe('attention heat map', () => {
  it('maps 0 to white and 1 to dark blue, clamping the rest', () => {
    expect(weightColor(0)).toBe('rgb(255,255,255)');
    expect(weightColor(1)).toBe('rgb(8,48,107)');
    expect(weightColor(2)).toBe(weightColor(1));
    expect(weightColor(Number.NaN)).toBe(weightColor(0));
    expect(weightColor(0.5)).toBe('rgb(132,152,181)');
  });

  it('draws a cell per weight with its value in a title, and labels rows and columns (spaces shown as ␣)', () => {
    const weights = [
      [0.9, 0.1, 0],
      [0.2, 0.3, 0.5],
    ];
    const svg = heatMapSvg(weights, ['2', '</s>'], ['a', ' ', '<'], { title: 'Attention' });
    expect(assertWellFormedXml(svg, 'svg')).toBeGreaterThan(6);
    expect(svg.match(/<rect /g)).toHaveLength(6);
    expect(svg).toContain('<title>2 ← a: 0.900</title>');
    expect(svg).toContain('&#60;/s&#62; ← &#60;: 0.500');
    expect(svg).toContain('>␣</text>');
    expect(svg).toContain(`fill="${weightColor(0.9)}"`);
  });
});
