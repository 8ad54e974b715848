import { PALETTE, escapeXml, niceTicks } from './svg.js';

/** One group of labelled points of a {@link scatterChart}, drawn in one colour. */
export interface ScatterGroup {
  /** Legend text. */
  label: string;
  /** The points: coordinates and the text written beside each (empty for none). */
  points: readonly { x: number; y: number; text?: string }[];
  /** Fill colour. Default: the next colour of the palette. */
  color?: string;
}

/** What {@link scatterChart} draws. */
export interface ScatterChartSpec {
  /** Title above the plot. */
  title: string;
  /** Label under the x axis. */
  xLabel: string;
  /** Label beside the y axis. */
  yLabel: string;
  /** The groups of points. */
  groups: readonly ScatterGroup[];
  /** Width of the picture in pixels. Default 760. */
  width?: number;
  /** Height of the picture in pixels. Default 560. */
  height?: number;
}

const MARGIN = { left: 70, right: 170, top: 42, bottom: 52 };

/**
 * Renders a labelled scatter plot as a standalone SVG document (axes with ticks and grid, a dot and its text per
 * point, a legend per group), e.g. word vectors projected on two principal components. Non-finite points are skipped.
 */
export function scatterChart(spec: ScatterChartSpec): string {
  const width = spec.width ?? 760;
  const height = spec.height ?? 560;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  let [xMin, xMax, yMin, yMax] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const g of spec.groups) {
    for (const p of g.points) {
      if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) continue;
      [xMin, xMax, yMin, yMax] = [Math.min(xMin, p.x), Math.max(xMax, p.x), Math.min(yMin, p.y), Math.max(yMax, p.y)];
    }
  }
  if (!Number.isFinite(xMin)) [xMin, xMax, yMin, yMax] = [0, 1, 0, 1];
  // A 5 % margin keeps the outermost dots and their text inside the frame.
  const padX = (xMax - xMin || 1) * 0.05;
  const padY = (yMax - yMin || 1) * 0.05;
  [xMin, xMax, yMin, yMax] = [xMin - padX, xMax + padX, yMin - padY, yMax + padY];
  const px = (x: number): number => MARGIN.left + ((x - xMin) / (xMax - xMin)) * plotW;
  const py = (y: number): number => MARGIN.top + (1 - (y - yMin) / (yMax - yMin)) * plotH;
  const f = (n: number): string => n.toFixed(1);
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${f(MARGIN.left + plotW / 2)}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(spec.title)}</text>`,
  ];
  for (const v of niceTicks(xMin, xMax)) {
    const x = f(px(v));
    out.push(`<line x1="${x}" y1="${MARGIN.top}" x2="${x}" y2="${MARGIN.top + plotH}" stroke="#e4e4e4"/>`);
    out.push(`<text x="${x}" y="${MARGIN.top + plotH + 16}" text-anchor="middle">${v}</text>`);
  }
  for (const v of niceTicks(yMin, yMax)) {
    const y = f(py(v));
    out.push(`<line x1="${MARGIN.left}" y1="${y}" x2="${MARGIN.left + plotW}" y2="${y}" stroke="#e4e4e4"/>`);
    out.push(`<text x="${MARGIN.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${v}</text>`);
  }
  spec.groups.forEach((g, k) => {
    const color = escapeXml(g.color ?? PALETTE[k % PALETTE.length]!);
    for (const p of g.points) {
      if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) continue;
      out.push(`<circle cx="${f(px(p.x))}" cy="${f(py(p.y))}" r="4" fill="${color}"/>`);
      if (p.text) out.push(`<text x="${f(px(p.x) + 6)}" y="${f(py(p.y))}" dominant-baseline="middle" fill="${color}">${escapeXml(p.text)}</text>`);
    }
    const ly = MARGIN.top + 10 + k * 20;
    const lx = MARGIN.left + plotW + 14;
    out.push(`<circle cx="${lx + 6}" cy="${ly}" r="5" fill="${color}"/>`);
    out.push(`<text x="${lx + 18}" y="${ly}" dominant-baseline="middle">${escapeXml(g.label)}</text>`);
  });
  out.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`);
  out.push(`<text x="${f(MARGIN.left + plotW / 2)}" y="${height - 12}" text-anchor="middle">${escapeXml(spec.xLabel)}</text>`);
  const yLabelY = f(MARGIN.top + plotH / 2);
  out.push(`<text x="18" y="${yLabelY}" text-anchor="middle" transform="rotate(-90 18 ${yLabelY})">${escapeXml(spec.yLabel)}</text>`);
  out.push('</svg>', '');
  return out.join('\n');
}
