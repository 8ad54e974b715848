import { escapeXml, fmt } from './svg.js';

/** Colour of an attention weight in [0, 1]: white to dark blue, linear in each channel. */
export function weightColor(w: number): string {
  const v = Math.min(1, Math.max(0, Number.isFinite(w) ? w : 0));
  const ch = (from: number, to: number) => Math.round(from + (to - from) * v);
  return `rgb(${ch(255, 8)},${ch(255, 48)},${ch(255, 107)})`;
}

/** Options of {@link heatMapSvg}. */
export interface HeatMapOptions {
  /** Accessible title. */
  title: string;
  /** Side of one cell, in SVG units (default 18). */
  cell?: number;
}

/**
 * An attention matrix as an SVG heat map: one row per output token (`rowLabels`), one column per input token
 * (`colLabels`); each cell carries its weight in a `<title>` so the numbers are readable, not only the colours.
 */
export function heatMapSvg(weights: readonly (readonly number[])[], rowLabels: readonly string[], colLabels: readonly string[], options: HeatMapOptions): string {
  const c = options.cell ?? 18;
  const left = 48;
  const top = 24;
  const rows = weights.length;
  const cols = Math.max(0, ...weights.map((r) => r.length));
  const width = left + cols * c + 4;
  const height = top + rows * c + 4;
  const label = (s: string | undefined) => escapeXml(s === ' ' ? '␣' : (s ?? ''));
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(options.title)}">`,
    `<title>${escapeXml(options.title)}</title>`,
  ];
  for (let j = 0; j < cols; j++) {
    parts.push(`<text x="${fmt(left + (j + 0.5) * c)}" y="${top - 8}" text-anchor="middle" font-size="12" font-family="monospace">${label(colLabels[j])}</text>`);
  }
  for (let i = 0; i < rows; i++) {
    const y = top + i * c;
    parts.push(`<text x="${left - 6}" y="${fmt(y + c * 0.7)}" text-anchor="end" font-size="12" font-family="monospace">${label(rowLabels[i])}</text>`);
    weights[i]!.forEach((w, j) => {
      parts.push(`<rect x="${left + j * c}" y="${y}" width="${c}" height="${c}" fill="${weightColor(w)}"><title>${label(rowLabels[i])} ← ${label(colLabels[j])}: ${w.toFixed(3)}</title></rect>`);
    });
  }
  parts.push('</svg>');
  return parts.join('');
}
