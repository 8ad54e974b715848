import { describe, expect, it } from 'vitest';
import { formatFigure, formatLoss } from './format.js';

describe('number formatting', () => {
  it('formats with 4 significant digits, exponents for tiny losses', () => {
    expect(formatLoss(2.28012)).toBe('2.280');
    expect(formatLoss(0.0051463)).toBe('0.005146');
    expect(formatLoss(0.00012346)).toBe('1.235e-4');
    expect(formatLoss(0)).toBe('0.000');
  });

  it('shows large figures as whole numbers, never in exponent notation', () => {
    expect(formatFigure(12634.4)).toBe('12634');
    expect(formatFigure(-1000)).toBe('-1000');
    expect(formatFigure(0.056331)).toBe('0.05633');
    expect(formatFigure(999.94)).toBe('999.9');
  });
});
