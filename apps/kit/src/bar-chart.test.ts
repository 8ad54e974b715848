import { describe, expect, it } from 'vitest';
import { barChart } from './bar-chart.js';
import { assertWellFormedXml } from './xml-check.js';

describe('barChart', () => {
  const svg = barChart({
    title: 'Accuracy <by tag>',
    yLabel: 'accuracy',
    categories: ['NOUN', 'VERB', 'X'],
    series: [
      { label: 'BiLSTM', values: [0.9, 0.5, Number.NaN] },
      { label: 'baseline', values: [0.8, 1, 0.2] },
    ],
    yMax: 1,
  });

  it('writes a well-formed SVG with escaped text and a label per category', () => {
    expect(assertWellFormedXml(svg, 'svg')).toBeGreaterThan(10);
    expect(svg).toContain('Accuracy &#60;by tag&#62;');
    for (const c of ['NOUN', 'VERB', 'X']) expect(svg).toContain(`>${c}</text>`);
  });

  it('draws one bar per finite value with heights proportional to the value', () => {
    const bars = [...svg.matchAll(/<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="([\d.]+)" fill="[^"]+"><title>/g)].map((m) => Number(m[1]));
    expect(bars).toHaveLength(5); // the NaN draws nothing
    // 0.9 and 0.5 of the full-height bar (value 1), within the one-decimal rounding of the coordinates.
    expect(bars[0]! / bars[3]!).toBeCloseTo(0.9, 2);
    expect(bars[1]! / bars[3]!).toBeCloseTo(0.5, 2);
  });
});
