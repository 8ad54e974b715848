import { PALETTE, escapeXml, niceTicks } from './svg.js';

/** One group of bars of a {@link barChart}: a value per category. */
export interface BarSeries {
  /** Legend text. */
  label: string;
  /** One value per category (non-finite values draw no bar). */
  values: ArrayLike<number>;
  /** Fill colour. Default: the next colour of the palette. */
  color?: string;
}

/** What {@link barChart} draws. */
export interface BarChartSpec {
  /** Title above the plot. */
  title: string;
  /** Label beside the y axis. */
  yLabel: string;
  /** Category names along the x axis. */
  categories: readonly string[];
  /** Bars: one per category per series, side by side within a category. */
  series: readonly BarSeries[];
  /** Top of the y axis; default the largest value (with nice ticks). The axis starts at 0. */
  yMax?: number;
  /** Width of the picture in pixels. Default 720. */
  width?: number;
  /** Height of the picture in pixels. Default 420. */
  height?: number;
}

const MARGIN = { left: 70, right: 170, top: 42, bottom: 70 };

/**
 * Renders a grouped bar chart as a standalone SVG document (bars from 0, y grid, category labels under the groups,
 * a legend). Dependency-free, like the other charts of the kit.
 */
export function barChart(spec: BarChartSpec): string {
  const width = spec.width ?? 720;
  const height = spec.height ?? 420;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  let top = spec.yMax ?? 0;
  if (spec.yMax === undefined) {
    for (const s of spec.series) for (let i = 0; i < s.values.length; i++) if (Number.isFinite(s.values[i]!)) top = Math.max(top, s.values[i]!);
  }
  if (!(top > 0)) top = 1;
  const ticks = niceTicks(0, top);
  const yMax = Math.max(top, ticks[ticks.length - 1]!);
  const py = (v: number): number => MARGIN.top + (1 - v / yMax) * plotH;
  const f = (n: number): string => n.toFixed(1);
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${f(MARGIN.left + plotW / 2)}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(spec.title)}</text>`,
  ];
  for (const v of ticks) {
    const y = f(py(v));
    out.push(`<line x1="${MARGIN.left}" y1="${y}" x2="${MARGIN.left + plotW}" y2="${y}" stroke="#e4e4e4"/>`);
    out.push(`<text x="${MARGIN.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${v}</text>`);
  }
  const groups = Math.max(1, spec.categories.length);
  const groupW = plotW / groups;
  const barW = (groupW * 0.8) / Math.max(1, spec.series.length);
  spec.categories.forEach((name, c) => {
    const cx = MARGIN.left + (c + 0.5) * groupW;
    out.push(`<text x="${f(cx)}" y="${MARGIN.top + plotH + 16}" text-anchor="middle">${escapeXml(name)}</text>`);
  });
  spec.series.forEach((s, k) => {
    const color = escapeXml(s.color ?? PALETTE[k % PALETTE.length]!);
    for (let c = 0; c < spec.categories.length; c++) {
      const v = s.values[c];
      if (v === undefined || !Number.isFinite(v)) continue;
      const x = MARGIN.left + c * groupW + groupW * 0.1 + k * barW;
      const y = py(Math.max(0, Math.min(v, yMax)));
      out.push(`<rect x="${f(x)}" y="${f(y)}" width="${f(barW * 0.92)}" height="${f(MARGIN.top + plotH - y)}" fill="${color}"><title>${escapeXml(`${s.label} ${spec.categories[c]}: ${v}`)}</title></rect>`);
    }
    const ly = MARGIN.top + 10 + k * 20;
    const lx = MARGIN.left + plotW + 14;
    out.push(`<rect x="${lx}" y="${ly - 6}" width="14" height="12" fill="${color}"/>`);
    out.push(`<text x="${lx + 20}" y="${ly}" dominant-baseline="middle">${escapeXml(s.label)}</text>`);
  });
  out.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`);
  const yLabelY = f(MARGIN.top + plotH / 2);
  out.push(`<text x="18" y="${yLabelY}" text-anchor="middle" transform="rotate(-90 18 ${yLabelY})">${escapeXml(spec.yLabel)}</text>`);
  out.push('</svg>', '');
  return out.join('\n');
}
