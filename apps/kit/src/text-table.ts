/** What {@link textTable} lays out. */
export interface TextTableSpec {
  /** Column headings. */
  header: readonly string[];
  /** Rows of cells; numbers are printed with `digits` decimals. Every row has one cell per heading. */
  rows: readonly (readonly (string | number)[])[];
  /** Decimals of numeric cells. Default 3. */
  digits?: number;
}

/**
 * Lays out a plain-text table for a terminal: the first column left-aligned, the others right-aligned, a rule under
 * the header. Non-finite numbers print as `–`, so a missing figure is visible rather than `NaN`.
 */
export function textTable(spec: TextTableSpec): string {
  const digits = spec.digits ?? 3;
  const cell = (v: string | number): string =>
    typeof v === 'string' ? v : Number.isFinite(v) ? v.toFixed(digits) : '–';
  const cells = [spec.header.map(String), ...spec.rows.map((r) => spec.header.map((_, k) => cell(r[k] ?? '')))];
  const widths = spec.header.map((_, k) => Math.max(...cells.map((r) => r[k]!.length)));
  const line = (r: readonly string[]): string =>
    r.map((c, k) => (k === 0 ? c.padEnd(widths[k]!) : c.padStart(widths[k]!))).join('  ').trimEnd();
  const [head, ...body] = cells;
  return [line(head!), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}
