import { assertWellFormedXml } from '@elman/app-kit';
import { describe, expect, it } from 'vitest';
import { linePath, lineChartSvg, linearScale, logTicks, niceTicks, tickLabel } from './chart.js';

describe('chart scaling', () => {
  it('nice ticks are 1-2-5 steps covering the range', () => {
    expect(niceTicks(0, 10, 5)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(0.013, 0.087, 4)).toEqual([0.02, 0.04, 0.06, 0.08]);
    expect(niceTicks(-3, 3, 3)).toEqual([-2, 0, 2]);
    expect(niceTicks(0, 150, 6)).toEqual([0, 50, 100, 150]);
    expect(niceTicks(5, 5)).toEqual([5]);
    expect(niceTicks(0, Number.NaN)).toEqual([]);
  });

  it('log ticks: powers of ten over many decades, 1-2-5 over one or two, every digit within one', () => {
    const back = (ts: number[]) => ts.map((t) => Number((10 ** t).toPrecision(6)));
    expect(back(logTicks(-3, 0.2))).toEqual([0.001, 0.01, 0.1, 1]);
    expect(back(logTicks(-2, -0.5))).toEqual([0.01, 0.02, 0.05, 0.1, 0.2]);
    expect(back(logTicks(Math.log10(0.5), Math.log10(2.3)))).toEqual([0.5, 0.6, 0.7, 0.8, 0.9, 1, 2]);
  });

  it('linear scales map the domain ends onto the range ends, inverted for SVG y', () => {
    const sy = linearScale(0, 10, 200, 20);
    expect(sy(0)).toBe(200);
    expect(sy(10)).toBe(20);
    expect(sy(5)).toBe(110);
    expect(linearScale(3, 3, 0, 100)(3)).toBe(50);
  });

  it('tick labels are short', () => {
    expect(tickLabel(300_000)).toBe('300k');
    expect(tickLabel(2_500_000)).toBe('2.5M');
    expect(tickLabel(0.0123)).toBe('0.012');
    expect(tickLabel(1.5)).toBe('1.5');
    expect(tickLabel(0)).toBe('0');
  });

  it('paths break at NaN and start at x0', () => {
    const id = (v: number) => v;
    expect(linePath([1, 2, Number.NaN, 4], 10, id, id)).toBe('M10 1L11 2M13 4');
    expect(linePath([Number.NaN], 0, id, id)).toBe('');
  });

  it('draws a well-formed chart with a path per line, a legend, and the held-out shading', () => {
    const svg = lineChartSvg(
      [
        { label: 'truth <a&b>', color: '#555', values: [1, 2, 3, 2, 1] },
        { label: 'forecast', color: '#d95f02', values: [Number.NaN, 2.1, 2.9, 2.2, 0.8] },
      ],
      { title: 'Series', width: 400, height: 200, shadeFrom: 3 },
    );
    expect(assertWellFormedXml(svg, 'svg')).toBeGreaterThan(10);
    expect(svg.match(/<path d="M[\d.]+ [\d.]+L/g)).toHaveLength(2);
    expect(svg).toContain('truth &#60;a&#38;b&#62;');
    expect(svg).toContain('class="held-out"');
    expect(svg).toContain('aria-label="Series"');
  });

  it('log-scale loss charts place the largest loss at the top of the plot and skip non-positive values', () => {
    const svg = lineChartSvg([{ label: 'loss', color: '#00f', values: [1, 0.1, 0, 0.01], x0: 1 }], { title: 'loss', width: 300, height: 126, logY: true });
    assertWellFormedXml(svg, 'svg');
    const d = /<path d="(M[^"]+)" fill="none" stroke="#00f"/.exec(svg)?.[1];
    // x: 1..4 over [52, 288]; y: log10 1 → top (26), log10 0.01 → bottom (126 − 28 = 98); the 0 breaks the line.
    expect(d).toBe('M52 26L130.7 62M288 98');
  });
});
