import { PALETTE, escapeXml, niceTicks } from './svg.js';

/** One line of a {@link lineChart}. */
export interface ChartSeries {
  /** Legend text. */
  label: string;
  /** x of every point. */
  x: ArrayLike<number>;
  /** y of every point; non-finite values (and values ≤ 0 on a log axis) break the line. */
  y: ArrayLike<number>;
  /** Stroke colour (any SVG colour). Default: the next colour of the palette. */
  color?: string;
  /** Draw the line dashed. Default false. */
  dashed?: boolean;
}

/** What {@link lineChart} draws. */
export interface LineChartSpec {
  /** Title above the plot. */
  title: string;
  /** Label under the x axis. */
  xLabel: string;
  /** Label beside the y axis. */
  yLabel: string;
  /** Logarithmic y axis with ticks at powers of ten. Default false. */
  logY?: boolean;
  /** The lines. */
  series: readonly ChartSeries[];
  /** Width of the picture in pixels. Default 720. */
  width?: number;
  /** Height of the picture in pixels. Default 440. */
  height?: number;
}

const MARGIN = { left: 78, right: 170, top: 42, bottom: 52 };

/** A tick label: plain up to a million (ticks are nice numbers, so short), else the shortest exponent form. */
export function fmtTick(v: number, log: boolean): string {
  if (log) return v >= 0.01 && v <= 1000 ? String(v) : `1e${Math.round(Math.log10(v))}`;
  // Ticks 12000 and 14000 must not both read 1e+4: keep up to 3 significant digits in exponent form.
  if (Math.abs(v) >= 1e6 || (v !== 0 && Math.abs(v) < 1e-3)) return Number(v.toPrecision(3)).toExponential();
  return String(v);
}

/**
 * Renders a line chart as a standalone SVG document: axes with ticks and grid lines, a title, axis labels and a
 * legend. Dependency-free, so the demo's pictures need nothing beyond Node.
 */
export function lineChart(spec: LineChartSpec): string {
  const width = spec.width ?? 720;
  const height = spec.height ?? 440;
  const log = spec.logY ?? false;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const usable = (y: number): boolean => Number.isFinite(y) && (!log || y > 0);

  let xMin = Infinity;
  let xMax = -Infinity;
  let yMin = Infinity;
  let yMax = -Infinity;
  for (const s of spec.series) {
    for (let i = 0; i < s.x.length; i++) {
      const y = s.y[i]!;
      if (!usable(y)) continue;
      const x = s.x[i]!;
      xMin = Math.min(xMin, x);
      xMax = Math.max(xMax, x);
      const v = log ? Math.log10(y) : y;
      yMin = Math.min(yMin, v);
      yMax = Math.max(yMax, v);
    }
  }
  if (!Number.isFinite(xMin)) [xMin, xMax, yMin, yMax] = [0, 1, 0, 1];
  if (xMax === xMin) xMax = xMin + 1;
  // Whole decades on a log axis; a little headroom on a linear one.
  if (log) [yMin, yMax] = [Math.floor(yMin), Math.max(Math.ceil(yMax), Math.floor(yMin) + 1)];
  else if (yMax === yMin) [yMin, yMax] = [yMin - 1, yMax + 1];
  const px = (x: number): number => MARGIN.left + ((x - xMin) / (xMax - xMin)) * plotW;
  const py = (v: number): number => MARGIN.top + (1 - (v - yMin) / (yMax - yMin)) * plotH;
  const f = (n: number): string => n.toFixed(1);

  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${f(MARGIN.left + plotW / 2)}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(spec.title)}</text>`,
  ];

  // y ticks: every decade (thinned to at most ~8 labels) on a log axis, nice steps on a linear one.
  const yTicks: number[] = [];
  if (log) {
    const every = Math.max(1, Math.ceil((yMax - yMin) / 8));
    for (let k = yMin; k <= yMax; k += every) yTicks.push(k);
  } else {
    yTicks.push(...niceTicks(yMin, yMax));
  }
  for (const v of yTicks) {
    const y = f(py(v));
    out.push(`<line x1="${MARGIN.left}" y1="${y}" x2="${MARGIN.left + plotW}" y2="${y}" stroke="#e4e4e4"/>`);
    out.push(`<text x="${MARGIN.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${escapeXml(fmtTick(log ? 10 ** v : v, log))}</text>`);
  }
  for (const v of niceTicks(xMin, xMax)) {
    const x = f(px(v));
    out.push(`<line x1="${x}" y1="${MARGIN.top}" x2="${x}" y2="${MARGIN.top + plotH}" stroke="#e4e4e4"/>`);
    out.push(`<text x="${x}" y="${MARGIN.top + plotH + 18}" text-anchor="middle">${escapeXml(fmtTick(v, false))}</text>`);
  }
  out.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`);
  out.push(`<text x="${f(MARGIN.left + plotW / 2)}" y="${height - 12}" text-anchor="middle">${escapeXml(spec.xLabel)}</text>`);
  const yLabelY = f(MARGIN.top + plotH / 2);
  out.push(`<text x="18" y="${yLabelY}" text-anchor="middle" transform="rotate(-90 18 ${yLabelY})">${escapeXml(spec.yLabel)}</text>`);

  spec.series.forEach((s, k) => {
    const color = s.color ?? PALETTE[k % PALETTE.length]!;
    let d = '';
    let pen = false;
    for (let i = 0; i < s.x.length; i++) {
      const y = s.y[i]!;
      if (!usable(y)) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${f(px(s.x[i]!))} ${f(py(log ? Math.log10(y) : y))}`;
      pen = true;
    }
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    if (d) out.push(`<path d="${d}" fill="none" stroke="${escapeXml(color)}" stroke-width="1.8"${dash}/>`);
    const ly = MARGIN.top + 10 + k * 20;
    const lx = MARGIN.left + plotW + 14;
    out.push(`<line x1="${lx}" y1="${ly}" x2="${lx + 26}" y2="${ly}" stroke="${escapeXml(color)}" stroke-width="2.5"${dash}/>`);
    out.push(`<text x="${lx + 32}" y="${ly}" dominant-baseline="middle">${escapeXml(s.label)}</text>`);
  });
  out.push('</svg>', '');
  return out.join('\n');
}
