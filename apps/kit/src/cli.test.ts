import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ValueError } from '@elman/core';
import { describe, expect, it } from 'vitest';
import { defaultOutDir, intOption, listOption, numberOption, parseAppArgs } from './cli.js';

describe('defaultOutDir', () => {
  it('finds the workspace root above the app', () => {
    const root = resolve(import.meta.dirname, '..', '..', '..');
    expect(defaultOutDir('demo', import.meta.dirname)).toBe(join(root, 'out', 'demo'));
  });
  it('falls back to ./out/<app> outside a workspace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'elman-kit-'));
    try {
      expect(defaultOutDir('demo', dir)).toBe(resolve('out', 'demo'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('intOption / numberOption', () => {
  it('returns the fallback when absent and the value when valid', () => {
    expect(intOption('app', 'epochs', undefined, 7)).toBe(7);
    expect(intOption('app', 'epochs', '3', 7)).toBe(3);
    expect(numberOption('app', 'lr', '0.01', 1)).toBe(0.01);
    expect(numberOption('app', 'lr', undefined, 1)).toBe(1);
  });
  it('rejects bad values with a ValueError naming the app and the option', () => {
    expect(() => intOption('app', 'epochs', '2.5', 7)).toThrow(ValueError);
    expect(() => intOption('app', 'epochs', '0', 7)).toThrow(/app: --epochs must be an integer >= 1, got '0'/);
    expect(() => numberOption('app', 'lr', 'x', 1, 0)).toThrow(/app: --lr must be a number in \[0, Infinity\], got 'x'/);
    expect(() => numberOption('app', 'lr', '', 1)).toThrow(ValueError);
    expect(() => numberOption('app', 'p', '1.5', 0, 0, 1)).toThrow(ValueError);
  });
});

describe('listOption', () => {
  const kinds = ['LSTM', 'GRU', 'Transformer'] as const;
  it('returns every choice when absent and the named ones, in order, otherwise', () => {
    expect(listOption('app', 'models', undefined, kinds, 'model')).toEqual(kinds);
    expect(listOption('app', 'models', 'Transformer, LSTM', kinds, 'model')).toEqual(['Transformer', 'LSTM']);
  });
  it('rejects an unknown name with a ValueError naming the app, the option and the choices', () => {
    expect(() => listOption('app', 'models', 'LSTM,CNN', kinds, 'model')).toThrow(ValueError);
    expect(() => listOption('app', 'models', 'CNN', kinds, 'model')).toThrow("app: --models: unknown model 'CNN' (choose from LSTM, GRU, Transformer)");
  });
});

describe('parseAppArgs', () => {
  const command = { name: 'demo', help: 'demo — usage', options: ['epochs', 'held-out'] as const, dir: import.meta.dirname };

  it('parses the app\'s value options and the common flags, with the default output folder', () => {
    const args = parseAppArgs(command, ['--epochs', '3', '--quick', '--record'], () => {});
    expect(args).not.toBeNull();
    expect(args!.values.epochs).toBe('3');
    expect(args!.values['held-out']).toBeUndefined();
    expect(args!.quick).toBe(true);
    expect(args!.record).toBe(true);
    expect(args!.out).toBe(defaultOutDir('demo', import.meta.dirname));
    expect(args!.command).toBe('pnpm demo demo -- --epochs 3 --quick');
  });

  it('resolves --out and gives the bare command without options', () => {
    const args = parseAppArgs(command, ['--out', 'pictures'], () => {});
    expect(args!.out).toBe(resolve('pictures'));
    expect(args!.command).toBe('pnpm demo demo');
    expect(parseAppArgs(command, ['--out=x', '--epochs', '2'], () => {})!.command).toBe('pnpm demo demo -- --epochs 2');
    expect(args!.quick).toBe(false);
    expect(args!.record).toBe(false);
    expect(parseAppArgs(command, [], () => {})!.command).toBe('pnpm demo demo');
  });

  it('logs the help text and returns null after --help', () => {
    const lines: string[] = [];
    expect(parseAppArgs(command, ['--help'], (l) => lines.push(l))).toBeNull();
    expect(lines).toEqual(['demo — usage']);
  });

  it('rejects unknown options, and --record where the app takes none', () => {
    expect(() => parseAppArgs(command, ['--epoch', '3'], () => {})).toThrow(/--epoch/);
    expect(() => parseAppArgs({ ...command, record: false }, ['--record'], () => {})).toThrow(/--record/);
  });
});
