import { escapeXml } from './svg.js';

/** What {@link heatMap} draws. */
export interface HeatMapSpec {
  /** Title above the map. */
  title: string;
  /** Names of the rows, top to bottom (e.g. the true classes of a confusion matrix). */
  rowLabels: readonly string[];
  /** Names of the columns, left to right (e.g. the predicted classes). */
  colLabels: readonly string[];
  /** The cells, `values[row][col]`. */
  values: readonly (readonly number[])[];
  /** Label of the row axis. */
  rowTitle: string;
  /** Label of the column axis. */
  colTitle: string;
  /**
   * Scale each row to its own maximum before colouring (a confusion matrix read as "where does each true class
   * go"), instead of the whole map's maximum. Default false.
   */
  normalizeRows?: boolean;
  /** Text written in each cell; default the value with up to 3 significant digits. Return '' for none. */
  cellText?: (value: number, row: number, col: number) => string;
  /** Side of a cell in pixels. Default 40. */
  cell?: number;
}

/** White → dark blue, with the text turning white on dark cells. */
function shade(t: number): { fill: string; ink: string } {
  const u = Math.max(0, Math.min(1, t));
  const ch = (lo: number, hi: number) => Math.round(hi + (lo - hi) * u);
  return { fill: `rgb(${ch(8, 247)},${ch(48, 251)},${ch(107, 255)})`, ink: u > 0.55 ? 'white' : 'black' };
}

/**
 * Renders a matrix as an SVG heat map (a confusion matrix, attention weights): one shaded square per cell with its
 * value written in it, row labels on the left, column labels on top, a tooltip per cell.
 */
export function heatMap(spec: HeatMapSpec): string {
  const size = spec.cell ?? 40;
  const rows = spec.rowLabels.length;
  const cols = spec.colLabels.length;
  const left = 30 + 8 * Math.max(4, ...spec.rowLabels.map((l) => l.length));
  const top = 70 + 7 * Math.max(2, ...spec.colLabels.map((l) => l.length));
  const width = left + cols * size + 30;
  const height = top + rows * size + 20;
  const text = spec.cellText ?? ((v: number) => (Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(3)))));
  let max = 0;
  for (const r of spec.values) for (const v of r) if (Number.isFinite(v)) max = Math.max(max, v);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(spec.title)}</text>`,
    `<text x="${left + (cols * size) / 2}" y="44" text-anchor="middle" font-size="12">${escapeXml(spec.colTitle)}</text>`,
    `<text x="14" y="${top + (rows * size) / 2}" text-anchor="middle" font-size="12" transform="rotate(-90 14 ${top + (rows * size) / 2})">${escapeXml(spec.rowTitle)}</text>`,
  ];
  spec.colLabels.forEach((name, c) => {
    const x = left + (c + 0.5) * size;
    out.push(`<text x="${x}" y="${top - 6}" transform="rotate(-60 ${x} ${top - 6})">${escapeXml(name)}</text>`);
  });
  for (let r = 0; r < rows; r++) {
    const y = top + r * size;
    out.push(`<text x="${left - 6}" y="${y + size / 2}" text-anchor="end" dominant-baseline="middle">${escapeXml(spec.rowLabels[r]!)}</text>`);
    const row = spec.values[r] ?? [];
    let rowMax = 0;
    for (const v of row) if (Number.isFinite(v)) rowMax = Math.max(rowMax, v);
    const scale = spec.normalizeRows ? rowMax : max;
    for (let c = 0; c < cols; c++) {
      const v = row[c] ?? Number.NaN;
      const { fill, ink } = Number.isFinite(v) ? shade(scale > 0 ? v / scale : 0) : { fill: '#ddd', ink: 'black' };
      const x = left + c * size;
      const tip = escapeXml(`${spec.rowLabels[r]} → ${spec.colLabels[c]}: ${v}`);
      out.push(`<rect x="${x}" y="${y}" width="${size}" height="${size}" fill="${fill}" stroke="white"><title>${tip}</title></rect>`);
      const label = Number.isFinite(v) ? text(v, r, c) : '';
      if (label) {
        out.push(`<text x="${x + size / 2}" y="${y + size / 2}" text-anchor="middle" dominant-baseline="middle" fill="${ink}">${escapeXml(label)}</text>`);
      }
    }
  }
  out.push(`<rect x="${left}" y="${top}" width="${cols * size}" height="${rows * size}" fill="none" stroke="#333"/>`);
  out.push('</svg>', '');
  return out.join('\n');
}
