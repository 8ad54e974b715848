import { escapeXml, fmt } from './svg.js';

/** Size and margins of a chart, in SVG user units. */
export interface ChartBox {
  /** Total width. */
  width: number;
  /** Total height. */
  height: number;
}

/** Left, right, top and bottom margins around the plot area (room for tick labels). */
const MARGIN = { left: 52, right: 12, top: 26, bottom: 28 };

/**
 * Round tick values covering [lo, hi]: steps of 1, 2 or 5 × 10^k chosen so there are about `count` of them
 * (Heckbert's "nice numbers", Graphics Gems 1990).
 */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(Number.isFinite(lo) && Number.isFinite(hi))) return [];
  if (hi <= lo) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/**
 * Ticks of a log10 axis spanning log10 values [lo, hi], as log10 values: the powers of ten, plus 2× and 5× when
 * the span is under two decades, plus every integer multiple when it is under one.
 */
export function logTicks(lo: number, hi: number): number[] {
  if (!(Number.isFinite(lo) && Number.isFinite(hi)) || hi < lo) return [];
  const span = hi - lo;
  const mantissas = span < 1 ? [1, 2, 3, 4, 5, 6, 7, 8, 9] : span < 2 ? [1, 2, 5] : [1];
  const out: number[] = [];
  for (let k = Math.floor(lo); k <= Math.ceil(hi); k++) {
    for (const m of mantissas) {
      const v = k + Math.log10(m);
      if (v >= lo - 1e-9 && v <= hi + 1e-9) out.push(v);
    }
  }
  return out;
}

/** A linear map from [d0, d1] to [r0, r1]; a zero-width domain maps to the middle of the range. */
export function linearScale(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  if (d1 === d0) return () => (r0 + r1) / 2;
  const k = (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}

/** Formats a tick label: integers plainly, large numbers with k/M, small ones with 2 significant digits. */
export function tickLabel(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6) return `${fmt(v / 1e6, 2)}M`;
  if (a >= 1e4) return `${fmt(v / 1e3, 1)}k`;
  if (a === 0 || a >= 1) return fmt(v, 2);
  return String(Number(v.toPrecision(2)));
}

/** One line of a {@link lineChartSvg}. */
export interface Line {
  /** Legend text. */
  label: string;
  /** CSS colour. */
  color: string;
  /** y of each x = 0, 1, …; NaN leaves a gap. */
  values: readonly number[];
  /** x of the first value (default 0). */
  x0?: number;
}

/** Options of {@link lineChartSvg}. */
export interface LineChartOptions extends ChartBox {
  /** Accessible title of the chart. */
  title: string;
  /** Plot log10(y) (losses): the axis is labelled in y. Non-positive values are left out. */
  logY?: boolean;
  /** Shade x ≥ this (the held-out part of a forecast). */
  shadeFrom?: number;
}

/** The SVG path of `values` (points at x0, x0 + 1, …), broken at non-finite values. */
export function linePath(values: readonly number[], x0: number, sx: (v: number) => number, sy: (v: number) => number): string {
  let d = '';
  let pen = false;
  for (let i = 0; i < values.length; i++) {
    const y = values[i]!;
    if (!Number.isFinite(y)) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${fmt(sx(x0 + i))} ${fmt(sy(y))}`;
    pen = true;
  }
  return d;
}

/**
 * A line chart as an SVG string: axes with nice ticks, one path per line, a legend. Used for the live loss curve
 * (log scale) and the forecast (truth against one-step-ahead predictions, held-out part shaded).
 */
export function lineChartSvg(lines: readonly Line[], options: LineChartOptions): string {
  const { width, height, logY = false } = options;
  const t = (v: number) => (logY ? (v > 0 ? Math.log10(v) : Number.NaN) : v);
  const ys = lines.flatMap((l) => l.values.map(t).filter(Number.isFinite));
  const xMin = Math.min(...lines.map((l) => l.x0 ?? 0));
  const xMax = Math.max(xMin + 1, ...lines.map((l) => (l.x0 ?? 0) + l.values.length - 1));
  let lo = ys.length ? Math.min(...ys) : 0;
  let hi = ys.length ? Math.max(...ys) : 1;
  if (hi === lo) {
    lo -= 0.5;
    hi += 0.5;
  }
  const sx = linearScale(xMin, xMax, MARGIN.left, width - MARGIN.right);
  const sy = linearScale(lo, hi, height - MARGIN.bottom, MARGIN.top);
  const yTicks = logY ? logTicks(lo, hi) : niceTicks(lo, hi, 5);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(options.title)}">`,
    `<title>${escapeXml(options.title)}</title>`,
  ];
  if (options.shadeFrom !== undefined) {
    const x = fmt(sx(options.shadeFrom));
    parts.push(`<rect class="held-out" x="${x}" y="${MARGIN.top}" width="${fmt(width - MARGIN.right - sx(options.shadeFrom))}" height="${height - MARGIN.top - MARGIN.bottom}" fill="#f2f2f2"/>`);
  }
  for (const v of yTicks) {
    const y = fmt(sy(v));
    const label = logY ? tickLabel(10 ** v) : tickLabel(v);
    parts.push(`<line x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${y}" y2="${y}" stroke="#ddd"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle" font-size="11" fill="#444">${label}</text>`);
  }
  for (const v of niceTicks(xMin, xMax, 6)) {
    parts.push(`<text x="${fmt(sx(v))}" y="${height - 8}" text-anchor="middle" font-size="11" fill="#444">${tickLabel(v)}</text>`);
  }
  parts.push(`<path d="M${MARGIN.left} ${MARGIN.top}V${height - MARGIN.bottom}H${width - MARGIN.right}" fill="none" stroke="#888"/>`);
  lines.forEach((l, i) => {
    const d = linePath(l.values.map(t), l.x0 ?? 0, sx, sy);
    if (d) parts.push(`<path d="${d}" fill="none" stroke="${escapeXml(l.color)}" stroke-width="1.5"/>`);
    const lx = MARGIN.left + 10 + i * 130;
    // The legend sits in the top margin, above the data.
    parts.push(`<rect x="${lx}" y="9" width="12" height="3" fill="${escapeXml(l.color)}"/>`);
    parts.push(`<text x="${lx + 16}" y="14" font-size="11" fill="#222">${escapeXml(l.label)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}
