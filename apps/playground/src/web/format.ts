/** A loss for display: 4 significant digits, exponent notation below 1e-3. */
export function formatLoss(x: number): string {
  return Math.abs(x) < 1e-3 && x !== 0 ? x.toExponential(3) : x.toPrecision(4);
}

/** A figure for display: whole numbers from 1000 up (births per month), 4 significant digits below. */
export function formatFigure(x: number): string {
  return Math.abs(x) >= 1000 ? String(Math.round(x)) : x.toPrecision(4);
}
